'use client';
/** Pages behind sign-in: redirects to /signin/ (remembering the way back) when there is no token. */
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { signInHref } from '../../lib/routes';
import { PageLoading } from '../layout/page-states';
import { useAuth } from './auth-context';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { ready, client } = useAuth();
  const router = useRouter();

  useEffect(() => {
    if (ready && !client) router.replace(signInHref(`${window.location.pathname}${window.location.search}`));
  }, [ready, client, router]);

  if (!client) return <PageLoading label={ready ? 'Redirecting to sign-in…' : 'Loading…'} />;
  return <>{children}</>;
}
