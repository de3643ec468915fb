/**
 * Session streams over a real HTTP server: SSE (…/agui/events) and WebSocket (…/agui/ws) resume
 * exactly once from EVERY cursor of a session with finished runs and one in progress, compacted
 * or raw; they go on live; and a viewer that falls behind is cut off and resumes without loss.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgenticSessionKind, EventType, ProjectKind } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { ConversationFold } from '@ambient/core';
import { scriptRun, scriptSession } from '@ambient/core/test-support/session-script';
import { CLIENT_STREAM_CLOSE } from './client-streams.ts';
import type { ApiDeps } from './deps.ts';
import { createTestDeps, TEST_ADMIN_TOKEN } from './test-support/embedded-deps.ts';
import { QUIET_MS, readSseUntil, readWsUntil, startTestServer } from './test-support/streams.ts';
import type { TestServer } from './test-support/streams.ts';

const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const PATH = '/api/projects/p1/agentic-sessions/s1';

const RUNS = [
  { runId: 'r1', user: 'write a file', reasoning: 'plan first', reply: 'done', tools: [{ name: 'Write', input: { path: 'a' }, result: 'ok' }], deltaLength: 3 },
  { runId: 'r2', user: 'fail', tools: [{ name: 'Bash', input: { command: 'false' }, result: 'exit 1', isError: true }], end: 'error' as const, retried: true },
  { runId: 'r3', user: 'delegate', reply: 'asking', subagent: { name: 'explorer', reply: 'found it' }, end: 'cancelled' as const },
  { runId: 'r4', user: 'in progress', reply: 'working on', tools: [{ name: 'Read', input: { path: 'b' }, result: 'b' }], end: 'open' as const, deltaLength: 2 },
];

/** What a reader's messages and state are after applying these events (snapshots replace). */
function view(events: readonly SessionEvent[]) {
  const fold = new ConversationFold().applyAll(events);
  return { messages: fold.messages, state: fold.state };
}

function expectStrictlyIncreasing(seqs: number[], label: string): void {
  expect(seqs.every((seq, index) => index === 0 || seq > seqs[index - 1]!), `${label}: ${seqs.join(',')}`).toBe(true);
}

