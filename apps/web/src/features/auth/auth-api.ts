/**
 * Password sign-in and "who am I". These two routes are not in @ambient/client yet (the lead is asked
 * to add `auth.login` and `auth.me` there); until then they are called here with the same rules:
 * same origin, JSON bodies validated with the contract schemas, errors as ClientError.
 */
import { ClientError } from '@ambient/client';
import { errorBodySchema } from '@ambient/contracts';
import { loginResponseSchema } from '@ambient/contracts/api-routes/schemas';
import { z } from 'zod';

export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meResponseSchema = z
  .object({
    userId: z.string(),
    displayName: z.string().optional(),
    groups: z.array(z.string()).optional(),
    isAdmin: z.boolean().optional(),
  })
  .loose();
export type MeResponse = z.infer<typeof meResponseSchema>;

async function failure(response: Response): Promise<ClientError> {
  const body = errorBodySchema.safeParse(await response.json().catch(() => undefined));
  if (body.success) return new ClientError(response.status, body.data.error, body.data.message, body.data.details);
  return new ClientError(response.status, `http_${response.status}`, `${response.status} ${response.statusText || 'request failed'}`);
}

export async function login(username: string, password: string, fetchFunction: typeof fetch = fetch): Promise<LoginResponse> {
  const response = await fetchFunction('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await failure(response);
  return loginResponseSchema.parse(await response.json());
}

/** Checks a pasted token before keeping it: a typo should fail at sign-in, not on the next page. */
export async function whoAmI(token: string, fetchFunction: typeof fetch = fetch): Promise<MeResponse> {
  const response = await fetchFunction('/api/auth/me', {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (!response.ok) throw await failure(response);
  return meResponseSchema.parse(await response.json());
}
