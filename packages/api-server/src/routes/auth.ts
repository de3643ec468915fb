/** /api/auth: password login for the web UI (returns a bearer token) and "who am I". */
import { Hono } from 'hono';
import { loginRequestSchema } from '@ambient/contracts';
import { UnauthorizedError } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import { clientAddress } from '../auth/middleware.ts';
import type { AuthFailureLimiter } from '../auth/failure-limiter.ts';
import type { ApiDeps } from '../deps.ts';
import { parseJsonBody } from '../validation.ts';

/** A web sign-in lasts a working week; CLI users create long-lived tokens explicitly. */
export const LOGIN_TOKEN_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** Routes that need no bearer token (mounted before the authentication middleware). */
export function publicAuthRoutes(deps: ApiDeps, limiter: AuthFailureLimiter): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/login', async (c) => {
    const client = clientAddress(c);
    limiter.check(client);
    const body = await parseJsonBody(c, loginRequestSchema);
    const user = await deps.identities.verifyPassword(body.username, body.password);
    if (!user) {
      limiter.recordFailure(client);
      throw new UnauthorizedError('wrong user name or password');
    }
    limiter.recordSuccess(client);
    const expiresAt = new Date(deps.clock.now().getTime() + LOGIN_TOKEN_LIFETIME_MS).toISOString();
    const issued = await deps.identities.issueToken({
      subject: { kind: 'user', userName: user.name },
      name: 'web-login',
      createdBy: user.name,
      expiresAt,
    });
    return c.json({ token: issued.token, expiresAt, user: { name: user.name, displayName: user.displayName, groups: user.groups, isAdmin: user.isAdmin } });
  });
  return app;
}

export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/me', (c) => {
    const identity = c.get('identity');
    return c.json({
      userId: identity.userId,
      displayName: identity.displayName,
      groups: identity.groups,
      isAdmin: identity.isAdmin,
      accessKeyProject: identity.accessKey?.project,
    });
  });
  return app;
}