describe('session streams', () => {
  let deps: ApiDeps;
  let closeDatabase: () => void;
  let server: TestServer;
  let uid: string;
  let log: SessionEvent[];

  beforeAll(async () => {
    ({ deps, close: closeDatabase } = createTestDeps());
    await deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    const session = await deps.store.create(AgenticSessionKind, { metadata: { name: 's1', namespace: 'p1' }, spec: { interactive: true } });
    uid = session.metadata.uid;
    await deps.events.append(uid, scriptSession('s1', RUNS).map(({ seq: _seq, ...event }) => ({ event })));
    log = await deps.events.read(uid);
    server = await startTestServer(deps);
  });

  afterAll(async () => {
    await server.close();
    closeDatabase();
  });

  const lastSeq = () => log[log.length - 1]!.seq;

  /** A reader already at the end expects nothing: it listens for a moment to prove that. */
  const quiet = (afterSeq: number) => (afterSeq >= lastSeq() ? { quietMs: QUIET_MS } : {});
  type Reader = (afterSeq: number, compact: boolean) => Promise<SessionEvent[]>;
  const sse: Reader = async (afterSeq, compact) => {
    // Alternate the two cursor spellings; Last-Event-ID is what EventSource sends.
    const headers: Record<string, string> = afterSeq % 2 === 0 ? { ...AUTH, 'last-event-id': String(afterSeq) } : AUTH;
    const query = `${afterSeq % 2 === 1 ? `after=${afterSeq}&` : ''}${compact ? '' : 'compact=false'}`;
    // gzip (what browsers ask for) and plain text must carry exactly the same frames.
    const acceptEncoding = afterSeq % 3 === 0 ? 'identity' : 'gzip';
    const read = await readSseUntil(`${server.url}${PATH}/agui/events?${query}`, headers, lastSeq(), { ...quiet(afterSeq), acceptEncoding });
    expect(read.contentEncoding).toBe(acceptEncoding);
    read.frames.forEach((frame, index) => expect(frame.id).toBe(String(read.events[index]!.seq)));
    return read.events;
  };
  const ws: Reader = async (afterSeq, compact) =>
    (await readWsUntil(`${server.wsUrl}${PATH}/agui/ws?after=${afterSeq}${compact ? '' : '&compact=false'}`, AUTH, lastSeq(), quiet(afterSeq))).events;

  describe.each([
    ['SSE', sse],
    ['WebSocket', ws],
  ])('%s', (_transport, read) => {
    it('starts with the compacted finished runs, then the run in progress raw', async () => {
      const events = await read(0, true);
      const lastEnd = log.filter((event) => event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR).at(-1)!;
      const snapshotIndex = events.findIndex((event) => event.type === EventType.MESSAGES_SNAPSHOT);
      expect(events[snapshotIndex]!.seq).toBe(lastEnd.seq);
      expect(events.slice(snapshotIndex + 1)).toEqual(log.filter((event) => event.seq > lastEnd.seq));
      expect(snapshotIndex).toBeLessThanOrEqual(4); // lifecycle, sdk session, run result, state
      expect(snapshotIndex + 1).toBeLessThan(lastEnd.seq / 10);
      expect(view(events)).toEqual(view(log));
    });

    it('serves every raw event with compact=false', async () => {
      expect(await read(0, false)).toEqual(log);
    });

    it('resumes exactly once from every cursor 0..N (had + got = everything)', async () => {
      const everything = view(log);
      const compactedFromStart = await read(0, true);
      const cursors: { had: SessionEvent[]; after: number; label: string }[] = [];
      for (let k = 0; k <= lastSeq(); k += 1) cursors.push({ had: log.slice(0, k), after: k, label: `raw reader at ${k}` });
      compactedFromStart.forEach((frame, index) =>
        cursors.push({ had: compactedFromStart.slice(0, index + 1), after: frame.seq, label: `compacted reader after frame ${index}` }),
      );
      for (const { had, after, label } of cursors) {
        const got = await read(after, true);
        expect(got.every((event) => event.seq > after), label).toBe(true);
        expectStrictlyIncreasing([...had, ...got].map((event) => event.seq), label);
        expect(view([...had, ...got]), label).toEqual(everything);
      }
    });
  });

  it.each<[string, string, Record<string, string>, number]>([
    ['a garbage ?after=', '?after=abc', {}, 400],
    ['a garbage Last-Event-ID (it wins over a good ?after=)', '?after=3', { 'last-event-id': 'x1' }, 400],
    ['a garbage compact flag', '?compact=perhaps', {}, 400],
    ['a good Last-Event-ID with a garbage ?after= (Last-Event-ID wins)', '?after=abc', { 'last-event-id': '3' }, 200],
  ])('answers %s with %i', async (_label, query, headers, status) => {
    const abort = new AbortController();
    const response = await fetch(`${server.url}${PATH}/agui/events${query}`, { headers: { ...AUTH, ...headers }, signal: abort.signal });
    expect(response.status).toBe(status);
    if (status === 200) {
      const text = await response.body!.getReader().read();
      expect(new TextDecoder().decode(text.value)).toMatch(/^retry: \d+\n\n/);
    } else {
      expect(await response.json()).toMatchObject({ error: 'bad_request' });
    }
    abort.abort();
  });

  it('goes on live after catching up, and a later reconnect gets the newly finished run compacted', async () => {
    const before = lastSeq();
    const finish = scriptRun('s1', { runId: 'r4', reply: 'finished now' }).slice(-3); // run result, state, RUN_FINISHED
    const sseRead = readSseUntil(`${server.url}${PATH}/agui/events`, { ...AUTH, 'last-event-id': String(before) }, before + finish.length);
    const wsRead = readWsUntil(`${server.wsUrl}${PATH}/agui/ws?after=${before}`, AUTH, before + finish.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await deps.events.append(uid, finish.map((event) => ({ event })));
    log = await deps.events.read(uid);
    for (const live of [(await sseRead).events, (await wsRead).events]) {
      expect(live).toEqual(log.filter((event) => event.seq > before));
    }
    const again = await sse(0, true);
    expect(again.at(-1)).toMatchObject({ type: EventType.MESSAGES_SNAPSHOT, seq: lastSeq() });
    expect(view(again)).toEqual(view(log));
  });
});

describe('slow viewers', () => {
  let deps: ApiDeps;
  let closeDatabase: () => void;
  let server: TestServer;
  let uid: string;

  beforeAll(async () => {
    ({ deps, close: closeDatabase } = createTestDeps());
    await deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    uid = (await deps.store.create(AgenticSessionKind, { metadata: { name: 's1', namespace: 'p1' }, spec: { interactive: true } })).metadata.uid;
    await deps.events.append(uid, [{ event: { type: EventType.RUN_STARTED, threadId: 's1', runId: 'r' } }]);
    server = await startTestServer(deps, { limits: { maxQueuedEvents: 40, maxQueuedBytes: 256 * 1024 }, clientStreams: { maxBufferedBytes: 64 * 1024 } });
  });

  afterAll(async () => {
    await server.close();
    closeDatabase();
  });

  /** Appends `batches` batches of large text deltas, each batch well under the queue bound. */
  async function flood(batches: number): Promise<number> {
    const delta = 'x'.repeat(16 * 1024);
    for (let batch = 0; batch < batches; batch += 1) {
      await deps.events.append(uid, Array.from({ length: 10 }, () => ({ event: { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm', delta } })));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return (await deps.events.summary(uid)).lastSeq;
  }

  // gzip: the viewer may be cut off before a single frame left the compressor; it resumes all the same.
  it.each(['identity', 'gzip'])('SSE (%s): cuts off a viewer that stopped reading, which then resumes from its last id without loss', async (encoding) => {
    const start = (await deps.events.summary(uid)).lastSeq;
    const response = await fetch(`${server.url}${PATH}/agui/events?after=${start}`, { headers: { ...AUTH, 'accept-encoding': encoding } });
    expect(response.headers.get('content-encoding') ?? 'identity').toBe(encoding);
    const reader = response.body!.getReader();
    await reader.read(); // the retry hint: connected and caught up; now stop reading
    const end = await flood(300); // ~48 MiB: far more than the socket buffers and the queue bound
    const decoder = new TextDecoder();
    let text = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    if (encoding === 'identity') expect(ids.length).toBeGreaterThan(0);
    const lastId = ids.at(-1) ?? start;
    expect(lastId).toBeLessThan(end); // it was cut off before the end
    const resumed = await readSseUntil(`${server.url}${PATH}/agui/events`, { ...AUTH, 'last-event-id': String(lastId) }, end);
    const seqs = [...ids, ...resumed.events.map((event) => event.seq)];
    expect(seqs).toEqual(Array.from({ length: end - start }, (_, index) => start + index + 1));
  });

  it('WebSocket: closes a viewer that stopped reading with 4008, which then resumes from its last seq without loss', async () => {
    const start = (await deps.events.summary(uid)).lastSeq;
    const socket = new WebSocket(`${server.wsUrl}${PATH}/agui/ws?after=${start}`, { headers: AUTH });
    await new Promise((resolve) => socket.once('open', resolve));
    const received: number[] = [];
    socket.on('message', (data) => received.push((JSON.parse(String(data)) as SessionEvent).seq));
    const closed = new Promise<number>((resolve) => socket.on('close', resolve));
    socket.pause();
    const end = await flood(300);
    socket.resume();
    expect(await closed).toBe(CLIENT_STREAM_CLOSE.slowConsumer);
    expect(received.at(-1) ?? start).toBeLessThan(end);
    const resumed = await readWsUntil(`${server.wsUrl}${PATH}/agui/ws?after=${received.at(-1) ?? start}`, AUTH, end);
    const seqs = [...received, ...resumed.events.map((event) => event.seq)];
    expect(seqs).toEqual(Array.from({ length: end - start }, (_, index) => start + index + 1));
  });
});
