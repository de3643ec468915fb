/**
 * Server side of the runner channel (contracts/runner-protocol.ts): one WebSocket per runner.
 *
 * The runner authenticates with a token scoped to one session run. Events are appended to the
 * event log (idempotent by producerSeq) and acknowledged only after they are stored; commands are
 * replayed from the runner's last acknowledged cursor on every (re)connect.
 *
 * Workspace files (docs/adr/0010): with `workspaceConnections`, a runner's connection also serves
 * workspace requests, and a workspace viewer (its own token kind, scoped to one session) may
 * connect to do only that. A session's run takes precedence: its connection closes the viewer's,
 * and a viewer is turned away while a run is connected here.
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
import { PlatformError, ValidationError, verifyRunnerToken, verifyWorkspaceViewerToken } from '@ambient/core';
import type { RunnerClaims, WorkspaceViewerClaims } from '@ambient/core';
import { bearerToken } from './auth/middleware.ts';
import type { ApiDeps } from './deps.ts';
import type { WorkspaceConnectionHandle, WorkspaceConnectionKind, WorkspaceConnections } from './workspace-connections.ts';

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

export interface RunnerChannelOptions {
  /** Cluster mode: the connections that serve workspace file requests (docs/adr/0010). */
  workspaceConnections?: WorkspaceConnections;
}

/** What every connection of this server shares. */
interface ChannelContext {
  deps: ApiDeps;
  active: ActiveConnections;
  /** The workspace viewer's connection per session uid. */
  viewers: Map<string, WebSocket>;
  workspaceConnections?: WorkspaceConnections;
}

export function attachRunnerChannel(server: Server, deps: ApiDeps, options: RunnerChannelOptions = {}): { close(): void } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const context: ChannelContext = { deps, active: new Map(), viewers: new Map(), workspaceConnections: options.workspaceConnections };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== RUNNER_CHANNEL_PATH) return;
    const token = bearerToken(request.headers.authorization);
    const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
    const claims = token ? verifyRunnerToken(token, deps.runnerTokenSecret, nowSeconds) : undefined;
    // Viewers exist only where workspace requests travel over the channel (cluster mode).
    const viewerClaims = token && !claims && context.workspaceConnections
      ? verifyWorkspaceViewerToken(token, deps.runnerTokenSecret, nowSeconds)
      : undefined;
    if (!claims && !viewerClaims) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"unauthorized","message":"invalid runner token"}');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      if (claims) serveRunner(ws, claims, context);
      else if (viewerClaims) serveViewer(ws, viewerClaims, context);
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

/** Makes the connection serve workspace requests; never registers one that closed meanwhile. */
function registerWorkspace(ws: WebSocket, uid: string, kind: WorkspaceConnectionKind, context: ChannelContext): WorkspaceConnectionHandle | undefined {
  if (ws.readyState !== ws.OPEN) return undefined;
  return context.workspaceConnections?.register(uid, kind, (message) => send(ws, message));
}

function serveRunner(ws: WebSocket, claims: RunnerClaims, context: ChannelContext): void {
  const { deps, active } = context;
  const log = deps.logger.child({ project: claims.project, session: claims.sessionName, run: claims.runNumber });
  const uid = claims.sessionUid;
  let admitted = false;
  let commandCursorSent = 0;
  let unsubscribeCommands: (() => void) | undefined;
  let workspace: WorkspaceConnectionHandle | undefined;

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
    workspace?.close();
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
    // The run serves the workspace now; the viewer ends (and frees the volume for the run).
    context.viewers.get(uid)?.close(CHANNEL_CLOSE.superseded, 'a run of this session started');
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
        workspace?.close();
        workspace = registerWorkspace(ws, uid, 'run', context);
        log.info({ runnerId: frame.runnerId }, 'runner_channel.connected');
        return;
      }
      case 'events':
        return ingest(frame.events);
      case 'command_ack':
        await deps.commands.acknowledge(uid, frame.cursor);
        return;
      case 'workspace_response':
        workspace?.deliver(frame.id, frame.result);
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

/**
 * A workspace viewer's connection: admitted for an existing session (uid checked) when no run of it
 * is connected here; it serves workspace requests and may send nothing else.
 */
function serveViewer(ws: WebSocket, claims: WorkspaceViewerClaims, context: ChannelContext): void {
  const { deps, viewers } = context;
  const log = deps.logger.child({ project: claims.project, session: claims.sessionName, workspaceViewer: true });
  const uid = claims.sessionUid;
  let workspace: WorkspaceConnectionHandle | undefined;
  let admitted = false;
  let chain: Promise<void> = admit().then((ok) => {
    admitted = ok;
  });
  ws.on('message', (data) => {
    chain = chain
      .then(() => (admitted ? handleFrame(String(data)) : undefined))
      .catch((error: unknown) => {
        log.warn({ err: error }, 'runner_channel.viewer_frame_failed');
        ws.close(CHANNEL_CLOSE.resync, PlatformError.isInstance(error) ? error.message.slice(0, 120) : 'invalid frame');
      });
  });
  ws.on('close', () => {
    workspace?.close();
    if (viewers.get(uid) === ws) viewers.delete(uid);
  });

  async function admit(): Promise<boolean> {
    const session = await deps.store.get(AgenticSessionKind, claims.project, claims.sessionName);
    if (!session || session.metadata.uid !== uid) {
      ws.close(CHANNEL_CLOSE.gone, 'session not found');
      return false;
    }
    if (context.active.has(uid)) {
      ws.close(CHANNEL_CLOSE.superseded, "the session's runner serves its workspace");
      return false;
    }
    viewers.get(uid)?.close(CHANNEL_CLOSE.replaced, 'replaced by a newer connection');
    viewers.set(uid, ws);
    return true;
  }

  async function handleFrame(text: string): Promise<void> {
    const frame = runnerToServerSchema.parse(JSON.parse(text));
    switch (frame.type) {
      case 'hello':
        // A viewer has no outbox and applies no commands: there is nothing to resume.
        send(ws, { type: 'welcome', lastProducerSeq: 0, lastCommandCursor: 0 });
        workspace?.close();
        workspace = registerWorkspace(ws, uid, 'viewer', context);
        log.info({ runnerId: frame.runnerId }, 'runner_channel.viewer_connected');
        return;
      case 'workspace_response':
        workspace?.deliver(frame.id, frame.result);
        return;
      case 'events':
      case 'command_ack':
        throw new ValidationError(`a workspace viewer may not send "${frame.type}"`);
    }
  }
}
