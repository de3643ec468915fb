/** /api/projects/:project/permissions and /access: who may do what in a project. */
import { Hono } from 'hono';
import { grantPermissionRequestSchema, subjectTypeSchema, userNameSchema } from '@ambient/contracts';
import { NotFoundError } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { accessChangesFor } from '../stream-access.ts';
import { parseJsonBody, parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';

export function permissionRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/access', async (c) => {
    const identity = c.get('identity');
    const project = await loadProject(deps, identity, c.req.param('project')!, 'view');
    const role = await deps.authorizer.roleIn(identity, project.metadata.name);
    return c.json({ project: project.metadata.name, userRole: role });
  });

  app.get('/permissions', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    return c.json({ items: await deps.permissions.list(project.metadata.name) });
  });

  app.post('/permissions', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'admin');
    const body = await parseJsonBody(c, grantPermissionRequestSchema);
    const granted = await deps.permissions.grant(project.metadata.name, body);
    // A grant can replace a stronger role with a weaker one: open streams check again.
    accessChangesFor(deps.permissions).notify(project.metadata.name);
    return c.json(granted, 201);
  });

  app.delete('/permissions/:subjectType/:subjectName', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'admin');
    const subjectType = parseWith(subjectTypeSchema, c.req.param('subjectType'), 'subject type');
    const subjectName = parseWith(userNameSchema, c.req.param('subjectName'), 'subject name');
    if (!(await deps.permissions.revoke(project.metadata.name, subjectType, subjectName))) {
      throw new NotFoundError(`${subjectType} "${subjectName}" has no role in project "${project.metadata.name}"`);
    }
    // Streams the subject has open end now instead of at their next periodic check.
    accessChangesFor(deps.permissions).notify(project.metadata.name);
    return c.body(null, 204);
  });

  return app;
}
