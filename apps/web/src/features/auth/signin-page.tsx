'use client';
/**
 * /signin/: paste a bearer token (the admin token `npm start` prints, or an access key), or use a
 * user name and password (POST /api/auth/login returns a token). Either way the token is checked
 * against the server before it is kept.
 */
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button } from '../../components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { describeError, isUnauthorized } from '../../lib/errors';
import { safeNextPath } from '../../lib/routes';
import { login, whoAmI } from './auth-api';
import { useAuth } from './auth-context';

type Pending = 'token' | 'password' | undefined;

export function SignInPage() {
  const { signIn } = useAuth();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get('next'));
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState<Pending>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const finish = (value: string): void => {
    signIn(value);
    router.replace(next);
  };

  const run = async (kind: Exclude<Pending, undefined>, action: () => Promise<string>): Promise<void> => {
    setPending(kind);
    setError(undefined);
    try {
      finish(await action());
    } catch (failure) {
      setError(
        isUnauthorized(failure)
          ? kind === 'token'
            ? 'The server does not accept this token.'
            : 'Wrong user name or password.'
          : describeError(failure),
      );
    } finally {
      setPending(undefined);
    }
  };

  const submitToken = (event: FormEvent): void => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return setError('Paste a token first.');
    void run('token', async () => {
      await whoAmI(value);
      return value;
    });
  };

  const submitPassword = (event: FormEvent): void => {
    event.preventDefault();
    if (!username || !password) return setError('Enter a user name and a password.');
    void run('password', async () => (await login(username, password)).token);
  };

  return (
    <div className="mx-auto grid w-full max-w-md gap-6 py-8">
      <div className="text-center">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="text-sm text-muted-foreground">to the Ambient Code Platform</p>
      </div>
      {error ? (
        <p role="alert" className="rounded-md border border-destructive/50 bg-destructive/10 px-3 py-2 text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>With a token</CardTitle>
          <CardDescription>
            The admin token printed by <code className="font-mono">npm start</code> (also in <code className="font-mono">.ambient/admin-token</code>),
            or an access key.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={submitToken} className="grid gap-3">
            <Label htmlFor="signin-token">Token</Label>
            <Input
              id="signin-token"
              type="password"
              value={token}
              onChange={(event) => setToken(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              autoFocus
            />
            <Button type="submit" disabled={pending !== undefined}>
              {pending === 'token' ? 'Checking…' : 'Sign in with token'}
            </Button>
          </form>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>With a user name</CardTitle>
          <CardDescription>For users an administrator created on this platform.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={submitPassword} className="grid gap-3">
            <div className="grid gap-2">
              <Label htmlFor="signin-username">User name</Label>
              <Input id="signin-username" value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="username" />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="signin-password">Password</Label>
              <Input
                id="signin-password"
                type="password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                autoComplete="current-password"
              />
            </div>
            <Button type="submit" variant="secondary" disabled={pending !== undefined}>
              {pending === 'password' ? 'Signing in…' : 'Sign in'}
            </Button>
          </form>
        </CardContent>
      </Card>
    </div>
  );
}
