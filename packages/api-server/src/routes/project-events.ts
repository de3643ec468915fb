/**
 * GET /api/projects/:project/events: the project's session changes over SSE, for list views.
 *
 * Frames (one JSON object each):
 *   {type: 'reset', resourceVersion, sessions: [SessionListEntry…]}: the whole list; replace yours.
 *   {type: 'session', action: 'ADDED'|'MODIFIED'|'DELETED', session: SessionListEntry}
 * Every frame's SSE `id:` is the store resourceVersion it reflects, so a reconnect with
 * `Last-Event-ID` (or `?resourceVersion=`) resumes the watch right after it, exactly. Without a
 * cursor, or when the store no longer remembers the version (GoneError, like Kubernetes' 410), the
 * stream starts with a `reset` frame and watches from the list's resourceVersion: list-then-watch,
 * so no change falls in between. A reader that falls behind is cut off like session streams are,
 * and one that loses access to the project is told so and ended like them (stream-access.ts).
 */
import { Hono } from 'hono';
import { AgenticSessionKind } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import { PlatformError, ValidationError } from '@ambient/core';
import type { Stored, WatchEvent } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { DEFAULT_KEEPALIVE_MS } from '../deps.ts';
import { LiveQueue } from '../live-queue.ts';
import { DEFAULT_STREAM_LIMITS } from '../session-stream.ts';
import type { StreamEnd, StreamLimits } from '../session-stream.ts';
import { loadProject } from './projects.ts';
import { sseFrame, sseResponse, watchStreamAccess } from './session-events.ts';

export const RESOURCE_VERSION_PARAM = 'resourceVersion';

/** What a list view shows of a session. */
export interface SessionListEntry {
  name: string;
  uid: string;
  displayName?: string;
  phase: string;
  createdAt?: string;
  interactive: boolean;
  createdBy?: string;
  runCount?: number;
  startTime?: string;
  completionTime?: string;
  lastActivityTime?: string;
  stoppedReason?: string;
  message?: string;
  result?: { subtype: string; isError: boolean; totalCostUsd?: number; numTurns?: number; durationMs?: number };
}

export function sessionListEntry(session: Stored<AgenticSession>): SessionListEntry {
  const status = session.status;
  const result = status?.result;
  return {
    name: session.metadata.name,
    uid: session.metadata.uid,
    displayName: session.spec.displayName,
    phase: status?.phase ?? 'Pending',
    createdAt: session.metadata.creationTimestamp,
    interactive: session.spec.interactive,
    createdBy: session.spec.userContext?.userId,
    runCount: status?.runCount,
    startTime: status?.startTime,
    completionTime: status?.completionTime,
    lastActivityTime: status?.lastActivityTime,
    stoppedReason: status?.stoppedReason,
    message: status?.message,
    result: result && {
      subtype: result.subtype,
      isError: result.isError,
      totalCostUsd: result.totalCostUsd,
      numTurns: result.numTurns,
      durationMs: result.durationMs,
    },
  };
}

/** `Last-Event-ID` wins over `?resourceVersion=`; both must be store versions (digits). */
export function resourceVersionCursor(lastEventId: string | undefined, query: string | undefined): string | undefined {
  const raw = lastEventId ?? query;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new ValidationError('the resume cursor must be a resourceVersion (Last-Event-ID or ?resourceVersion=)');
  return raw;
}

/** Attempts at list-then-watch when even the fresh list's version is already gone (heavy churn). */
const RESET_ATTEMPTS = 3;

export function projectEventRoutes(deps: ApiDeps, limits?: Partial<StreamLimits>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/events', async (c) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    const fromVersion = resourceVersionCursor(c.req.header('last-event-id'), c.req.query(RESOURCE_VERSION_PARAM));
    const keepaliveMs = deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    const access = watchStreamAccess(deps, project.metadata.name, limits);
    return sseResponse(c, { keepaliveMs, logger: deps.logger, access }, (write, signal) =>
      followProject(deps, project.metadata.name, fromVersion, access.guard(write), AbortSignal.any([signal, access.signal]), {
        ...DEFAULT_STREAM_LIMITS,
        ...limits,
      }).then((end) => (access.signal.aborted ? 'access_lost' : end)),
    );
  });
  return app;
}

function followProject(
  deps: ApiDeps,
  namespace: string,
  fromVersion: string | undefined,
  write: (text: string) => Promise<void>,
  signal: AbortSignal,
  limits: StreamLimits,
): Promise<StreamEnd> {
  return new Promise<StreamEnd>((resolve, reject) => {
    let unwatch = (): void => undefined;
    let ended = false;
    const end = (reason: StreamEnd): void => {
      if (ended) return;
      ended = true;
      queue.close();
      unwatch();
      signal.removeEventListener('abort', onAbort);
      resolve(reason);
    };
    const onAbort = (): void => end('closed');
    const queue = new LiveQueue<string>({
      send: (frames) => write(frames.join('')),
      sizeOf: (frame) => frame.length,
      maxItems: limits.maxQueuedEvents,
      maxBytes: limits.maxQueuedBytes,
      onOverflow: () => end('slow_consumer'),
      onSendError: () => end('closed'),
    });
    const onChange = (event: WatchEvent<AgenticSession>): void => {
      const data = { type: 'session', action: event.type, session: sessionListEntry(event.object) };
      queue.push([sseFrame(event.object.metadata.resourceVersion, JSON.stringify(data))]);
    };
    const watchFrom = (resourceVersion: string): boolean => {
      try {
        unwatch = deps.store.watch(AgenticSessionKind, { namespace, resourceVersion }, onChange);
        return true;
      } catch (error) {
        if (PlatformError.isInstance(error) && error.code === 'gone') return false;
        throw error;
      }
    };
    const start = async (): Promise<void> => {
      if (fromVersion !== undefined && watchFrom(fromVersion)) return;
      for (let attempt = 1; ; attempt += 1) {
        const list = await deps.store.list(AgenticSessionKind, namespace);
        if (ended) return;
        const reset = { type: 'reset', resourceVersion: list.resourceVersion, sessions: list.items.map(sessionListEntry) };
        queue.push([sseFrame(list.resourceVersion, JSON.stringify(reset))]);
        if (watchFrom(list.resourceVersion)) return;
        if (attempt >= RESET_ATTEMPTS) throw new PlatformError('unavailable', 'the session list changes too fast to watch; reconnect');
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    start().then(
      () => {
        if (ended) unwatch(); // the reader left while we listed
        if (signal.aborted) onAbort();
      },
      (error: unknown) => {
        end('closed');
        reject(error);
      },
    );
  });
}
