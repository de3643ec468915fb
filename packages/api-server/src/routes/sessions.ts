/** /api/projects/:project/agentic-sessions — CRUD, compatible with the system the seed describes. */
import { Hono } from 'hono';
import {
  createSessionRequestSchema,
  listSessionsQuerySchema,
  patchSessionRequestSchema,
  resourceNameSchema,
  updateSessionRequestSchema,
} from '@ambient/contracts';
import type { ApiDeps } from '../deps.ts';
import type { AppEnv } from '../auth/middleware.ts';
import { parseJsonBody, parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';
import {
  createSession,
  deleteSession,
  getSession,
  listSessions,
  patchSessionMetadata,
  updateSessionSpec,
} from '../session-service.ts';
import { sessionActionRoutes } from './session-actions.ts';
import { sessionEventsHandler } from './session-events.ts';

export function sessionRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessionName = (raw: string): string => parseWith(resourceNameSchema, raw, 'session name');

  app.get('/', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    const query = parseWith(listSessionsQuerySchema, c.req.query(), 'the query');
    return c.json(await listSessions(deps, project.metadata.name, query));
  });

  app.post('/', async (c) => {
    const identity = c.get('identity');
    const project = await loadProject(deps, identity, c.req.param('project')!, 'edit');
    const body = await parseJsonBody(c, createSessionRequestSchema);
    const session = await createSession(deps, project.metadata.name, body, identity);
    return c.json({ name: session.metadata.name, uid: session.metadata.uid }, 201);
  });

  app.get('/:session', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    return c.json(await getSession(deps, project.metadata.name, sessionName(c.req.param('session'))));
  });

  app.put('/:session', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const body = await parseJsonBody(c, updateSessionRequestSchema);
    return c.json(await updateSessionSpec(deps, project.metadata.name, sessionName(c.req.param('session')), body));
  });

  app.patch('/:session', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const body = await parseJsonBody(c, patchSessionRequestSchema);
    return c.json(await patchSessionMetadata(deps, project.metadata.name, sessionName(c.req.param('session')), body));
  });

  app.delete('/:session', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    await deleteSession(deps, project.metadata.name, sessionName(c.req.param('session')));
    return c.body(null, 204);
  });

  app.route('/', sessionActionRoutes(deps));
  app.get('/:session/agui/events', sessionEventsHandler(deps));
  return app;
}
