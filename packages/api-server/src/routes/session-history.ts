/**
 * Reading a session's past as documents rather than streams (mounted by the lead at
 * /api/projects/:project/agentic-sessions):
 *   GET /:session/agui/history            → {messages, lastSeq, state?}: every message so far (the
 *       cached compaction plus the run in progress, folded); stream with `after=lastSeq` to go on.
 *   GET /:session/export?format=json      → {session, exportedAt, events}: the resource and every
 *       raw event, streamed page by page (a 100,000-event session never sits in memory at once).
 *   GET /:session/export?format=markdown  → a readable transcript (transcript-markdown.ts).
 * Both exports stop at the log's last seq when the request arrived, so a live session exports a
 * consistent prefix, and answer as attachments named after the session.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { resourceNameSchema } from '@ambient/contracts';
import type { AgenticSession, SessionEvent } from '@ambient/contracts';
import { ConversationFold, ValidationError } from '@ambient/core';
import type { ConversationMessage, EventLog, Stored } from '@ambient/core';
import type { AppEnv } from '../auth/middleware.ts';
import { compactionCacheFor } from '../compaction-cache.ts';
import type { ApiDeps } from '../deps.ts';
import { getSession } from '../session-service.ts';
import { MarkdownTranscript } from '../transcript-markdown.ts';
import { parseWith } from '../validation.ts';
import { loadProject } from './projects.ts';

export const EXPORT_PAGE_SIZE = 1_000;

export interface SessionHistory {
  messages: ConversationMessage[];
  /** The seq the history covers up to: resume a stream with `after=lastSeq`. */
  lastSeq: number;
  state?: unknown;
}

const EXPORT_FORMATS = { json: 'json', markdown: 'md', md: 'md' } as const;
type ExportFormat = keyof typeof EXPORT_FORMATS;

export function sessionHistoryRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/:session/agui/history', async (c) => {
    const session = await authorisedSession(deps, c);
    return c.json(await sessionHistory(deps.events, session.metadata.uid));
  });

  app.get('/:session/export', async (c) => {
    const format = exportFormat(c.req.query('format'));
    const session = await authorisedSession(deps, c);
    const uid = session.metadata.uid;
    const { lastSeq } = await deps.events.summary(uid);
    const exportedAt = deps.clock.now().toISOString();
    const extension = EXPORT_FORMATS[format];
    c.header('Content-Type', extension === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${session.metadata.name}.${extension}"`);
    return stream(c, async (out) => {
      try {
        if (extension === 'json') {
          await out.write(`{"session":${JSON.stringify(session)},"exportedAt":${JSON.stringify(exportedAt)},"events":[`);
          let separator = '';
          for await (const page of pagesUpTo(deps.events, uid, lastSeq)) {
            await out.write(separator + page.map((event) => JSON.stringify(event)).join(','));
            separator = ',';
          }
          await out.write(']}\n');
          return;
        }
        const transcript = new MarkdownTranscript();
        await out.write(transcript.header(headerOf(session, exportedAt)));
        for await (const page of pagesUpTo(deps.events, uid, lastSeq)) {
          const text = page.map((event) => transcript.push(event)).join('');
          if (text) await out.write(text);
        }
        await out.write(transcript.finish());
      } catch (error) {
        // Headers are gone: all we can do is end the body early (the client sees it incomplete).
        deps.logger.warn({ err: error, session: session.metadata.name }, 'session_export.failed');
        out.abort();
      }
    });
  });

  return app;
}

/** Everything a reader has after catching up: the compacted prefix plus the raw tail, folded. */
export async function sessionHistory(events: EventLog, sessionUid: string): Promise<SessionHistory> {
  const prefix = await compactionCacheFor(events).prefixFor(sessionUid);
  const fold = new ConversationFold();
  for (const frame of prefix.frames) fold.apply(JSON.parse(frame.json) as SessionEvent);
  for await (const page of pagesUpTo(events, sessionUid, Number.MAX_SAFE_INTEGER, prefix.throughSeq)) fold.applyAll(page);
  return {
    messages: [...fold.messages],
    lastSeq: Math.max(fold.lastSeq, prefix.throughSeq),
    ...(fold.state !== undefined ? { state: fold.state } : {}),
  };
}

async function* pagesUpTo(events: EventLog, sessionUid: string, lastSeq: number, afterSeq = 0): AsyncGenerator<SessionEvent[]> {
  let cursor = afterSeq;
  while (cursor < lastSeq) {
    const page = await events.read(sessionUid, { afterSeq: cursor, limit: EXPORT_PAGE_SIZE });
    const wanted = page.filter((event) => event.seq <= lastSeq);
    if (wanted.length > 0) yield wanted;
    const last = page[page.length - 1];
    if (last === undefined || page.length < EXPORT_PAGE_SIZE) return;
    cursor = last.seq;
  }
}

async function authorisedSession(deps: ApiDeps, c: Context<AppEnv>): Promise<Stored<AgenticSession>> {
  const project = await loadProject(deps, c.get('identity'), c.req.param('project')!, 'view');
  const name = parseWith(resourceNameSchema, c.req.param('session'), 'session name');
  return getSession(deps, project.metadata.name, name);
}

function exportFormat(raw: string | undefined): ExportFormat {
  const format = raw ?? 'json';
  if (!Object.hasOwn(EXPORT_FORMATS, format)) throw new ValidationError('format must be json or markdown');
  return format as ExportFormat;
}

function headerOf(session: Stored<AgenticSession>, exportedAt: string) {
  return {
    project: session.metadata.namespace ?? '',
    name: session.metadata.name,
    uid: session.metadata.uid,
    displayName: session.spec.displayName,
    phase: session.status?.phase,
    createdAt: session.metadata.creationTimestamp,
    exportedAt,
  };
}
