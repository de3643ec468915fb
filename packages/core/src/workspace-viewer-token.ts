/**
 * The workspace viewer's credential (docs/adr/0010): like a runner token (runner-token.ts) it is
 * HMAC-signed with the server's key and scoped to one session (project, name, uid), but it names
 * no run and carries its own prefix inside the signed text, so neither kind of token passes for the
 * other: a viewer can serve workspace files and nothing else (no events, no commands).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const TOKEN_PREFIX = 'awv1';

export const workspaceViewerClaimsSchema = z.object({
  project: z.string(),
  sessionName: z.string(),
  sessionUid: z.string(),
  /** Expiry, seconds since the epoch. */
  exp: z.number().int(),
});
export type WorkspaceViewerClaims = z.infer<typeof workspaceViewerClaimsSchema>;

function sign(payload: string, secret: string): string {
  // The prefix is signed too: the same key signs runner tokens.
  return createHmac('sha256', secret).update(`${TOKEN_PREFIX}.${payload}`).digest('base64url');
}

export function mintWorkspaceViewerToken(claims: WorkspaceViewerClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${TOKEN_PREFIX}.${payload}.${sign(payload, secret)}`;
}

/** Returns the claims, or undefined when the token is malformed, forged, expired or of another kind. */
export function verifyWorkspaceViewerToken(token: string, secret: string, nowSeconds: number): WorkspaceViewerClaims | undefined {
  const [prefix, payload, signature, extra] = token.split('.');
  if (prefix !== TOKEN_PREFIX || !payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = workspaceViewerClaimsSchema.strict().parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return claims.exp > nowSeconds ? claims : undefined;
  } catch {
    return undefined;
  }
}
