/**
 * The HTTP surface in-process over the real SQLite adapters: authentication, validation and the
 * error contract ({error, message, details?}, never a 500 for a client mistake).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgenticSessionKind, SESSION_ANNOTATIONS } from '@ambient/contracts';
import { createApp } from './app.ts';
import type { ApiDeps } from './deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from './test-support/embedded-deps.ts';

const TOKEN = TEST_ADMIN_TOKEN;

describe('API server', () => {
  let deps: ApiDeps;
  let app: ReturnType<typeof createApp>;
  let changed: string[];
  let close: () => void;

  beforeEach(() => {
    ({ deps, changed, close } = createTestDeps());
    app = createApp(deps);
  });

  afterEach(() => close());

  const call = async (path: string, init: RequestInit = {}, token: string | null = TOKEN): Promise<Response> =>
    app.request(path, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...init.headers },
    });

  async function expectError(response: Response, status: number, code: string): Promise<{ message: string; details?: unknown }> {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string; message: string; details?: unknown };
    expect(body.error).toBe(code);
    expect(typeof body.message).toBe('string');
    return body;
  }

  it('answers /health without a token', async () => {
    const response = await app.request('/health');
    expect(await response.json()).toEqual({ status: 'healthy' });
  });

  it('rejects a missing or wrong token with 401 and a JSON body', async () => {
    await expectError(await call('/api/projects', {}, null), 401, 'unauthorized');
    await expectError(await call('/api/projects', {}, 'wrong-token'), 401, 'unauthorized');
  });

  it('creates and lists projects; a duplicate is 409', async () => {
    const created = await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha', displayName: 'Alpha' }) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'alpha', displayName: 'Alpha' });
    const list = (await (await call('/api/projects')).json()) as { items: { name: string }[] };
    expect(list.items.map((item) => item.name)).toEqual(['alpha']);
    await expectError(await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha' }) }), 409, 'conflict');
  });

  it.each([
    ['malformed JSON', '{"name": ', 'not valid JSON'],
    ['an invalid name', JSON.stringify({ name: 'Not_Valid' }), 'invalid'],
    ['an unknown field', JSON.stringify({ name: 'ok', extra: 1 }), 'invalid'],
  ])('rejects a project body with %s as 400', async (_label, body, messagePart) => {
    const error = await expectError(await call('/api/projects', { method: 'POST', body }), 400, 'bad_request');
    expect(error.message).toContain(messagePart);
  });

  it('gives 404 for an unknown project or session', async () => {
    await expectError(await call('/api/projects/nope/agentic-sessions'), 404, 'not_found');
    await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha' }) });
    await expectError(await call('/api/projects/alpha/agentic-sessions/session-missing'), 404, 'not_found');
    await expectError(await call('/api/projects/alpha/agentic-sessions/BAD_NAME'), 400, 'bad_request');
  });

  it('creates a session with collision-free names, accepting prompt as an alias', async () => {
    await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha' }) });
    const bodies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('/api/projects/alpha/agentic-sessions', { method: 'POST', body: JSON.stringify({ prompt: 'hello' }) }).then(
          async (response) => {
            expect(response.status).toBe(201);
            return (await response.json()) as { name: string; uid: string };
          },
        ),
      ),
    );
    expect(new Set(bodies.map((body) => body.name)).size).toBe(20);
    const session = (await (await call(`/api/projects/alpha/agentic-sessions/${bodies[0]!.name}`)).json()) as {
      apiVersion: string;
      kind: string;
      spec: { initialPrompt: string; interactive: boolean; userContext: { userId: string } };
    };
    expect(session).toMatchObject({
      apiVersion: 'vteam.ambient-code/v1alpha1',
      kind: 'AgenticSession',
      spec: { initialPrompt: 'hello', interactive: true, userContext: { userId: 'admin' } },
    });
    expect(changed).toHaveLength(20);
  });

  it.each([
    ['a non-interactive session without a prompt', { interactive: false }],
    ['a negative timeout', { prompt: 'x', timeout: -5 }],
    ['a repo without url', { prompt: 'x', repos: [{ branch: 'main' }] }],
    ['two different prompts', { prompt: 'a', initialPrompt: 'b' }],
    ['a repo URL carrying a token', { prompt: 'x', repos: [{ url: 'https://bot:ghp_secret123@github.com/o/r.git' }] }],
  ])('rejects %s with 400 and the issues listed', async (_label, body) => {
    await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha' }) });
    const error = await expectError(
      await call('/api/projects/alpha/agentic-sessions', { method: 'POST', body: JSON.stringify(body) }),
      400,
      'bad_request',
    );
    expect(Array.isArray(error.details)).toBe(true);
    expect(JSON.stringify(error)).not.toContain('ghp_secret123');
  });

  it('records stop as intent, and queues follow-up messages for interactive sessions only', async () => {
    await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha' }) });
    const { name } = (await (
      await call('/api/projects/alpha/agentic-sessions', { method: 'POST', body: JSON.stringify({ prompt: 'hi' }) })
    ).json()) as { name: string };
    const run = await call(`/api/projects/alpha/agentic-sessions/${name}/agui/run`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ id: 'm1', role: 'user', content: 'next step' }] }),
    });
    expect(run.status).toBe(202);
    const session = await deps.store.get(AgenticSessionKind, 'alpha', name);
    const queued = await deps.commands.readAfter(session!.metadata.uid, 0);
    expect(queued.map((entry) => entry.command)).toEqual([expect.objectContaining({ kind: 'user_message', text: 'next step' })]);

    expect((await call(`/api/projects/alpha/agentic-sessions/${name}/stop`, { method: 'POST' })).status).toBe(202);
    const stopped = await deps.store.get(AgenticSessionKind, 'alpha', name);
    expect(stopped?.metadata.annotations?.[SESSION_ANNOTATIONS.desiredPhase]).toBe('Stopped');

    const batch = (await (
      await call('/api/projects/alpha/agentic-sessions', { method: 'POST', body: JSON.stringify({ prompt: 'x', interactive: false }) })
    ).json()) as { name: string };
    await expectError(
      await call(`/api/projects/alpha/agentic-sessions/${batch.name}/agui/run`, { method: 'POST', body: JSON.stringify({ message: 'more' }) }),
      409,
      'conflict',
    );
  });

  it('deletes a session and its history', async () => {
    await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha' }) });
    const { name, uid } = (await (
      await call('/api/projects/alpha/agentic-sessions', { method: 'POST', body: JSON.stringify({ prompt: 'hi' }) })
    ).json()) as { name: string; uid: string };
    await deps.events.append(uid, [{ event: { type: 'RUN_STARTED', threadId: name, runId: 'r1' } as never }]);
    expect((await call(`/api/projects/alpha/agentic-sessions/${name}`, { method: 'DELETE' })).status).toBe(204);
    expect(await deps.events.read(uid)).toEqual([]);
    await expectError(await call(`/api/projects/alpha/agentic-sessions/${name}`), 404, 'not_found');
  });

  it('rejects an oversized body with 413', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    await expectError(await call('/api/projects', { method: 'POST', body }), 413, 'payload_too_large');
  });

  it('rejects a bad resume cursor with 400', async () => {
    await call('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'alpha' }) });
    const { name } = (await (
      await call('/api/projects/alpha/agentic-sessions', { method: 'POST', body: JSON.stringify({ prompt: 'hi' }) })
    ).json()) as { name: string };
    await expectError(await call(`/api/projects/alpha/agentic-sessions/${name}/agui/events?after=abc`), 400, 'bad_request');
  });
});
