import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '@ambient/contracts';
import { createClient } from './client.ts';
import { ClientError, InvalidResponseError } from './errors.ts';
import type { ReconnectInfo, SessionEventsOptions } from './event-stream.ts';
import { sendJson, sseFrame, startSse, startTestServer, textEvent } from './test-http-server.ts';
import type { TestHandler, TestHttpServer } from './test-http-server.ts';

const FAST_BACKOFF = { initialDelayMs: 5, maxDelayMs: 20 };
const EVENTS_URL = '/api/projects/demo/agentic-sessions/session-1/agui/events';

describe('session event stream', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function eventsFrom(handler: TestHandler, options: SessionEventsOptions = {}) {
    server = await startTestServer(handler);
    const client = createClient({
      baseUrl: server.url,
      token: 'token-0123456789abcdef',
      backoff: FAST_BACKOFF,
    });
    return client.sessions.events('demo', 'session-1', options);
  }

  async function take(events: AsyncIterable<SessionEvent>, count: number): Promise<SessionEvent[]> {
    const taken: SessionEvent[] = [];
    for await (const event of events) {
      taken.push(event);
      if (taken.length >= count) break;
    }
    return taken;
  }

  it('parses frames split anywhere across chunks, skipping keepalive comments', async () => {
    const payload = `: keepalive\n\n${sseFrame(textEvent(1, 'hel'))}${sseFrame(textEvent(2, 'lo\nworld'))}: keepalive\n\n${sseFrame(textEvent(3))}`;
    const events = await eventsFrom(async (_request, response) => {
      startSse(response);
      // Byte-sized pieces: frame boundaries, field names and JSON all end up split.
      for (let index = 0; index < payload.length; index += 7) {
        response.write(payload.slice(index, index + 7));
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    const received = await take(events, 3);
    expect(received).toEqual([textEvent(1, 'hel'), textEvent(2, 'lo\nworld'), textEvent(3)]);
    expect(server!.requests[0]?.headers['accept']).toBe('text/event-stream');
    expect(server!.requests[0]?.headers['last-event-id']).toBeUndefined();
  });

  it('resumes after a dropped connection with Last-Event-ID, delivering every event exactly once', async () => {
    const reconnects: ReconnectInfo[] = [];
    const events = await eventsFrom(
      (request, response, _recorded, index) => {
        startSse(response);
        if (index === 0) {
          response.write(sseFrame(textEvent(1)) + sseFrame(textEvent(2)) + sseFrame(textEvent(3)));
          // Half a frame, then the connection breaks.
          response.write('id: 4\ndata: {"seq":4,');
          setTimeout(() => response.socket?.destroy(), 20);
          return;
        }
        const after = Number(request.headers['last-event-id']);
        // A server (or proxy) that repeats the last event: the client still delivers it once.
        for (let seq = after; seq <= 6; seq += 1) response.write(sseFrame(textEvent(seq)));
      },
      { onReconnect: (info) => reconnects.push(info) },
    );
    const received = await take(events, 6);
    expect(received.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server!.requests.map((request) => request.headers['last-event-id'])).toEqual([
      undefined,
      '3',
    ]);
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0]).toMatchObject({ attempt: 1, afterSeq: 3 });
  });

  it('starts after a given seq and reconnects when the server closes the stream', async () => {
    const events = await eventsFrom(
      (request, response, _recorded, index) => {
        startSse(response);
        const after = Number(request.headers['last-event-id']);
        response.end(
          sseFrame(textEvent(after + 1)) + (index === 0 ? sseFrame(textEvent(after + 2)) : ''),
        );
      },
      { afterSeq: 10 },
    );
    expect((await take(events, 4)).map((event) => event.seq)).toEqual([11, 12, 13, 14]);
    expect(server!.requests.map((request) => request.headers['last-event-id'])).toEqual([
      '10',
      '12',
      '13',
    ]);
  });

  it('tells onConnected about every established connection, before its first event', async () => {
    const log: string[] = [];
    const events = await eventsFrom(
      (request, response, _recorded, index) => {
        if (index === 1)
          return sendJson(response, 503, { error: 'unavailable', message: 'restarting' });
        startSse(response);
        const after = Number(request.headers['last-event-id'] ?? 0);
        response.end(sseFrame(textEvent(after + 1)));
      },
      { onConnected: () => log.push('connected'), onReconnect: () => log.push('reconnecting') },
    );
    for await (const received of events) {
      log.push(`event ${received.seq}`);
      if (received.seq >= 2) break;
    }
    // The refused attempt (503) is a reconnect without a connection.
    expect(log).toEqual([
      'connected',
      'event 1',
      'reconnecting',
      'reconnecting',
      'connected',
      'event 2',
    ]);
  });

  it('ends when the server closes the stream and reconnect is off', async () => {
    const events = await eventsFrom(
      (_request, response) => {
        startSse(response);
        response.end(sseFrame(textEvent(1)));
      },
      { reconnect: false },
    );
    expect((await take(events, 10)).map((event) => event.seq)).toEqual([1]);
    expect(server!.requests).toHaveLength(1);
  });

  it('stops cleanly, without an error, when the signal aborts', async () => {
    const controller = new AbortController();
    const events = await eventsFrom(
      (_request, response) => {
        startSse(response);
        response.write(sseFrame(textEvent(1)));
        // …and then nothing: the consumer aborts while waiting.
      },
      { signal: controller.signal },
    );
    const received: SessionEvent[] = [];
    for await (const event of events) {
      received.push(event);
      setTimeout(() => controller.abort(), 10);
    }
    expect(received.map((event) => event.seq)).toEqual([1]);
    expect(server!.requests).toHaveLength(1);
  });

  it('throws 401 and 404 at once instead of reconnecting', async () => {
    const events = await eventsFrom((_request, response) =>
      sendJson(response, 404, {
        error: 'not_found',
        message: 'session "session-1" not found in project "demo"',
      }),
    );
    const error = await take(events, 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    expect(server!.requests).toHaveLength(1);
    expect(server!.requests[0]?.url).toBe(EVENTS_URL);
  });

  it('replaces a connection that went silent (no keepalives) and resumes from its cursor', async () => {
    const events = await eventsFrom(
      (request, response, _recorded, index) => {
        startSse(response);
        if (index === 0) return void response.write(sseFrame(textEvent(1)));
        response.write(sseFrame(textEvent(Number(request.headers['last-event-id']) + 1)));
      },
      { idleTimeoutMs: 100 },
    );
    expect((await take(events, 2)).map((event) => event.seq)).toEqual([1, 2]);
    expect(server!.requests[1]?.headers['last-event-id']).toBe('1');
  });

  it('gives up after the configured number of failed reconnects', async () => {
    const events = await eventsFrom((_request, response) => void response.socket?.destroy(), {
      maxReconnectAttempts: 2,
    });
    await expect(take(events, 1)).rejects.toThrow(/cannot reach/);
    expect(server!.requests).toHaveLength(3);
  });

  it('rejects an event that is not a valid AG-UI event', async () => {
    const events = await eventsFrom((_request, response) => {
      startSse(response);
      response.write('id: 1\ndata: {"seq":1,"type":"NOT_A_TYPE"}\n\n');
    });
    await expect(take(events, 1)).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
