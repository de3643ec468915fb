/**
 * A session's event stream as an async iterable. Each SSE frame's `id:` is the event's seq (ADR
 * 0003), so after a dropped connection we reconnect with `Last-Event-ID` = the last seq we delivered
 * and the server sends exactly the rest. Events at or below that seq are skipped as well, so the
 * consumer sees every event exactly once even if a server or proxy repeated one.
 */
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { sessionEventSchema } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { backoffDelayMs, sleep } from './backoff.ts';
import {
  ClientError,
  errorFromResponse,
  InvalidResponseError,
  isTransientStatus,
} from './errors.ts';
import type { Transport } from './transport.ts';

export interface SessionEventsOptions {
  /** Start after this seq (0, the default, replays the session from its first event). */
  afterSeq?: number;
  /**
   * false: every stored event as it was recorded. Default: finished runs arrive compacted into one
   * MESSAGES_SNAPSHOT (small, fast reconnects), the run in progress raw.
   */
  compact?: boolean;
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
  /** Told before each reconnect wait, e.g. to show "reconnecting…". */
  onReconnect?: (info: ReconnectInfo) => void;
}

export interface ReconnectInfo {
  attempt: number;
  delayMs: number;
  /** The seq the next connection resumes after. */
  afterSeq: number;
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

export async function* streamSessionEvents(
  transport: Transport,
  path: string,
  options: SessionEventsOptions = {},
): AsyncGenerator<SessionEvent, void, undefined> {
  const { signal } = options;
  const reconnect = options.reconnect ?? true;
  const maxAttempts = options.maxReconnectAttempts ?? DEFAULT_MAX_RECONNECT_ATTEMPTS;
  let lastSeq = options.afterSeq ?? 0;
  let failures = 0;
  for (;;) {
    if (signal?.aborted) return;
    let failure: unknown;
    try {
      const connection = connectOnce(transport, path, lastSeq, {
        signal,
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        // Reachable and authorised: only consecutive failures to connect count towards giving up.
        onConnected: () => (failures = 0),
      });
      for await (const event of connection) {
        if (event.seq <= lastSeq) continue;
        lastSeq = event.seq;
        yield event;
      }
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
    options.onReconnect?.({ attempt: failures, delayMs, afterSeq: lastSeq, error: failure });
    await sleep(delayMs, signal);
  }
}

interface ConnectOptions {
  signal: AbortSignal | undefined;
  idleTimeoutMs: number;
  onConnected: () => void;
}

/** One SSE connection: yields its events until the server closes it; throws when it breaks. */
async function* connectOnce(
  transport: Transport,
  path: string,
  afterSeq: number,
  options: ConnectOptions,
): AsyncGenerator<SessionEvent, void, undefined> {
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
    if (afterSeq > 0) headers['last-event-id'] = String(afterSeq);
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
      for (let message = messages.shift(); message; message = messages.shift()) {
        yield parseEvent(message);
      }
    }
  } finally {
    disarmIdleTimer();
    options.signal?.removeEventListener('abort', forwardAbort);
    // Releases the connection when the consumer stopped early or the stream broke.
    connection.abort();
  }
}

export function parseEvent(message: EventSourceMessage): SessionEvent {
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch {
    throw new InvalidResponseError(`event ${message.id ?? '(no id)'} is not JSON`);
  }
  const parsed = sessionEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidResponseError(
      `event ${message.id ?? '(no id)'} is not a valid session event${issue ? `: ${issue.message}` : ''}`,
    );
  }
  return parsed.data;
}
