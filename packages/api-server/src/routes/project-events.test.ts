/**
 * The project stream of session changes over the real SQLite store: list-then-watch on connect,
 * exact resume by resourceVersion, and the reset when the version is older than the watch history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AgenticSessionKind, ProjectKind } from '@ambient/contracts';
import { openDatabase, SqliteResourceStore } from '@ambient/runtime-local';
import type { ApiDeps } from '../deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from '../test-support/embedded-deps.ts';
import { createStreamTestApp, parseSseFrames } from '../test-support/streams.ts';
import type { SseFrame } from '../test-support/streams.ts';

interface Frame {
  id: string;
  body: { type: string; action?: string; resourceVersion?: string; session?: { name: string; phase: string }; sessions?: { name: string }[] };
}

const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('project events', () => {
  let closeDatabase: () => void = () => undefined;
  afterEach(() => closeDatabase());

  async function setUp(retainedChanges?: number): Promise<{ deps: ApiDeps; app: ReturnType<typeof createStreamTestApp> }> {
    // A store of its own when the test needs a short watch history.
    const database = retainedChanges === undefined ? undefined : openDatabase(':memory:');
    const created = createTestDeps(database ? { store: new SqliteResourceStore(database, { retainedChanges }) } : {});
    closeDatabase = () => {
      created.close();
      database?.close();
    };
    await created.deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    return { deps: created.deps, app: createStreamTestApp(created.deps) };
  }

  /** Opens the stream and returns a reader that waits for `count` more frames. */
  async function open(app: ReturnType<typeof createStreamTestApp>, headers: Record<string, string> = {}, query = '') {
    const abort = new AbortController();
    const response = await app.request(`/api/projects/p1/events${query}`, { headers: { ...AUTH, ...headers }, signal: abort.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const pending: SseFrame[] = [];
    return {
      async next(count: number): Promise<Frame[]> {
        while (pending.length < count) {
          const chunk = await reader.read();
          if (chunk.done) throw new Error('stream ended');
          const parsed = parseSseFrames(buffer + decoder.decode(chunk.value, { stream: true }));
          buffer = parsed.rest;
          pending.push(...parsed.frames);
        }
        return pending.splice(0, count).map((frame) => ({ id: frame.id ?? '', body: JSON.parse(frame.data) as Frame['body'] }));
      },
      close: () => abort.abort(),
    };
  }

  const newSession = (name: string) => ({ metadata: { name, namespace: 'p1' }, spec: { interactive: true, displayName: name.toUpperCase() } });

  it('starts with the list, then carries each change with its resourceVersion as the id', async () => {
    const { deps, app } = await setUp();
    await deps.store.create(AgenticSessionKind, newSession('s1'));
    const stream = await open(app);
    const [reset] = await stream.next(1);
    expect(reset!.body).toMatchObject({ type: 'reset', sessions: [{ name: 's1', displayName: 'S1', phase: 'Pending' }] });
    expect(reset!.id).toBe(reset!.body.resourceVersion);

    const created = await deps.store.create(AgenticSessionKind, newSession('s2'));
    const running = await deps.store.patchStatus(AgenticSessionKind, 'p1', 's2', { phase: 'Running', result: { subtype: 'success', isError: false, totalCostUsd: 0.5, text: 'long' } });
    await deps.store.delete(AgenticSessionKind, 'p1', 's1');
    const frames = await stream.next(3);
    stream.close();
    expect(frames.map((frame) => [frame.body.action, frame.body.session?.name, frame.body.session?.phase])).toEqual([
      ['ADDED', 's2', 'Pending'],
      ['MODIFIED', 's2', 'Running'],
      ['DELETED', 's1', 'Pending'],
    ]);
    expect(frames[0]!.id).toBe(created.metadata.resourceVersion);
    expect(frames[1]!.id).toBe(running.metadata.resourceVersion);
    expect(frames[1]!.body.session).toMatchObject({ result: { subtype: 'success', isError: false, totalCostUsd: 0.5 } });
    expect(frames[1]!.body.session).not.toHaveProperty('result.text');
  });

  it.each([
    ['Last-Event-ID', (id: string) => ({ headers: { 'last-event-id': id }, query: '' })],
    ['?resourceVersion=', (id: string) => ({ headers: {}, query: `?resourceVersion=${id}` })],
  ])('resumes exactly after the %s it was given', async (_label, cursor) => {
    const { deps, app } = await setUp();
    const first = await deps.store.create(AgenticSessionKind, newSession('s1'));
    await deps.store.create(AgenticSessionKind, newSession('s2'));
    await deps.store.patchStatus(AgenticSessionKind, 'p1', 's1', { phase: 'Running' });
    const { headers, query } = cursor(first.metadata.resourceVersion);
    const stream = await open(app, headers, query);
    const frames = await stream.next(2);
    await deps.store.create(AgenticSessionKind, newSession('s3'));
    frames.push(...(await stream.next(1)));
    stream.close();
    expect(frames.map((frame) => `${frame.body.action} ${frame.body.session?.name}`)).toEqual(['ADDED s2', 'MODIFIED s1', 'ADDED s3']);
  });

  it('sends a reset with the current list when the version is older than the watch history, then goes on', async () => {
    const { deps, app } = await setUp(3);
    const first = await deps.store.create(AgenticSessionKind, newSession('s1'));
    for (const phase of ['Creating', 'Running', 'Completed', 'Running'] as const) await deps.store.patchStatus(AgenticSessionKind, 'p1', 's1', { phase });
    const stream = await open(app, { 'last-event-id': first.metadata.resourceVersion });
    const [reset] = await stream.next(1);
    expect(reset!.body).toMatchObject({ type: 'reset', sessions: [{ name: 's1', phase: 'Running' }] });
    await deps.store.patchStatus(AgenticSessionKind, 'p1', 's1', { phase: 'Completed' });
    const [next] = await stream.next(1);
    stream.close();
    expect(next!.body).toMatchObject({ type: 'session', action: 'MODIFIED', session: { phase: 'Completed' } });
    expect(Number(next!.id)).toBeGreaterThan(Number(reset!.id));
  });

  it.each([
    ['a garbage cursor', { 'last-event-id': 'abc' }, TEST_ADMIN_TOKEN, 400],
    ['an outsider', {}, 'STRANGER', 404],
  ])('refuses %s', async (_label, headers, token, status) => {
    const { deps, app } = await setUp();
    await deps.identities.createUser({ name: 'stranger' });
    const stranger = (await deps.identities.issueToken({ subject: { kind: 'user', userName: 'stranger' }, name: 't' })).token;
    const response = await app.request('/api/projects/p1/events', {
      headers: { ...headers, authorization: `Bearer ${token === 'STRANGER' ? stranger : token}` },
    });
    expect(response.status).toBe(status);
    expect(await response.json()).toHaveProperty('error');
  });
});
