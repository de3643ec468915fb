/**
 * Actions on one session: start/stop (recorded as intent for the controller), follow-up messages
 * and interrupts (queued for the runner), rename and clone.
 */
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { cloneSessionRequestSchema, displayNameRequestSchema, resourceNameSchema, runRequestSchema, AgenticSessionKind } from '@ambient/contracts';
import type { RunRequest } from '@ambient/contracts';
import { isConflict, ValidationError } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { parseJsonBody, parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';
import { assertAcceptsMessages, cloneSession, getSession, requestPhase } from '../session-service.ts';

/** The text of a follow-up: `{message}` or the last user message of an AG-UI RunAgentInput. */
export function messageText(body: RunRequest): string {
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

export function sessionActionRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessionName = (raw: string): string => parseWith(resourceNameSchema, raw, 'session name');

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
    const text = messageText(await parseJsonBody(c, runRequestSchema));
    if (!text.trim()) throw new ValidationError('the message is empty');
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

  app.put('/:session/displayname', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'edit');
    const { displayName } = await parseJsonBody(c, displayNameRequestSchema);
    const name = sessionName(c.req.param('session'));
    for (;;) {
      const session = await getSession(deps, project.metadata.name, name);
      try {
        // A rename is allowed while running: it changes nothing the runner uses.
        const updated = await deps.store.update(AgenticSessionKind, { ...session, spec: { ...session.spec, displayName } });
        return c.json(updated);
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  });

  app.post('/:session/clone', async (c) => {
    const identity = c.get('identity');
    const project = await loadProject(deps, identity, c.req.param('project')!, 'view');
    const body = await parseJsonBody(c, cloneSessionRequestSchema);
    const target = await loadProject(deps, identity, body.targetProject, 'edit');
    const source = await getSession(deps, project.metadata.name, sessionName(c.req.param('session')));
    const clone = await cloneSession(deps, source, target.metadata.name, identity, body.displayName);
    return c.json({ name: clone.metadata.name, uid: clone.metadata.uid, project: target.metadata.name }, 201);
  });

  return app;
}
