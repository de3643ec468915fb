/**
 * /api/projects/:project/keys: project access keys for automation. The key is shown once at
 * creation; only its hash is stored; revocation is immediate; last use is recorded.
 */
import { Hono } from 'hono';
import { createAccessKeyRequestSchema } from '@ambient/contracts';
import type { AccessKeyView } from '@ambient/contracts';
import { NotFoundError } from '@ambient/core';
import type { TokenRecord } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { accessChangesFor } from '../stream-access.ts';
import { parseJsonBody } from '../validation.ts';
import { loadProject } from './projects.ts';

export function accessKeyView(record: TokenRecord): AccessKeyView {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    role: record.subject.kind === 'access_key' ? record.subject.role : 'view',
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    expiresAt: record.expiresAt,
    createdBy: record.createdBy,
  };
}

export function accessKeyRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'admin');
    const keys = await deps.identities.listTokens({ project: project.metadata.name });
    return c.json({ items: keys.map(accessKeyView) });
  });

  app.post('/', async (c) => {
    const identity = c.get('identity');
    const project = await loadProject(deps, identity, c.req.param('project')!, 'admin');
    const body = await parseJsonBody(c, createAccessKeyRequestSchema);
    const expiresAt = body.expiresInSeconds
      ? new Date(deps.clock.now().getTime() + body.expiresInSeconds * 1000).toISOString()
      : undefined;
    const issued = await deps.identities.issueToken({
      subject: { kind: 'access_key', project: project.metadata.name, role: body.role },
      name: body.name,
      description: body.description,
      createdBy: identity.userId,
      expiresAt,
    });
    return c.json({ ...accessKeyView(issued.record), key: issued.token }, 201);
  });

  app.delete('/:keyId', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'admin');
    const keyId = c.req.param('keyId');
    const keys = await deps.identities.listTokens({ project: project.metadata.name });
    if (!keys.some((key) => key.id === keyId) || !(await deps.identities.revokeToken(keyId))) {
      throw new NotFoundError(`access key "${keyId}" not found in project "${project.metadata.name}"`);
    }
    // Streams opened with the key end now (their re-check no longer authenticates it).
    accessChangesFor(deps.permissions).notify(project.metadata.name);
    return c.body(null, 204);
  });

  return app;
}
