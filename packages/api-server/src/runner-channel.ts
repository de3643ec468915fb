/**
 * Server side of the runner channel (contracts/runner-protocol.ts): one WebSocket per runner.
 *
 * The runner authenticates with a token scoped to one session run. Events are appended to the
 * event log (idempotent by producerSeq) and acknowledged only after they are stored; commands are
 * replayed from the runner's last acknowledged cursor on every (re)connect.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import {
  AgenticSessionKind,
  agUiEventSchema,
  EventType,
  RUNNER_CHANNEL_PATH,
  runnerToServerSchema,
} from '@ambient/contracts';
import type { RunnerEventEnvelope, ServerToRunner } from '@ambient/contracts';
import { PlatformError, verifyRunnerToken } from '@ambient/core';
import type { RunnerClaims } from '@ambient/core';
import { bearerToken } from './auth/middleware.ts';
import type { ApiDeps } from './deps.ts';

/** Close codes the runner understands. */
export const CHANNEL_CLOSE = {
  /** This runner's run is no longer the session's current run: exit, do not reconnect. */
  superseded: 4409,
  /** The session is gone. */
  gone: 4404,
  /** Protocol violation; reconnecting resyncs from the welcome frame. */
  resync: 4000,
  /** A newer connection of the same run replaced this one (the runner reconnected). */
  replaced: 4001,
} as const;

/** Event types whose arrival may change what the controller writes to status. */
const STATUS_RELEVANT = new Set<string>([EventType.RUN_STARTED, EventType.RUN_FINISHED, EventType.RUN_ERROR, EventType.CUSTOM]);

/** The live connection per session uid: a newer one replaces (and closes) the older one. */
type ActiveConnections = Map<string, { ws: WebSocket; runNumber: number }>;

export function attachRunnerChannel(server: Server, deps: ApiDeps): { close(): void } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const active: ActiveConnections = new Map();
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== RUNNER_CHANNEL_PATH) return;
    const token = bearerToken(request.headers.authorization);
    const claims = token
      ? verifyRunnerToken(token, deps.runnerTokenSecret, Math.floor(deps.clock.now().getTime() / 1000))
      : undefined;
    if (!claims) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"unauthorized","message":"invalid runner token"}');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      serveRunner(ws, claims, deps, active);
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of sockets.clients) client.terminate();
      sockets.close();
    },
  };
}

function send(ws: WebSocket, message: ServerToRunner): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function serveRunner(ws: WebSocket, claims: RunnerClaims, deps: ApiDeps, active: ActiveConnections): void {
  const log = deps.logger.child({ project: claims.project, session: claims.sessionName, run: claims.runNumber });
  const uid = claims.sessionUid;
  let admitted = false;
  let commandCursorSent = 0;
  let unsubscribeCommands: (() => void) | undefined;

  // Everything on this connection runs strictly in order through one chain: frames that arrive
  // while the session is being checked wait, and an ack never overtakes an earlier append.
  let chain: Promise<void> = admit().then((ok) => {
    admitted = ok;
  });
  const enqueue = (work: () => Promise<void>): void => {
    chain = chain
      .then(() => (admitted ? work() : undefined))
      .catch((error: unknown) => {
        log.warn({ err: error }, 'runner_channel.frame_failed');
        ws.close(CHANNEL_CLOSE.resync, PlatformError.isInstance(error) ? error.message.slice(0, 120) : 'invalid frame');
      });
  };
  ws.on('message', (data) => enqueue(() => handleFrame(String(data))));
  ws.on('close', () => {
    unsubscribeCommands?.();
    if (active.get(uid)?.ws === ws) active.delete(uid);
  });

  /** Only the current run of an existing session may connect; a newer connection replaces an older one. */
  async function admit(): Promise<boolean> {
    const session = await deps.store.get(AgenticSessionKind, claims.project, claims.sessionName);
    if (!session || session.metadata.uid !== uid) {
      ws.close(CHANNEL_CLOSE.gone, 'session not found');
      return false;
    }
    const previous = active.get(uid);
    if ((session.status?.runCount ?? 0) > claims.runNumber || (previous && previous.runNumber > claims.runNumber)) {
      ws.close(CHANNEL_CLOSE.superseded, 'a newer run of this session exists');
      return false;
    }
    if (previous) {
      const code = previous.runNumber < claims.runNumber ? CHANNEL_CLOSE.superseded : CHANNEL_CLOSE.replaced;
      previous.ws.close(code, 'replaced by a newer connection');
    }
    active.set(uid, { ws, runNumber: claims.runNumber });
    return true;
  }

  async function pushCommands(): Promise<void> {
    const commands = await deps.commands.readAfter(uid, commandCursorSent);
    for (const { cursor, command } of commands) {
      send(ws, { type: 'command', cursor, command });
      commandCursorSent = cursor;
    }
  }

  async function handleFrame(text: string): Promise<void> {
    const frame = runnerToServerSchema.parse(JSON.parse(text));
    switch (frame.type) {
      case 'hello': {
        const summary = await deps.events.summary(uid);
        const lastCommandCursor = await deps.commands.lastAcknowledged(uid);
        commandCursorSent = lastCommandCursor;
        send(ws, { type: 'welcome', lastProducerSeq: summary.lastProducerSeq, lastCommandCursor });
        unsubscribeCommands?.();
        unsubscribeCommands = deps.commands.onPush(uid, () => enqueue(pushCommands));
        await pushCommands();
        log.info({ runnerId: frame.runnerId }, 'runner_channel.connected');
        return;
      }
      case 'events':
        return ingest(frame.events);
      case 'command_ack':
        await deps.commands.acknowledge(uid, frame.cursor);
        return;
    }
  }

  async function ingest(envelopes: RunnerEventEnvelope[]): Promise<void> {
    const inputs = envelopes.map((envelope) => ({
      producerSeq: envelope.producerSeq,
      event: agUiEventSchema.parse(envelope.event),
    }));
    const result = await deps.events.append(uid, inputs);
    send(ws, { type: 'ack', producerSeq: result.lastProducerSeq });
    if (result.appended.some((event) => STATUS_RELEVANT.has(event.type))) {
      deps.onSessionChanged(claims.project, claims.sessionName);
    }
  }
}
