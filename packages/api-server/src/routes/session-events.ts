/**
 * GET …/agui/events: the session's event stream over SSE.
 *
 * Each frame's `id:` is the seq of the last event it stands for, so a client that reconnects with
 * `Last-Event-ID` (or `?after=<seq>`) gets exactly what it misses: finished runs as one compacted
 * MESSAGES_SNAPSHOT when its cursor is inside them (core/compaction.ts), then raw events, then live
 * ones; none lost, none twice. `?compact=false` streams every raw event (debugging, exports).
 *
 * The stream opens with a `retry:` hint, sends a keepalive comment when idle (proxies drop silent
 * connections), and ends a viewer that falls too far behind the live events; the client resumes
 * from its last id after the hinted delay.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { SSEStreamingApi } from 'hono/streaming';
import { AFTER_SEQ_PARAM, resourceNameSchema } from '@ambient/contracts';
import { ValidationError } from '@ambient/core';
import type { Logger } from '@ambient/logger';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { DEFAULT_KEEPALIVE_MS } from '../deps.ts';
import { compactionCacheFor } from '../compaction-cache.ts';
import type { EncodedEvent } from '../compaction-cache.ts';
import { streamSessionEvents } from '../session-stream.ts';
import type { StreamLimits } from '../session-stream.ts';
import { parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';
import { getSession } from '../session-service.ts';

/** Query parameter that switches compaction off (`compact=false`). */
export const COMPACT_PARAM = 'compact';

/** Reconnect delay suggested to EventSource clients (the SSE `retry:` field). */
export const SSE_RETRY_MS = 2_000;

/** Reads the resume cursor: `Last-Event-ID` wins over `?after=` (a browser's EventSource sets it). */
export function resumeCursor(lastEventId: string | undefined, after: string | undefined): number {
  const raw = lastEventId ?? after;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new ValidationError('the resume cursor must be a non-negative integer (Last-Event-ID or ?after=)');
  }
  return Number(raw);
}

/** `compact=false|0` asks for raw events; absent, empty, `true` or `1` for compaction. */
export function compactionRequested(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ValidationError('compact must be true or false');
}

export function sseFrame(id: string | number, data: string): string {
  return `id: ${id}\ndata: ${data}\n\n`;
}

/**
 * Runs an SSE response with the retry hint first and keepalive comments while it lasts. `serve`
 * returns when the stream should end; `stream.abort()` ends it at once even while a write waits on
 * a slow client (what the cut-off needs: hono's `close` would wait for the client to read).
 */
export function sseResponse(
  c: Context<AppEnv>,
  options: { keepaliveMs: number; logger: Logger },
  serve: (stream: SSEStreamingApi, signal: AbortSignal) => Promise<'closed' | 'slow_consumer'>,
): Response {
  // Reverse proxies (nginx) must pass frames through instead of buffering the response.
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const gone = new AbortController();
    stream.onAbort(() => gone.abort());
    const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), options.keepaliveMs);
    try {
      await stream.write(`retry: ${SSE_RETRY_MS}\n\n`);
      const end = await serve(stream, gone.signal);
      if (end === 'slow_consumer') {
        options.logger.info({ path: c.req.path }, 'sse.slow_consumer_cut_off');
        stream.abort();
      }
    } catch (error) {
      options.logger.warn({ err: error, path: c.req.path }, 'sse.stream_failed');
      stream.abort();
    } finally {
      clearInterval(keepalive);
    }
  });
}

export function sessionEventsHandler(deps: ApiDeps, limits?: Partial<StreamLimits>) {
  return async (c: Context<AppEnv>) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    const name = parseWith(resourceNameSchema, c.req.param('session'), 'session name');
    const session = await getSession(deps, project.metadata.name, name);
    const afterSeq = resumeCursor(c.req.header('last-event-id'), c.req.query(AFTER_SEQ_PARAM));
    const compact = compactionRequested(c.req.query(COMPACT_PARAM));
    const keepaliveMs = deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    const frames = (events: readonly EncodedEvent[]): string => events.map((event) => sseFrame(event.seq, event.json)).join('');
    return sseResponse(c, { keepaliveMs, logger: deps.logger }, (stream, signal) =>
      streamSessionEvents({
        events: deps.events,
        cache: compactionCacheFor(deps.events),
        sessionUid: session.metadata.uid,
        afterSeq,
        compact,
        signal,
        limits,
        transport: { send: async (events) => void (await stream.write(frames(events))) },
      }),
    );
  };
}
