/**
 * Password sign-in and "who am I" before a token is kept: both go through @ambient/client's `auth`
 * with a client built just for the call (the signed-in client does not exist yet at that point).
 * The UI is served from the API's own origin (ADR 0007), so the page's origin is the base URL.
 */
import { createClient } from '@ambient/client';
import type { CurrentIdentity, LoginResponse } from '@ambient/client';

function clientWith(token?: string) {
  return createClient({ baseUrl: window.location.origin, token });
}

export function login(username: string, password: string): Promise<LoginResponse> {
  return clientWith().auth.login(username, password);
}

/** Checks a pasted token before keeping it: a typo should fail at sign-in, not on the next page. */
export function whoAmI(token: string): Promise<CurrentIdentity> {
  return clientWith(token).auth.me();
}
