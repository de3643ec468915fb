/**
 * Authentication and authorisation ports. Embedded mode checks bearer tokens it issued itself;
 * cluster mode (later) hands the caller's own token to the Kubernetes API server.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AuthFailureLimiter } from './failure-limiter.ts';
import { runWithRequestContext } from '../request-context.ts';
import { ForbiddenError, UnauthorizedError } from '@ambient/core';
import type { Identity } from '@ambient/core';
import type { ProjectRole } from '@ambient/contracts';

export type { Identity };

export interface Authenticator {
  /** Returns who holds the token, or undefined when it is not valid. */
  authenticate(token: string): Promise<Identity | undefined>;
}

export type ProjectAction = 'view' | 'edit' | 'admin';

export interface Authorizer {
  /** The caller's role in the project, or undefined when they have none. */
  roleIn(identity: Identity, project: string): Promise<ProjectRole | undefined>;
  canCreateProjects(identity: Identity): Promise<boolean>;
}

export type AppEnv = { Variables: { identity: Identity; requestId: string } };

const ROLE_RANK: Record<ProjectRole, number> = { view: 1, edit: 2, admin: 3 };

export function roleAllows(role: ProjectRole | undefined, action: ProjectAction): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[action];
}

export function forwardedAccessToken(header: string | undefined): string | undefined {
  const token = header?.trim();
  return token && /^\S+$/.test(token) ? token : undefined;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** The client's address as the Node adapter reports it ("unknown" elsewhere, e.g. app.request). */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

export function authenticate(authenticator: Authenticator, limiter: AuthFailureLimiter = new AuthFailureLimiter()) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const client = clientAddress(c);
    limiter.check(client);
    // Behind the OpenShift OAuth proxy (--pass-access-token) the user's token arrives in its own header.
    const token = bearerToken(c.req.header('authorization')) ?? forwardedAccessToken(c.req.header('x-forwarded-access-token'));
    if (!token) throw new UnauthorizedError('missing bearer token (Authorization: Bearer <token>)');
    const identity = await authenticator.authenticate(token);
    if (!identity) {
      limiter.recordFailure(client);
      throw new UnauthorizedError('invalid or expired bearer token');
    }
    limiter.recordSuccess(client);
    // The proxy's preferred user name is for display only; who the caller is came from the token.
    const preferredName = c.req.header('x-forwarded-preferred-username');
    if (preferredName && !identity.displayName) identity.displayName = preferredName.slice(0, 200);
    c.set('identity', identity);
    await runWithRequestContext({ identity, bearerToken: token }, next);
  });
}

/**
 * Checks the caller may perform `action` in a project. A caller with no role gets 404, not 403,
 * so project names do not leak to outsiders.
 */
export async function requireProjectRole(
  authorizer: Authorizer,
  identity: Identity,
  project: string,
  action: ProjectAction,
  notFound: () => Error,
): Promise<ProjectRole> {
  const role = await authorizer.roleIn(identity, project);
  if (!role) throw notFound();
  if (!roleAllows(role, action)) {
    throw new ForbiddenError(`role "${role}" may not ${action} in project "${project}"`);
  }
  return role;
}

/** Compares a presented token with a known one without leaking timing. */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
