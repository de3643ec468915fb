/**
 * The bearer token of the signed-in user, kept in localStorage so a reload or a new tab stays signed
 * in. Same origin as the API (ADR 0007), so no other site can read it; it is never put in a URL.
 * Components read it with useSyncExternalStore (subscribeToToken + readToken).
 */
const TOKEN_KEY = 'ambient.token';
const listeners = new Set<() => void>();

export function readToken(): string | undefined {
  if (typeof window === 'undefined') return undefined;
  try {
    return window.localStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled (private mode, policy): behave as signed out
  }
}

function notify(): void {
  for (const listener of listeners) listener();
}

export function writeToken(token: string): void {
  window.localStorage.setItem(TOKEN_KEY, token);
  notify();
}

export function clearToken(): void {
  try {
    window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // nothing stored, nothing to clear
  }
  notify();
}

/** Changes in this tab (writeToken, clearToken) and in other tabs (the `storage` event). */
export function subscribeToToken(listener: () => void): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key === TOKEN_KEY || event.key === null) listener();
  };
  listeners.add(listener);
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
