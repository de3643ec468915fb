/**
 * GET …/agui/events: the session's event stream over SSE. Each frame's `id:` is the event's seq,
 * so a client that reconnects with `Last-Event-ID` (or `?after=<seq>`) gets exactly the events it
 * missed, then live ones: none lost, none twice.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AFTER_SEQ_PARAM, resourceNameSchema } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { ValidationError } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { DEFAULT_KEEPALIVE_MS } from '../deps.ts';
import { parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';
import { getSession } from '../session-service.ts';

/** Reads the resume cursor: `Last-Event-ID` wins over `?after=` (a browser's EventSource sets it). */
export function resumeCursor(lastEventId: string | undefined, after: string | undefined): number {
  const raw = lastEventId ?? after;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) {
    throw new ValidationError('the resume cursor must be a non-negative integer (Last-Event-ID or ?after=)');
  }
  return Number(raw);
}

/**
 * A viewer this far behind is cut off rather than buffered without bound; it reconnects with its
 * cursor and catches up from the log.
 */
export const MAX_PENDING_EVENTS = 20_000;

export function sessionEventsHandler(deps: ApiDeps) {
  return async (c: Context<AppEnv>) => {
    const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
    const name = parseWith(resourceNameSchema, c.req.param('session'), 'session name');
    const session = await getSession(deps, project.metadata.name, name);
    const afterSeq = resumeCursor(c.req.header('last-event-id'), c.req.query(AFTER_SEQ_PARAM));
    const keepaliveMs = deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;

    return streamSSE(c, async (stream) => {
      const pending: SessionEvent[] = [];
      let wake: (() => void) | undefined;
      let closed = false;
      const unsubscribe = deps.events.follow(session.metadata.uid, afterSeq, (events) => {
        pending.push(...events);
        if (pending.length > MAX_PENDING_EVENTS) closed = true;
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      const keepalive = setInterval(() => {
        void stream.write(': keepalive\n\n');
      }, keepaliveMs);
      try {
        while (!closed) {
          if (pending.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          const batch = pending.splice(0, pending.length);
          let frames = '';
          for (const event of batch) frames += `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
          await stream.write(frames);
        }
      } finally {
        clearInterval(keepalive);
        unsubscribe();
      }
    });
  };
}
