/**
 * Test double of the API server's side of the runner channel, built on ws's WebSocketServer.
 * It behaves like the real one (bearer check, welcome with what it holds, idempotent store by
 * producerSeq, acks, durable commands re-delivered until acked) and records enough to assert that
 * nothing was lost, duplicated or applied twice. It can also misbehave on purpose (drop the
 * connection mid-stream, hold back acks).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { RUNNER_CHANNEL_PATH, runnerToServerSchema } from '@ambient/contracts';
import type { AgUiEvent, RunnerCommand, ServerToRunner, WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';

export interface FakeChannelServerOptions {
  token: string;
  /** When false, events are stored but never acknowledged (default true). */
  autoAck?: boolean;
  /** 0 (default) picks a free port; a fixed one lets a test "restart" the server. */
  port?: number;
}

export interface ReceivedCommandAck {
  cursor: number;
  at: number;
}

export class FakeChannelServer {
  /** Stored events by producerSeq. */
  readonly events = new Map<number, AgUiEvent>();
  /** Every producerSeq received, in arrival order, duplicates included. */
  readonly receivedSeqs: number[] = [];
  duplicateCount = 0;
  readonly commands: { cursor: number; command: RunnerCommand }[] = [];
  readonly commandAcks: ReceivedCommandAck[] = [];
  lastCommandCursor = 0;
  connectionCount = 0;
  autoAck: boolean;
  /** Terminate the connection after this many more event envelopes arrive (before acking them). */
  dropAfterEvents: number | undefined;
  private readonly server: WebSocketServer;
  private current: WebSocket | undefined;
  /** Sockets we cut: frames already buffered from them must not be processed (as on a real break). */
  private readonly droppedSockets = new WeakSet<WebSocket>();
  private readonly listeners = new Set<() => void>();
  private readonly workspaceWaiters = new Map<string, (result: WorkspaceResult) => void>();
  private nextWorkspaceRequestId = 1;

  private constructor(
    server: WebSocketServer,
    options: FakeChannelServerOptions,
    private readonly refused: { count: number },
  ) {
    this.server = server;
    this.autoAck = options.autoAck ?? true;
    server.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(options: FakeChannelServerOptions): Promise<FakeChannelServer> {
    const refused = { count: 0 };
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: options.port ?? 0,
      path: RUNNER_CHANNEL_PATH,
      verifyClient: (info, callback) => {
        const ok = info.req.headers.authorization === `Bearer ${options.token}`;
        if (!ok) refused.count += 1;
        callback(ok, ok ? undefined : 401, ok ? undefined : 'Unauthorized');
      },
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new FakeChannelServer(server, options, refused);
  }

  /** Base URL to hand to the runner as AMBIENT_SERVER_URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get lastProducerSeq(): number {
    return Math.max(0, ...this.events.keys());
  }

  /** Connection attempts refused for a wrong or missing bearer token. */
  get rejectedConnectionCount(): number {
    return this.refused.count;
  }

  get isConnected(): boolean {
    return this.current !== undefined;
  }

  /** Stored events in producerSeq order. */
  eventList(): AgUiEvent[] {
    return [...this.events.entries()]
      .sort(([left], [right]) => left - right)
      .map(([, event]) => event);
  }

  /** Missing numbers between 1 and the highest stored producerSeq. */
  gaps(): number[] {
    const missing: number[] = [];
    for (let seq = 1; seq <= this.lastProducerSeq; seq += 1)
      if (!this.events.has(seq)) missing.push(seq);
    return missing;
  }

  pushCommand(command: RunnerCommand): number {
    const cursor = (this.commands.at(-1)?.cursor ?? 0) + 1;
    this.commands.push({ cursor, command });
    this.sendTo(this.current, { type: 'command', cursor, command });
    return cursor;
  }

  /** Sends a workspace request to the connected runner and resolves with its answer. */
  requestWorkspace(request: WorkspaceRequest, timeoutMs = 10_000): Promise<WorkspaceResult> {
    const id = `w${this.nextWorkspaceRequestId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.workspaceWaiters.delete(id);
        reject(new Error(`no workspace_response for ${id} after ${timeoutMs} ms`));
      }, timeoutMs);
      this.workspaceWaiters.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.sendTo(this.current, { type: 'workspace_request', id, request });
    });
  }

  dropConnection(): void {
    if (this.current) this.drop(this.current);
  }

  /** Resolves once `predicate` holds (checked after every frame), rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const interval = setInterval(check, 50);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(interval);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    this.connectionCount += 1;
    if (this.current) this.drop(this.current); // one runner per session: a newer connection wins
    this.current = socket;
    socket.on('close', () => {
      if (this.current === socket) this.current = undefined;
      this.notify();
    });
    socket.on('message', (data) => {
      if (this.droppedSockets.has(socket)) return;
      this.onFrame(socket, data.toString());
      this.notify();
    });
  }

  private onFrame(socket: WebSocket, text: string): void {
    const frame = runnerToServerSchema.parse(JSON.parse(text));
    if (frame.type === 'hello') {
      this.sendTo(socket, {
        type: 'welcome',
        lastProducerSeq: this.lastProducerSeq,
        lastCommandCursor: this.lastCommandCursor,
      });
      for (const pending of this.commands.filter(
        (entry) => entry.cursor > this.lastCommandCursor,
      )) {
        this.sendTo(socket, { type: 'command', ...pending });
      }
      return;
    }
    if (frame.type === 'workspace_response') {
      const waiter = this.workspaceWaiters.get(frame.id);
      this.workspaceWaiters.delete(frame.id);
      waiter?.(frame.result);
      return;
    }
    if (frame.type === 'command_ack') {
      this.commandAcks.push({ cursor: frame.cursor, at: Date.now() });
      this.lastCommandCursor = Math.max(this.lastCommandCursor, frame.cursor);
      return;
    }
    for (const envelope of frame.events) {
      if (this.dropAfterEvents !== undefined && this.dropAfterEvents-- <= 0) {
        this.dropAfterEvents = undefined;
        this.drop(socket); // the rest of this frame is lost, as on a broken connection
        return;
      }
      this.receivedSeqs.push(envelope.producerSeq);
      if (this.events.has(envelope.producerSeq)) this.duplicateCount += 1;
      else this.events.set(envelope.producerSeq, envelope.event as AgUiEvent);
    }
    if (this.autoAck) this.sendTo(socket, { type: 'ack', producerSeq: this.lastProducerSeq });
  }

  private drop(socket: WebSocket): void {
    this.droppedSockets.add(socket);
    socket.terminate();
  }

  private sendTo(socket: WebSocket | undefined, frame: ServerToRunner): void {
    if (socket?.readyState === socket?.OPEN) socket?.send(JSON.stringify(frame));
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
