/** /api/projects/:project/agentic-sessions — routes compatible with the system the seed describes. */
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { createSessionRequestSchema, resourceNameSchema, runRequestSchema, AgenticSessionKind } from '@ambient/contracts';
import type { RunRequest } from '@ambient/contracts';
import type { ApiDeps } from '../deps.ts';
import type { AppEnv } from '../auth/middleware.ts';
import { parseJsonBody, parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';
import {
  assertAcceptsMessages,
  createSession,
  deleteSession,
  getSession,
  requestPhase,
} from '../session-service.ts';
import { sessionEventsHandler } from './session-events.ts';

function messageText(body: RunRequest): string {
  if ('message' in body && typeof body.message === 'string') return body.message;
  const messages = ('messages' in body && Array.isArray(body.messages) ? body.messages : []) as {
    role: string;
    content: unknown;
  }[];
  const last = [...messages].reverse().find((message) => message.role === 'user') ?? messages[messages.length - 1];
  const content = last?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : ''))
      .join('');
  }
  return '';
}

export function sessionRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessionName = (raw: string): string => parseWith(resourceNameSchema, raw, 'session name');

  app.get('/', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    const { items } = await deps.store.list(AgenticSessionKind, project.metadata.name);
    items.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
    return c.json({ items });
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

  app.delete('/:session', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    await deleteSession(deps, project.metadata.name, sessionName(c.req.param('session')));
    return c.body(null, 204);
  });

  app.post('/:session/stop', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const session = await requestPhase(deps, project.metadata.name, sessionName(c.req.param('session')), 'Stopped');
    return c.json({ message: 'stop requested', phase: session.status?.phase ?? 'Pending' }, 202);
  });

  app.post('/:session/start', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const session = await requestPhase(deps, project.metadata.name, sessionName(c.req.param('session')), 'Running');
    return c.json({ message: 'start requested', phase: session.status?.phase ?? 'Pending' }, 202);
  });

  app.post('/:session/agui/run', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const session = await getSession(deps, project.metadata.name, sessionName(c.req.param('session')));
    const body = await parseJsonBody(c, runRequestSchema);
    const text = messageText(body);
    if (!text.trim()) {
      return c.json({ error: 'bad_request', message: 'the message is empty' }, 400);
    }
    assertAcceptsMessages(session);
    const messageId = randomUUID();
    await deps.commands.push(session.metadata.uid, { kind: 'user_message', messageId, text });
    return c.json({ threadId: session.metadata.name, runId: messageId, status: 'accepted' as const }, 202);
  });

  app.post('/:session/agui/interrupt', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const session = await getSession(deps, project.metadata.name, sessionName(c.req.param('session')));
    await deps.commands.push(session.metadata.uid, { kind: 'interrupt' });
    return c.json({ message: 'interrupt requested' }, 202);
  });

  app.get('/:session/agui/events', sessionEventsHandler(deps));
  return app;
}
