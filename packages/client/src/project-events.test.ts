import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.ts';
import { ClientError, InvalidResponseError } from './errors.ts';
import type { ProjectEvent, ProjectEventsOptions, SessionListEntry } from './project-events.ts';
import { sendJson, startSse, startTestServer } from './test-http-server.ts';
import type { TestHandler, TestHttpServer } from './test-http-server.ts';

const FAST_BACKOFF = { initialDelayMs: 5, maxDelayMs: 20 };

const entry = (name: string, phase = 'Running'): SessionListEntry =>
  ({ name, uid: `uid-${name}`, phase, interactive: true }) as SessionListEntry;

/** One frame as project-events.ts on the server writes it: `id:` is the resourceVersion. */
function frame(resourceVersion: number, data: Record<string, unknown>): string {
  return `id: ${resourceVersion}\ndata: ${JSON.stringify(data)}\n\n`;
}
const reset = (resourceVersion: number, ...names: string[]): string =>
  frame(resourceVersion, {
    type: 'reset',
    resourceVersion: String(resourceVersion),
    sessions: names.map((name) => entry(name)),
  });
const change = (resourceVersion: number, action: string, name: string, phase?: string): string =>
  frame(resourceVersion, { type: 'session', action, session: entry(name, phase) });

describe('project event stream', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Follows the stream until `count` events arrived, then aborts; resolves with what arrived. */
  async function follow(
    handler: TestHandler,
    count: number,
    options: Partial<ProjectEventsOptions> = {},
  ) {
    server = await startTestServer(handler);
    const client = createClient({
      baseUrl: server.url,
      token: 'token-0123456789abcdef',
      backoff: FAST_BACKOFF,
    });
    const controller = new AbortController();
    const received: ProjectEvent[] = [];
    const done = client.projects.events('demo', {
      signal: controller.signal,
      ...options,
      onEvent: (event) => {
        received.push(event);
        if (received.length >= count) controller.abort();
      },
    });
    return { done, received };
  }

  it('delivers the reset and the changes, and resumes after a dropped connection from the last id', async () => {
    const log: string[] = [];
    const { done, received } = await follow(
      (_request, response, _recorded, index) => {
        startSse(response);
        if (index === 0) {
          response.write(
            `: keepalive\n\n${reset(10, 'a', 'b')}${change(11, 'MODIFIED', 'a', 'Completed')}`,
          );
          setTimeout(() => response.socket?.destroy(), 20);
          return;
        }
        response.write(change(12, 'DELETED', 'b'));
      },
      3,
      {
        onConnected: () => log.push('connected'),
        onReconnect: (info) => log.push(`reconnect after ${info.resourceVersion}`),
      },
    );
    await done;
    expect(received.map((event) => [event.type, event.resourceVersion])).toEqual([
      ['reset', '10'],
      ['session', '11'],
      ['session', '12'],
    ]);
    expect(received[0]).toMatchObject({ type: 'reset', sessions: [{ name: 'a' }, { name: 'b' }] });
    expect(received[2]).toMatchObject({ action: 'DELETED', session: { name: 'b' } });
    expect(
      server!.requests.map((request) => [request.url, request.headers['last-event-id']]),
    ).toEqual([
      ['/api/projects/demo/events', undefined],
      ['/api/projects/demo/events', '11'],
    ]);
    expect(log).toEqual(['connected', 'reconnect after 11', 'connected']);
  });

  it('starts from a given resourceVersion', async () => {
    const { done, received } = await follow(
      (_request, response) => {
        startSse(response);
        response.write(change(8, 'ADDED', 'c'));
      },
      1,
      { resourceVersion: '7' },
    );
    await done;
    expect(received).toMatchObject([{ type: 'session', action: 'ADDED', resourceVersion: '8' }]);
    expect(server!.requests[0]?.headers['last-event-id']).toBe('7');
  });

  it('rejects with the 404 at once instead of reconnecting', async () => {
    const { done } = await follow(
      (_request, response) =>
        sendJson(response, 404, { error: 'not_found', message: 'project "demo" not found' }),
      1,
    );
    const error = await done.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ status: 404 });
    expect(server!.requests).toHaveLength(1);
  });

  it('rejects a frame that is not a project event', async () => {
    const { done } = await follow((_request, response) => {
      startSse(response);
      response.write(frame(3, { type: 'session', action: 'RENAMED', session: entry('a') }));
    }, 1);
    await expect(done).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
