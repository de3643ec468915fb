/**
 * A session's event stream as an async iterable. Each SSE frame's `id:` is the event's seq (ADR
 * 0003), so after a dropped connection we reconnect with `Last-Event-ID` = the last seq we delivered
 * and the server sends exactly the rest. Events at or below that seq are skipped as well, so the
 * consumer sees every event exactly once even if a server or proxy repeated one.
 */
import { sessionEventSchema } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { InvalidResponseError } from './errors.ts';
import { followSse, frameJson } from './sse.ts';
import type { EventSourceMessage, SseFollowOptions } from './sse.ts';
import type { Transport } from './transport.ts';

/** `signal`, `reconnect`, `maxReconnectAttempts`, `idleTimeoutMs` and `onConnected`: see SseFollowOptions. */
export interface SessionEventsOptions extends SseFollowOptions {
  /** Start after this seq (0, the default, replays the session from its first event). */
  afterSeq?: number;
  /**
   * false: every stored event as it was recorded. Default: finished runs arrive compacted into one
   * MESSAGES_SNAPSHOT (small, fast reconnects), the run in progress raw.
   */
  compact?: boolean;
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

export async function* streamSessionEvents(
  transport: Transport,
  path: string,
  options: SessionEventsOptions = {},
): AsyncGenerator<SessionEvent, void, undefined> {
  let lastSeq = options.afterSeq ?? 0;
  const frames = followSse(transport, path, () => (lastSeq > 0 ? String(lastSeq) : undefined), {
    ...options,
    onReconnect: (info) => options.onReconnect?.({ ...info, afterSeq: lastSeq }),
  });
  for await (const message of frames) {
    const event = parseEvent(message);
    if (event.seq <= lastSeq) continue;
    lastSeq = event.seq;
    yield event;
  }
}

export function parseEvent(message: EventSourceMessage): SessionEvent {
  const what = `event ${message.id ?? '(no id)'}`;
  const parsed = sessionEventSchema.safeParse(frameJson(message, what));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidResponseError(
      `${what} is not a valid session event${issue ? `: ${issue.message}` : ''}`,
    );
  }
  return parsed.data;
}
