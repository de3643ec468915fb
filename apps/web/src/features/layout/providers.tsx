'use client';
/**
 * App-wide providers: the signed-in user, then TanStack Query (one client, Headlamp's retry rule).
 * A 401 from any query or mutation means the token expired or was revoked: sign out and go to
 * sign-in, remembering the page, instead of leaving a broken page on screen. Signing out drops the
 * cache, so the next user never sees the previous user's data.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { createQueryClient } from '../../lib/query-client';
import { isUnauthorized } from '../../lib/errors';
import { signInHref } from '../../lib/routes';
import { AuthProvider, useAuth } from '../auth/auth-context';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <AuthProvider>
      <QueryProvider>{children}</QueryProvider>
    </AuthProvider>
  );
}

function QueryProvider({ children }: { children: ReactNode }) {
  const { signOut, token, ready } = useAuth();
  const router = useRouter();
  const [queryClient] = useState(() =>
    createQueryClient({
      onError: (error) => {
        if (!isUnauthorized(error)) return;
        const here = `${window.location.pathname}${window.location.search}`;
        signOut();
        router.replace(signInHref(here));
      },
    }),
  );
  useEffect(() => {
    if (ready && !token) queryClient.clear();
  }, [ready, token, queryClient]);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
