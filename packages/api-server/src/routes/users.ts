/** /api/users: platform administrators manage users; a user may mint tokens for themselves. */
import { Hono } from 'hono';
import { createTokenRequestSchema, createUserRequestSchema, userNameSchema } from '@ambient/contracts';
import type { UserView } from '@ambient/contracts';
import { ForbiddenError, NotFoundError } from '@ambient/core';
import type { Identity, UserRecord } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { parseJsonBody, parseWith } from '../validation.ts';

export function userView(user: UserRecord): UserView {
  return { name: user.name, displayName: user.displayName, groups: user.groups, isAdmin: user.isAdmin, createdAt: user.createdAt };
}

function requireAdmin(identity: Identity): void {
  if (!identity.isAdmin) throw new ForbiddenError('only platform administrators manage users');
}

export function userRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    requireAdmin(c.get('identity'));
    return c.json({ items: (await deps.identities.listUsers()).map(userView) });
  });

  app.post('/', async (c) => {
    requireAdmin(c.get('identity'));
    const body = await parseJsonBody(c, createUserRequestSchema);
    return c.json(userView(await deps.identities.createUser(body)), 201);
  });

  app.post('/:user/tokens', async (c) => {
    const identity = c.get('identity');
    const userName = parseWith(userNameSchema, c.req.param('user'), 'user name');
    if (!identity.isAdmin && (identity.accessKey || identity.userId !== userName)) {
      throw new ForbiddenError('you may only create tokens for yourself');
    }
    if (!(await deps.identities.getUser(userName))) throw new NotFoundError(`user "${userName}" not found`);
    const body = await parseJsonBody(c, createTokenRequestSchema);
    const expiresAt = body.expiresInSeconds
      ? new Date(deps.clock.now().getTime() + body.expiresInSeconds * 1000).toISOString()
      : undefined;
    const issued = await deps.identities.issueToken({
      subject: { kind: 'user', userName },
      name: body.name,
      createdBy: identity.userId,
      expiresAt,
    });
    return c.json({ id: issued.record.id, name: issued.record.name, token: issued.token, expiresAt }, 201);
  });

  return app;
}
