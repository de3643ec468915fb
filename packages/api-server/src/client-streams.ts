/**
 * Session event streams over WebSocket, for browsers and tools that prefer it to SSE:
 *   GET /api/projects/:project/agentic-sessions/:session/agui/ws?after=<seq>[&compact=false]
 * The same cursor semantics as SSE (session-stream.ts): every message is one JSON event with its
 * `seq`; reconnect with `after=<seq of the last message>` to resume exactly.
 *
 * Authentication before the upgrade: `Authorization: Bearer <token>`, or `?token=<token>` for
 * browsers (which cannot set headers on a WebSocket); the token never reaches a log line. Then the
 * project role check of the REST routes (view): failures are plain HTTP answers with the REST JSON
 * body (401, 404 for outsiders and unknown sessions, 403, 400, 429), so a client cannot tell a
 * hidden project from a missing one here either.
 *
 * Read-only: commands go through REST; a client frame closes the socket (1008). The server pings
 * every 15 s and drops a peer that missed a pong. Close codes a client resumes after (with `after`):
 * 4008 (fell too far behind), 1001 (server shutting down), 1011 (server error, or access could not
 * be confirmed), 1006 (dropped). 4403: the reader's access was revoked while the socket was open
 * (stream-access.ts); reconnecting would be refused, so a client should not retry.
 *
 * Large messages are compressed (permessage-deflate) when the client offers it, as browsers and
 * `ws` do: a reconnect's compacted snapshot is one large JSON message that deflate shrinks many
 * times over. A socket's deflate state (8 kB window, about 100 kB) exists from its first large
 * message on; small live messages are sent as they are.
 */
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { AFTER_SEQ_PARAM, resourceNameSchema } from '@ambient/contracts';
import { UnauthorizedError } from '@ambient/core';
import { redactSecrets } from '@ambient/logger';
import { bearerToken } from './auth/middleware.ts';
import { AuthFailureLimiter } from './auth/failure-limiter.ts';
import { compactionCacheFor } from './compaction-cache.ts';
import type { EncodedEvent } from './compaction-cache.ts';
import type { ApiDeps } from './deps.ts';
import { toErrorResponse } from './errors.ts';
import { loadProject } from './routes/projects.ts';
import { runWithRequestContext } from './request-context.ts';
import { COMPACT_PARAM, compactionRequested, resumeCursor } from './routes/session-events.ts';
import { getSession } from './session-service.ts';
import { streamSessionEvents } from './session-stream.ts';
import type { StreamLimits } from './session-stream.ts';
import { watchReaderAccess } from './stream-access.ts';
import { parseWith } from './validation.ts';

export const CLIENT_STREAM_PATH = /^\/api\/projects\/([^/]+)\/agentic-sessions\/([^/]+)\/agui\/ws$/;
/** Query parameter carrying the token for browsers. */
export const TOKEN_PARAM = 'token';

export const CLIENT_STREAM_CLOSE = {
  /** Fell too far behind the live events: reconnect with after=<last seq received>. */
  slowConsumer: 4008,
  /** The server is shutting down: reconnect with after=<last seq received>. */
  goingAway: 1001,
  /** The client sent a frame; the stream is read-only. */
  readOnly: 1008,
  /** Reading the log failed, or access could not be confirmed: reconnect with after=<last seq received>. */
  serverError: 1011,
  /** The reader's access to the project was revoked while the socket was open: do not reconnect. */
  accessRevoked: 4403,
} as const;

export interface ClientStreamOptions {
  pingIntervalMs?: number;
  /** Bytes queued in the socket beyond which the client counts as too slow. */
  maxBufferedBytes?: number;
  limits?: Partial<StreamLimits>;
}

export const DEFAULT_PING_INTERVAL_MS = 15_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How long a closing handshake may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 5_000;

interface Admitted {
  project: string;
  /** Kept to re-check access while the socket is open; never logged. */
  bearerToken: string;
  sessionUid: string;
  afterSeq: number;
  compact: boolean;
  log: ApiDeps['logger'];
}

export function attachClientStreams(server: Server, deps: ApiDeps, options: ClientStreamOptions = {}): { close(): void } {
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    // Only large messages (the snapshot, big tool results) are deflated, as for SSE (sse-body.ts):
    // live deltas would cost every viewer a compression job each for a few bytes saved.
    perMessageDeflate: { serverMaxWindowBits: 13, zlibDeflateOptions: { memLevel: 7 }, threshold: 8 * 1024 },
  });
  const limiter = new AuthFailureLimiter();
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = CLIENT_STREAM_PATH.exec(url.pathname);
    if (!match) return; // another upgrade handler's path (the runner channel)
    socket.on('error', () => undefined); // a peer that vanishes mid-handshake must not crash us
    admit(deps, limiter, request, url, match).then(
      (admitted) => sockets.handleUpgrade(request, socket, head, (ws) => serveClient(ws, deps, admitted, options)),
      (error: unknown) => refuse(socket, error, deps, url),
    );
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of sockets.clients) client.close(CLIENT_STREAM_CLOSE.goingAway, 'server shutting down');
      sockets.close();
    },
  };
}

