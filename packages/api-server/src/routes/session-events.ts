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
 * from its last id after the hinted delay. A viewer whose access is revoked while the stream is
 * open gets a final `: access revoked` comment and the end of the stream; its reconnect is then
 * refused like any REST call (404 or 403).
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AFTER_SEQ_PARAM, resourceNameSchema } from '@ambient/contracts';
import { UnauthorizedError, ValidationError } from '@ambient/core';
import type { Logger } from '@ambient/logger';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { DEFAULT_KEEPALIVE_MS } from '../deps.ts';
import { compactionCacheFor } from '../compaction-cache.ts';
import type { EncodedEvent } from '../compaction-cache.ts';
import { currentRequestContext } from '../request-context.ts';
import { acceptsGzip, sseBodyFor } from '../sse-body.ts';
import { streamSessionEvents } from '../session-stream.ts';
import type { StreamEnd, StreamLimits } from '../session-stream.ts';
import { watchReaderAccess } from '../stream-access.ts';
import type { AccessWatch } from '../stream-access.ts';
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

/** How long the last words to a reader who lost access may take before the stream is cut. */
const FINAL_WRITE_GRACE_MS = 5_000;

/** The comment that ends a stream whose reader lost access; a reconnect then gets the 403/404. */
export const ACCESS_REVOKED_COMMENT = ': access revoked: this stream ended because you may no longer read it\n\n';

export interface SseResponseOptions {
  keepaliveMs: number;
  logger: Logger;
  /** The reader's access, re-checked while the stream is open; stopped when it ends. */
  access: AccessWatch;
}

/**
 * Runs an SSE response with the retry hint first and keepalive comments while it lasts, gzipped
 * when the client accepts it (sse-body.ts). `serve` returns when the stream should end;
 * `stream.abort()` ends it at once even while a write waits on a slow client (what the cut-off
 * needs: hono's `close` would wait for the client to read). A reader who lost access gets a final
 * comment and a clean end without waiting for `serve`, which may be blocked on that reader.
 */
export function sseResponse(
  c: Context<AppEnv>,
  options: SseResponseOptions,
  serve: (write: (text: string) => Promise<void>, signal: AbortSignal) => Promise<StreamEnd>,
): Response {
  const { access, logger } = options;
  const acceptEncoding = c.req.header('accept-encoding');
  // Reverse proxies (nginx) must pass frames through instead of buffering the response.
  c.header('X-Accel-Buffering', 'no');
  c.header('Vary', 'Accept-Encoding');
  if (acceptsGzip(acceptEncoding)) c.header('Content-Encoding', 'gzip');
  return streamSSE(c, async (stream) => {
    const body = sseBodyFor(acceptEncoding, (bytes) => stream.write(bytes));
    const gone = new AbortController();
    stream.onAbort(() => gone.abort());
    const keepalive = setInterval(() => void body.write(': keepalive\n\n'), options.keepaliveMs);
    const accessLost = new Promise<StreamEnd>((resolve) => access.signal.addEventListener('abort', () => resolve('access_lost'), { once: true }));
    try {
      await body.write(`retry: ${SSE_RETRY_MS}\n\n`);
      const served = serve((text) => body.write(text), gone.signal);
      served.catch(() => undefined); // when access is lost first, its outcome no longer matters
      const end = await Promise.race([served, accessLost]);
      if (end === 'slow_consumer') {
        logger.info({ path: c.req.path }, 'sse.slow_consumer_cut_off');
        stream.abort();
      } else if (end === 'access_lost' && !access.revoked) {
        // Access could not be confirmed: the reader reconnects and is admitted (or not) afresh.
        logger.warn({ err: access.signal.reason, path: c.req.path }, 'sse.access_check_failed');
        stream.abort();
      } else if (end === 'access_lost') {
        logger.info({ path: c.req.path }, 'sse.access_revoked');
        const cutOff = setTimeout(() => stream.abort(), FINAL_WRITE_GRACE_MS);
        await body.write(ACCESS_REVOKED_COMMENT);
        await body.end();
        clearTimeout(cutOff);
      }
    } catch (error) {
      logger.warn({ err: error, path: c.req.path }, 'sse.stream_failed');
      stream.abort();
    } finally {
      clearInterval(keepalive);
      access.stop();
      if (stream.aborted) body.destroy();
      else await body.end();
    }
  });
}

/** The reader's access to a project's streams, watched from the request that opened one. */
export function watchStreamAccess(deps: ApiDeps, project: string, limits?: Partial<StreamLimits>): AccessWatch {
  const bearerToken = currentRequestContext()?.bearerToken;
  if (bearerToken === undefined) throw new UnauthorizedError('missing bearer token (Authorization: Bearer <token>)');
  return watchReaderAccess(deps, { bearerToken, project, intervalMs: limits?.accessRecheckMs });
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
    const access = watchStreamAccess(deps, project.metadata.name, limits);
    return sseResponse(c, { keepaliveMs, logger: deps.logger, access }, (write, signal) =>
      streamSessionEvents({
        events: deps.events,
        cache: compactionCacheFor(deps.events),
        sessionUid: session.metadata.uid,
        afterSeq,
        compact,
        signal,
        limits,
        access,
        transport: { send: (events) => write(frames(events)) },
      }),
    );
  };
}
