/**
 * Following a Server-Sent Events stream of the platform: one connection after another, each
 * resuming with `Last-Event-ID` = the caller's cursor, with backoff between attempts and an idle
 * timeout that replaces a connection gone silent. The session stream (event-stream.ts) and the
 * project stream (project-events.ts) both use it; they parse the frames and keep the cursor.
 */
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { backoffDelayMs, sleep } from './backoff.ts';
import {
  ClientError,
  errorFromResponse,
  InvalidResponseError,
  isTransientStatus,
} from './errors.ts';
import type { Transport } from './transport.ts';

export type { EventSourceMessage } from 'eventsource-parser';

export interface SseFollowOptions {
  /** Ends the iteration cleanly (no error) when aborted. */
  signal?: AbortSignal;
  /** Reconnect after a dropped connection (default true). Off: the iteration ends when the server closes. */
  reconnect?: boolean;
  /** Consecutive failed connection attempts before the last error is thrown (default 10). */
  maxReconnectAttempts?: number;
  /**
   * Silence (not even a keepalive comment; the server sends one every 15 s) after which the
   * connection is considered dead and replaced. Catches half-open TCP connections. Default 45 s.
   */
  idleTimeoutMs?: number;
  /**
   * Told each time a connection is established (the server answered 200 with a stream), before its
   * first frame: the stream is live. Readers resync what they may have missed while disconnected.
   */
  onConnected?: () => void;
}

export interface SseReconnect {
  attempt: number;
  delayMs: number;
  error: unknown;
}

export const DEFAULT_MAX_RECONNECT_ATTEMPTS = 10;
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

class StreamClosedError extends Error {
  override readonly name = 'StreamClosedError';
}

class IdleTimeoutError extends Error {
  override readonly name = 'IdleTimeoutError';
}

/** 4xx answers and malformed events would fail the same way again; everything else may heal. */
function isRetryable(error: unknown): boolean {
  if (error instanceof ClientError) return isTransientStatus(error.status);
  return !(error instanceof InvalidResponseError);
}

/**
 * The frames of `path`, across reconnects. `cursor()` is read before every connection (the
 * caller advances it as it consumes frames); `onReconnect` is told before each wait. Throws when
 * the server refuses for good (4xx), a frame is malformed (thrown by the caller's parser), or
 * `maxReconnectAttempts` consecutive attempts failed.
 */
export async function* followSse(
  transport: Transport,
  path: string,
  cursor: () => string | undefined,
  options: SseFollowOptions & { onReconnect?: (info: SseReconnect) => void },
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const { signal } = options;
  const reconnect = options.reconnect ?? true;
  const maxAttempts = options.maxReconnectAttempts ?? DEFAULT_MAX_RECONNECT_ATTEMPTS;
  let failures = 0;
  for (;;) {
    if (signal?.aborted) return;
    let failure: unknown;
    try {
      yield* connectOnce(transport, path, cursor(), {
        signal,
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        onConnected: () => {
          // Reachable and authorised: only consecutive failures to connect count towards giving up.
          failures = 0;
          options.onConnected?.();
        },
      });
      if (!reconnect) return;
      failure = new StreamClosedError('the server closed the event stream');
    } catch (error) {
      if (signal?.aborted) return;
      if (!reconnect || !isRetryable(error)) throw error;
      failure = error;
    }
    failures += 1;
    if (failures > maxAttempts) throw failure;
    const delayMs = backoffDelayMs(failures, transport.backoff);
    options.onReconnect?.({ attempt: failures, delayMs, error: failure });
    await sleep(delayMs, signal);
  }
}

interface ConnectOptions {
  signal: AbortSignal | undefined;
  idleTimeoutMs: number;
  onConnected: () => void;
}

/** One SSE connection: yields its frames until the server closes it; throws when it breaks. */
async function* connectOnce(
  transport: Transport,
  path: string,
  lastEventId: string | undefined,
  options: ConnectOptions,
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const connection = new AbortController();
  const forwardAbort = (): void => connection.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  // Armed only while we wait for the network, so a slow consumer is never mistaken for a dead server.
  const armIdleTimer = (): void => {
    idleTimer = setTimeout(
      () => connection.abort(new IdleTimeoutError('no data from the server')),
      options.idleTimeoutMs,
    );
  };
  const disarmIdleTimer = (): void => clearTimeout(idleTimer);
  try {
    const headers = transport.headers({ accept: 'text/event-stream' });
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    armIdleTimer();
    const response = await transport.send('GET', path, { headers, signal: connection.signal });
    disarmIdleTimer();
    if (!response.ok) throw await errorFromResponse(response);
    if (!response.body) throw new InvalidResponseError(`GET ${path} answered without a body`);
    options.onConnected();

    const messages: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (message) => messages.push(message) });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      armIdleTimer();
      const chunk = await reader.read();
      disarmIdleTimer();
      if (chunk.done) return;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      for (let message = messages.shift(); message; message = messages.shift()) yield message;
    }
  } finally {
    disarmIdleTimer();
    options.signal?.removeEventListener('abort', forwardAbort);
    // Releases the connection when the consumer stopped early or the stream broke.
    connection.abort();
  }
}

/** The frame's `data` as JSON; `what` names the frame in the error (e.g. "event 12"). */
export function frameJson(message: EventSourceMessage, what: string): unknown {
  try {
    return JSON.parse(message.data);
  } catch {
    throw new InvalidResponseError(`${what} is not JSON`);
  }
}