/** The URL as it may be logged: the token query parameter censored. */
export function redactedUrl(url: URL): string {
  const copy = new URL(url);
  if (copy.searchParams.has(TOKEN_PARAM)) copy.searchParams.set(TOKEN_PARAM, '[redacted]');
  return redactSecrets(`${copy.pathname}${copy.search}`);
}

async function admit(
  deps: ApiDeps,
  limiter: AuthFailureLimiter,
  request: IncomingMessage,
  url: URL,
  match: RegExpExecArray,
): Promise<Admitted> {
  const client = request.socket.remoteAddress ?? 'unknown';
  limiter.check(client);
  const token = bearerToken(request.headers.authorization) ?? (url.searchParams.get(TOKEN_PARAM) || undefined);
  if (!token) throw new UnauthorizedError('missing bearer token (Authorization: Bearer <token> or ?token=)');
  const identity = await deps.authenticator.authenticate(token);
  if (!identity) {
    limiter.recordFailure(client);
    throw new UnauthorizedError('invalid or expired bearer token');
  }
  limiter.recordSuccess(client);
  // The same request context as REST calls, so cluster-mode adapters act with the caller's token.
  const { project, name, session } = await runWithRequestContext({ identity, bearerToken: token }, async () => {
    const loaded = await loadProject(deps, identity, match[1]!, 'view');
    const sessionName = parseWith(resourceNameSchema, match[2]!, 'session name');
    return { project: loaded, name: sessionName, session: await getSession(deps, loaded.metadata.name, sessionName) };
  });
  return {
    project: project.metadata.name,
    bearerToken: token,
    sessionUid: session.metadata.uid,
    afterSeq: resumeCursor(undefined, url.searchParams.get(AFTER_SEQ_PARAM) ?? undefined),
    compact: compactionRequested(url.searchParams.get(COMPACT_PARAM) ?? undefined),
    log: deps.logger.child({ project: project.metadata.name, session: name, userId: identity.userId }),
  };
}

/** Answers a refused upgrade with the same status and JSON body as the REST route would. */
function refuse(socket: Duplex, error: unknown, deps: ApiDeps, url: URL): void {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) deps.logger.error({ err: error, url: redactedUrl(url) }, 'client_stream.upgrade_failed');
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}

function serveClient(ws: WebSocket, deps: ApiDeps, admitted: Admitted, options: ClientStreamOptions): void {
  const { log } = admitted;
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const gone = new AbortController();
  let alive = true;
  const closeWith = (code: number, reason: string): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.close(code, reason);
    // A peer that never answers the close must not hold the socket (and its buffer) forever.
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  };
  const ping = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
  ws.on('pong', () => (alive = true));
  ws.on('message', () => closeWith(CLIENT_STREAM_CLOSE.readOnly, 'read-only stream; send commands through REST'));
  ws.on('error', () => undefined);
  const access = watchReaderAccess(deps, { bearerToken: admitted.bearerToken, project: admitted.project, intervalMs: options.limits?.accessRecheckMs });
  access.signal.addEventListener('abort', () => {
    if (access.revoked) {
      log.info('client_stream.access_revoked');
      closeWith(CLIENT_STREAM_CLOSE.accessRevoked, 'access revoked; you may no longer read this session');
    } else {
      log.warn({ err: access.signal.reason }, 'client_stream.access_check_failed');
      closeWith(CLIENT_STREAM_CLOSE.serverError, 'could not confirm access; reconnect with after=<last seq>');
    }
    gone.abort();
  });
  ws.on('close', () => {
    clearInterval(ping);
    access.stop();
    gone.abort();
  });

  /** Resolves when the last message reached the socket: the pace of catch-up follows the client. */
  const send = (events: readonly EncodedEvent[]): Promise<void> =>
    new Promise((resolve) => {
      if (ws.readyState !== ws.OPEN || gone.signal.aborted) return resolve();
      if (ws.bufferedAmount > maxBufferedBytes) {
        closeWith(CLIENT_STREAM_CLOSE.slowConsumer, 'too far behind; reconnect with after=<last seq>');
        gone.abort();
        return resolve();
      }
      // A socket that dies with writes pending must not leave the stream waiting for them.
      const done = (): void => {
        gone.signal.removeEventListener('abort', done);
        resolve();
      };
      gone.signal.addEventListener('abort', done, { once: true });
      events.forEach((event, index) => ws.send(event.json, index === events.length - 1 ? done : undefined));
    });

  log.info({ afterSeq: admitted.afterSeq, compact: admitted.compact }, 'client_stream.connected');
  streamSessionEvents({
    events: deps.events,
    cache: compactionCacheFor(deps.events),
    sessionUid: admitted.sessionUid,
    afterSeq: admitted.afterSeq,
    compact: admitted.compact,
    transport: { send },
    signal: gone.signal,
    limits: options.limits,
    access,
  }).then(
    (end) => {
      if (end === 'slow_consumer') closeWith(CLIENT_STREAM_CLOSE.slowConsumer, 'too far behind; reconnect with after=<last seq>');
    },
    (error: unknown) => {
      log.warn({ err: error }, 'client_stream.failed');
      closeWith(CLIENT_STREAM_CLOSE.serverError, 'stream failed; reconnect with after=<last seq>');
    },
  );
}
