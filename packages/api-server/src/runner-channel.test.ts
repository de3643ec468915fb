/**
 * The server side of the runner channel over a real HTTP server and real WebSockets: runner-token
 * checks, fencing of older runs, idempotent ingest with acks, and durable command delivery.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgenticSessionKind, ProjectKind, RUNNER_CHANNEL_PATH } from '@ambient/contracts';
import type { ServerToRunner } from '@ambient/contracts';
import { mintRunnerToken } from '@ambient/core';
import type { Stored } from '@ambient/core';
import type { AgenticSession } from '@ambient/contracts';
import type { ApiDeps } from './deps.ts';
import { attachRunnerChannel, CHANNEL_CLOSE } from './runner-channel.ts';
import { createTestDeps } from './test-support/embedded-deps.ts';

const SECRET = 'channel-test-secret';

describe('runner channel', () => {
  let closeDatabase: () => void;
  let deps: ApiDeps;
  let server: Server;
  let url: string;
  let session: Stored<AgenticSession>;
  let closeChannel: () => void;
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    ({ deps, close: closeDatabase } = createTestDeps({ runnerTokenSecret: SECRET }));
    await deps.store.create(ProjectKind, { metadata: { name: 'p1' }, spec: {} });
    const created = await deps.store.create(AgenticSessionKind, { metadata: { name: 's1', namespace: 'p1' }, spec: { interactive: true } });
    session = await deps.store.patchStatus(AgenticSessionKind, 'p1', 's1', { phase: 'Running', runCount: 2 }, { resourceVersion: created.metadata.resourceVersion });
    server = createServer((_request, response) => response.end());
    closeChannel = attachRunnerChannel(server, deps).close;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${RUNNER_CHANNEL_PATH}`;
  });

  afterEach(async () => {
    for (const socket of sockets) socket.terminate();
    closeChannel();
    await new Promise((resolve) => server.close(resolve));
    closeDatabase();
  });

  function token(overrides: Partial<{ runNumber: number; sessionUid: string; exp: number }> = {}): string {
    return mintRunnerToken(
      { project: 'p1', sessionName: 's1', sessionUid: session.metadata.uid, runNumber: 2, exp: Math.floor(Date.now() / 1000) + 600, ...overrides },
      SECRET,
    );
  }

  function connect(bearer: string): { socket: WebSocket; frames: ServerToRunner[]; closed: Promise<{ code: number; status?: number }> } {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${bearer}` } });
    sockets.push(socket);
    const frames: ServerToRunner[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerToRunner));
    const closed = new Promise<{ code: number; status?: number }>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve({ code: 0, status: response.statusCode }));
      socket.on('close', (code) => resolve({ code }));
    });
    socket.on('error', () => undefined);
    return { socket, frames, closed };
  }

  async function until(predicate: () => boolean, what: string): Promise<void> {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > 5_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const open = (socket: WebSocket) => new Promise<void>((resolve) => socket.once('open', () => resolve()));

  it.each([
    ['a forged token', () => token() + 'x'],
    ['an expired token', () => token({ exp: Math.floor(Date.now() / 1000) - 1 })],
    ['a token for another secret', () => mintRunnerToken({ project: 'p1', sessionName: 's1', sessionUid: session.metadata.uid, runNumber: 2, exp: 9_999_999_999 }, 'other')],
  ])('refuses %s with HTTP 401', async (_label, makeToken) => {
    const { closed } = connect(makeToken());
    expect((await closed).status).toBe(401);
  });

  it('turns away the runner of an older run (fencing) and a session that was re-created', async () => {
    expect((await connect(token({ runNumber: 1 })).closed).code).toBe(CHANNEL_CLOSE.superseded);
    expect((await connect(token({ sessionUid: 'another-uid' })).closed).code).toBe(CHANNEL_CLOSE.gone);
  });

  it('acks stored events, ignores resent ones, and tells a reconnecting runner what it holds', async () => {
    const first = connect(token());
    await open(first.socket);
    first.socket.send(JSON.stringify({ type: 'hello', runnerId: 'r1' }));
    first.socket.send(JSON.stringify({ type: 'events', events: [1, 2, 3].map((producerSeq) => ({ producerSeq, event: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm', delta: String(producerSeq) } })) }));
    await until(() => first.frames.some((frame) => frame.type === 'ack' && frame.producerSeq === 3), 'ack 3');
    expect(first.frames[0]).toEqual({ type: 'welcome', lastProducerSeq: 0, lastCommandCursor: 0 });

    // A reconnect replaces the old socket; resending 2..4 stores only 4.
    const second = connect(token());
    await open(second.socket);
    second.socket.send(JSON.stringify({ type: 'hello', runnerId: 'r1' }));
    second.socket.send(JSON.stringify({ type: 'events', events: [2, 3, 4].map((producerSeq) => ({ producerSeq, event: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm', delta: String(producerSeq) } })) }));
    await until(() => second.frames.some((frame) => frame.type === 'ack' && frame.producerSeq === 4), 'ack 4');
    expect(second.frames[0]).toEqual({ type: 'welcome', lastProducerSeq: 3, lastCommandCursor: 0 });
    expect((await first.closed).code).toBe(CHANNEL_CLOSE.replaced);
    const stored = await deps.events.read(session.metadata.uid);
    expect(stored.map((event) => [event.seq, event['delta']])).toEqual([[1, '1'], [2, '2'], [3, '3'], [4, '4']]);
  });

  it('rejects an event that is not AG-UI, and a gap, by closing for a resync', async () => {
    const bad = connect(token());
    await open(bad.socket);
    bad.socket.send(JSON.stringify({ type: 'hello', runnerId: 'r1' }));
    bad.socket.send(JSON.stringify({ type: 'events', events: [{ producerSeq: 1, event: { type: 'NOT_AN_EVENT' } }] }));
    expect((await bad.closed).code).toBe(CHANNEL_CLOSE.resync);
    const gap = connect(token());
    await open(gap.socket);
    gap.socket.send(JSON.stringify({ type: 'hello', runnerId: 'r1' }));
    gap.socket.send(JSON.stringify({ type: 'events', events: [{ producerSeq: 5, event: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm', delta: 'x' } }] }));
    expect((await gap.closed).code).toBe(CHANNEL_CLOSE.resync);
    expect(await deps.events.read(session.metadata.uid)).toEqual([]);
  });

  it('delivers queued and new commands in order, and redelivers unacknowledged ones after a reconnect', async () => {
    const uid = session.metadata.uid;
    await deps.commands.push(uid, { kind: 'user_message', messageId: 'a', text: 'first' });
    const first = connect(token());
    await open(first.socket);
    first.socket.send(JSON.stringify({ type: 'hello', runnerId: 'r1' }));
    await deps.commands.push(uid, { kind: 'interrupt' });
    await until(() => first.frames.filter((frame) => frame.type === 'command').length === 2, 'two commands');
    first.socket.send(JSON.stringify({ type: 'command_ack', cursor: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.socket.terminate();

    const second = connect(token());
    await open(second.socket);
    second.socket.send(JSON.stringify({ type: 'hello', runnerId: 'r1' }));
    await until(() => second.frames.some((frame) => frame.type === 'command'), 'redelivery');
    expect(second.frames[0]).toEqual({ type: 'welcome', lastProducerSeq: 0, lastCommandCursor: 1 });
    expect(second.frames.filter((frame) => frame.type === 'command')).toEqual([{ type: 'command', cursor: 2, command: { kind: 'interrupt' } }]);
  });
});
