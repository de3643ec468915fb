/**
 * Runner credentials: an HMAC-signed token scoped to exactly one session (project, name, uid) with
 * an expiry. The server verifies it on the runner channel; with it a runner can reach nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const TOKEN_PREFIX = 'art1';

export const runnerClaimsSchema = z.object({
  project: z.string(),
  sessionName: z.string(),
  sessionUid: z.string(),
  /** The run this token was minted for; a runner of an older run is turned away (fencing). */
  runNumber: z.number().int().positive(),
  /** Expiry, seconds since the epoch. */
  exp: z.number().int(),
});
export type RunnerClaims = z.infer<typeof runnerClaimsSchema>;

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function mintRunnerToken(claims: RunnerClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${TOKEN_PREFIX}.${payload}.${sign(payload, secret)}`;
}

/** Returns the claims, or undefined when the token is malformed, forged or expired. */
export function verifyRunnerToken(
  token: string,
  secret: string,
  nowSeconds: number,
): RunnerClaims | undefined {
  const [prefix, payload, signature] = token.split('.');
  if (prefix !== TOKEN_PREFIX || !payload || !signature) return undefined;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = runnerClaimsSchema.parse(
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    );
    return claims.exp > nowSeconds ? claims : undefined;
  } catch {
    return undefined;
  }
}
