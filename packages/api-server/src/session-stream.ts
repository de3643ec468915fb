/**
 * One session stream, whatever the transport (SSE or WebSocket): the compacted prefix when the
 * cursor calls for it, then the stored events after it, then live ones. Exactly once and in seq
 * order, from any cursor (core/compaction.ts states the rule).
 *
 * Catch-up is paced by the transport: the next page is read only when the previous one was taken,
 * so a reader replaying a long log never makes the server hold more than a page. Live events are
 * queued up to a bound; a viewer that falls further behind than that is cut off (`slow_consumer`)
 * and resumes from its cursor, instead of the server buffering without limit (ADR 0003).
 *
 * With an AccessWatch (stream-access.ts) nothing is sent once the reader lost access, and the
 * stream ends with `access_lost`; the transport tells the reader why.
 */
import { planResume } from '@ambient/core';
import type { EventLog } from '@ambient/core';
import type { CompactionCache, EncodedEvent } from './compaction-cache.ts';
import { encodeEvent, yieldToEventLoop } from './compaction-cache.ts';
import { LiveQueue } from './live-queue.ts';
import { DEFAULT_ACCESS_RECHECK_MS } from './stream-access.ts';
import type { AccessWatch } from './stream-access.ts';

export interface StreamTransport {
  /** Writes the events in order; resolves when the transport has taken them (its backpressure). */
  send(events: readonly EncodedEvent[]): Promise<void>;
}

export interface StreamLimits {
  /** Live events queued for a viewer before it is cut off. */
  maxQueuedEvents: number;
  /** Serialised size of the queued live events before the viewer is cut off. */
  maxQueuedBytes: number;
  /** Stored events read (and sent) per step while catching up. */
  pageSize: number;
  /** How long an open stream trusts its last access check (stream-access.ts). */
  accessRecheckMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxQueuedEvents: 20_000,
  maxQueuedBytes: 8 * 1024 * 1024,
  pageSize: 500,
  accessRecheckMs: DEFAULT_ACCESS_RECHECK_MS,
};

export interface SessionStreamOptions {
  events: EventLog;
  cache: CompactionCache;
  sessionUid: string;
  /** The reader has every event up to and including this seq. */
  afterSeq: number;
  /** false: raw events only (debugging, exports). */
  compact: boolean;
  transport: StreamTransport;
  /** Aborted when the reader went away. */
  signal: AbortSignal;
  limits?: Partial<StreamLimits>;
  /** Re-checks the reader's access while the stream is open. */
  access?: AccessWatch;
}

/**
 * Why a stream ended: the reader left, it fell too far behind and must resume, or it lost access
 * (or its access could not be confirmed: `access.revoked` tells the two apart).
 */
export type StreamEnd = 'closed' | 'slow_consumer' | 'access_lost';

export async function streamSessionEvents(options: SessionStreamOptions): Promise<StreamEnd> {
  const { access } = options;
  if (!access) return streamEvents(options);
  const guarded: SessionStreamOptions = {
    ...options,
    transport: { send: access.guard((events: readonly EncodedEvent[]) => options.transport.send(events)) },
    signal: AbortSignal.any([options.signal, access.signal]),
  };
  const end = await streamEvents(guarded);
  return access.signal.aborted ? 'access_lost' : end;
}

async function streamEvents(options: SessionStreamOptions): Promise<StreamEnd> {
  const { events, sessionUid, transport, signal } = options;
  const limits = { ...DEFAULT_STREAM_LIMITS, ...options.limits };
  let cursor = options.afterSeq;
  if (options.compact) {
    const prefix = await options.cache.prefixFor(sessionUid);
    const plan = planResume(prefix.frames, prefix.throughSeq, cursor);
    if (plan.replay.length > 0 && !signal.aborted) await transport.send(plan.replay);
    cursor = plan.rawAfterSeq;
  }
  for (;;) {
    if (signal.aborted) return 'closed';
    const page = await events.read(sessionUid, { afterSeq: cursor, limit: limits.pageSize });
    const last = page[page.length - 1];
    if (last !== undefined) {
      await transport.send(page.map(encodeEvent));
      cursor = last.seq;
    }
    if (page.length < limits.pageSize) break;
    await yieldToEventLoop(); // a long catch-up shares the loop with every other stream
  }
  if (signal.aborted) return 'closed';
  return followLive(options, cursor, limits);
}

function followLive(options: SessionStreamOptions, afterSeq: number, limits: StreamLimits): Promise<StreamEnd> {
  const { events, sessionUid, transport, signal } = options;
  return new Promise<StreamEnd>((resolve) => {
    let lastQueuedSeq = afterSeq;
    let ended = false;
    let unsubscribe = (): void => undefined;
    const end = (reason: StreamEnd): void => {
      if (ended) return;
      ended = true;
      queue.close();
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      resolve(reason);
    };
    const onAbort = (): void => end('closed');
    const queue = new LiveQueue<EncodedEvent>({
      send: (batch) => transport.send(batch),
      sizeOf: (event) => event.json.length,
      maxItems: limits.maxQueuedEvents,
      maxBytes: limits.maxQueuedBytes,
      onOverflow: () => end('slow_consumer'),
      onSendError: () => end('closed'),
    });
    unsubscribe = events.follow(sessionUid, afterSeq, (batch) => {
      // The follow catch-up overlaps what was already sent; seq order makes the overlap plain.
      const fresh = batch.filter((event) => event.seq > lastQueuedSeq);
      const last = fresh[fresh.length - 1];
      if (last === undefined) return;
      lastQueuedSeq = last.seq;
      queue.push(fresh.map(encodeEvent));
    });
    // An adapter that delivered (and overflowed) synchronously ended us before we held the handle.
    if (ended) unsubscribe();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
  });
}
