'use client';
/**
 * Who is signed in, and the one typed client (@ambient/client) built with their token. The UI is
 * served from the API's own origin (ADR 0007), so the client's base URL is the page's origin.
 */
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { createClient } from '@ambient/client';
import type { AmbientClient } from '@ambient/client';
import { clearToken, readToken, subscribeToToken, writeToken } from '../../lib/token-storage';
import { useHydrated } from '../../lib/use-hydrated';

export interface AuthContextValue {
  /** False until the token could be read (it is not readable in the exported HTML). */
  ready: boolean;
  token: string | undefined;
  client: AmbientClient | undefined;
  signIn(token: string): void;
  signOut(): void;
}

const AuthContext = createContext<AuthContextValue | undefined>(undefined);

export interface AuthProviderProps {
  children: ReactNode;
  /** Tests pass a fetch and a base URL; the app uses the browser's own. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export function AuthProvider({ children, baseUrl, fetch }: AuthProviderProps) {
  const ready = useHydrated();
  const token = useSyncExternalStore(subscribeToToken, readToken, () => undefined);

  const client = useMemo(() => {
    if (!ready || !token) return undefined;
    return createClient({ baseUrl: baseUrl ?? window.location.origin, token, fetch });
  }, [ready, token, baseUrl, fetch]);

  const signIn = useCallback((next: string) => writeToken(next), []);
  const signOut = useCallback(() => clearToken(), []);

  const value = useMemo(() => ({ ready, token: ready ? token : undefined, client, signIn, signOut }), [ready, token, client, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user's client; only components inside <RequireAuth> call this. */
export function useClient(): AmbientClient {
  const { client } = useAuth();
  if (!client) throw new Error('useClient needs a signed-in user (wrap the page in <RequireAuth>)');
  return client;
}
