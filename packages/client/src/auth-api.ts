/**
 * /api/auth: password sign-in (returns a bearer token) and "who am I". The web UI checks a pasted
 * token with `me()` before keeping it; `login` works on a client built without a token.
 */
import { currentIdentitySchema, loginResponseSchema } from '@ambient/contracts/api-routes/schemas';
import type { z } from 'zod';
import type { Transport } from './transport.ts';

export type LoginResponse = z.infer<typeof loginResponseSchema>;
export type CurrentIdentity = z.infer<typeof currentIdentitySchema>;

export interface AuthApi {
  login(
    username: string,
    password: string,
    options?: { signal?: AbortSignal },
  ): Promise<LoginResponse>;
  me(options?: { signal?: AbortSignal }): Promise<CurrentIdentity>;
}

export function createAuthApi(transport: Transport): AuthApi {
  return {
    login: (username, password, call = {}) =>
      transport.request('POST', '/api/auth/login', {
        body: { username, password },
        schema: loginResponseSchema,
        ...call,
      }),
    me: (call = {}) =>
      transport.request('GET', '/api/auth/me', { schema: currentIdentitySchema, ...call }),
  };
}
