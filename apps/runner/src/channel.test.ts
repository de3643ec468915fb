import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventType, RUNNER_CHANNEL_PATH } from '@ambient/contracts';
import type { AgUiEvent, RunnerCommand } from '@ambient/contracts';
import { RunnerChannel } from './channel.ts';
import { CommandCursorStore } from './command-cursor.ts';
import { channelUrl } from './config.ts';
import { Outbox } from './outbox.ts';
import { FakeChannelServer } from './test-support/channel-server.ts';
import type { WorkspaceRequestHandler } from './workspace-requests.ts';

const TOKEN = 'art1.channel-test.token';
const event = (index: number): AgUiEvent => ({
  type: EventType.CUSTOM,
  name: 'test',
  value: index,
});

describe('RunnerChannel', () => {
  let directory: string;
  let server: FakeChannelServer;
  let serverUrl: string;
  const channels: RunnerChannel[] = [];

  /** A runner's channel with its outbox and cursor file in `directory` (shared across "restarts"). */
  function startChannel(
    options: {
      token?: string;
      onCommand?: (command: RunnerCommand, cursor: number) => void;
      onRejected?: (reason: string) => void;
      onWorkspaceRequest?: WorkspaceRequestHandler;
    } = {},
  ) {
    const outbox = new Outbox({ filePath: join(directory, 'outbox.jsonl') });
    const cursors = new CommandCursorStore(join(directory, 'command-cursor.json'));
    const channel = new RunnerChannel({
      url: channelUrl(serverUrl, RUNNER_CHANNEL_PATH),
      token: options.token ?? TOKEN,
      runnerId: 'runner-test',
      outbox,
      cursors,
      applyCommand: (command, cursor) => options.onCommand?.(command, cursor),
      onRejected: options.onRejected,
      onWorkspaceRequest: options.onWorkspaceRequest,
      initialBackoffMs: 10,
      maxBackoffMs: 50,
      maxBatchSize: 7,
    });
    channel.start();
    channels.push(channel);
    return { channel, outbox };
  }

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'channel-'));
    server = await FakeChannelServer.start({ token: TOKEN });
    serverUrl = server.url;
  });
  afterEach(async () => {
    await Promise.all(channels.splice(0).map((channel) => channel.close()));
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('delivers events in order, in batches, and empties the outbox on acks', async () => {
    const { channel, outbox } = startChannel();
    for (let index = 1; index <= 30; index += 1) outbox.append(event(index));
    expect(await channel.waitForDrain(5_000)).toBe(true);
    expect(server.receivedSeqs).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    expect(server.eventList().map((stored) => stored['value'])).toEqual(server.receivedSeqs);
    expect(outbox.pendingCount).toBe(0);
  });

  it('buffers while the server is unreachable and delivers after it comes back', async () => {
    const port = Number(new URL(serverUrl).port);
    await server.close();
    const { channel, outbox } = startChannel();
    outbox.append(event(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(channel.isReady).toBe(false);
    server = await FakeChannelServer.start({ token: TOKEN, port });
    outbox.append(event(2));
    expect(await channel.waitForDrain(5_000)).toBe(true);
    expect(server.receivedSeqs).toEqual([1, 2]);
  });

  it('resends after a dropped connection without gaps or duplicates', async () => {
    server.dropAfterEvents = 10; // breaks the connection in the middle of the second batch
    const { channel, outbox } = startChannel();
    for (let index = 1; index <= 40; index += 1) outbox.append(event(index));
    expect(await channel.waitForDrain(5_000)).toBe(true);
    expect(server.connectionCount).toBe(2);
    expect(server.gaps()).toEqual([]);
    expect(server.duplicateCount).toBe(0);
    expect(server.lastProducerSeq).toBe(40);
  });

  it('resends only what the server lacks when acks were lost', async () => {
    server.autoAck = false;
    const { channel, outbox } = startChannel();
    for (let index = 1; index <= 5; index += 1) outbox.append(event(index));
    await server.waitFor(() => server.lastProducerSeq === 5);
    server.autoAck = true;
    server.dropConnection(); // the runner never saw an ack; welcome tells it what the server holds
    expect(await channel.waitForDrain(5_000)).toBe(true);
    expect(server.duplicateCount).toBe(0);
    expect(server.connectionCount).toBe(2);
  });

  it('a restarted runner continues the numbering after what the server holds', async () => {
    const first = startChannel();
    for (let index = 1; index <= 3; index += 1) first.outbox.append(event(index));
    await first.channel.waitForDrain(5_000);
    await first.channel.close();
    first.outbox.close();
    const second = startChannel();
    second.outbox.append(event(4));
    expect(await second.channel.waitForDrain(5_000)).toBe(true);
    expect(server.receivedSeqs).toEqual([1, 2, 3, 4]);
  });

  it('applies commands in cursor order once, and acks them', async () => {
    const applied: [number, RunnerCommand['kind']][] = [];
    startChannel({ onCommand: (command, cursor) => applied.push([cursor, command.kind]) });
    server.pushCommand({ kind: 'user_message', messageId: 'm1', text: 'hello' });
    server.pushCommand({ kind: 'interrupt' });
    server.pushCommand({ kind: 'stop', reason: 'user' });
    await server.waitFor(() => server.lastCommandCursor === 3);
    expect(applied).toEqual([
      [1, 'user_message'],
      [2, 'interrupt'],
      [3, 'stop'],
    ]);
  });

  it('does not re-apply a command re-delivered after its ack was lost (cursor persisted)', async () => {
    const applied: number[] = [];
    const first = startChannel({ onCommand: (_command, cursor) => applied.push(cursor) });
    server.pushCommand({ kind: 'user_message', messageId: 'm1', text: 'one' });
    await server.waitFor(() => server.lastCommandCursor === 1);
    await first.channel.close();
    server.lastCommandCursor = 0; // as if the ack never reached the server's store
    startChannel({ onCommand: (_command, cursor) => applied.push(cursor) });
    server.pushCommand({ kind: 'user_message', messageId: 'm2', text: 'two' });
    await server.waitFor(() => server.lastCommandCursor === 2);
    expect(applied).toEqual([1, 2]);
    expect(server.commandAcks.map((ack) => ack.cursor)).toEqual([1, 1, 2]);
  });

  it('sends the bearer token, and gives up for good when the token is refused', async () => {
    const rejections: string[] = [];
    const { channel, outbox } = startChannel({ token: 'wrong-token', onRejected: (reason) => rejections.push(reason) });
    outbox.append(event(1));
    await server.waitFor(() => rejections.length === 1, 5_000, 'the rejection');
    expect(rejections[0]).toContain('HTTP 401');
    // An expired or forged token cannot get better by retrying: no further attempts.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.rejectedConnectionCount).toBe(1);
    expect(channel.isReady).toBe(false);
    expect(server.events.size).toBe(0);
  });

  it('answers workspace requests concurrently, beside a command that is still being applied', async () => {
    let releaseCommand: () => void = () => undefined;
    const commandApplied = new Promise<void>((resolve) => {
      releaseCommand = resolve;
    });
    const seen: string[] = [];
    const { channel } = startChannel({
      onCommand: () => commandApplied,
      onWorkspaceRequest: async (request) => {
        seen.push(`${request.op}:${request.path}`);
        return { kind: 'directory', path: request.path, items: [] };
      },
    });
    await server.waitFor(() => channel.isReady, 5_000, 'the welcome');
    server.pushCommand({ kind: 'user_message', messageId: 'm1', text: 'slow' });
    const [first, second] = await Promise.all([
      server.requestWorkspace({ op: 'read', path: 'a' }),
      server.requestWorkspace({ op: 'read', path: 'b' }),
    ]);
    expect([first, second]).toEqual([
      { kind: 'directory', path: 'a', items: [] },
      { kind: 'directory', path: 'b', items: [] },
    ]);
    expect(seen.sort()).toEqual(['read:a', 'read:b']);
    expect(server.lastCommandCursor).toBe(0); // the command is still being applied
    releaseCommand();
    await server.waitFor(() => server.lastCommandCursor === 1, 5_000, 'the command ack');
  });

  it('answers a workspace request it cannot serve as unavailable', async () => {
    const { channel } = startChannel();
    await server.waitFor(() => channel.isReady, 5_000, 'the welcome');
    expect(await server.requestWorkspace({ op: 'read', path: '' })).toMatchObject({ kind: 'error', code: 'unavailable' });
  });
});
