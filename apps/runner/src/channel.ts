/**
 * The runner's one outbound WebSocket to the API server (the runner never listens on a port).
 *
 * Protocol (contracts/runner-protocol.ts): on open send `hello`; the server answers `welcome`
 * with what it already holds, and the runner resends exactly the rest of its outbox, in order and
 * in batches. `ack` frees outbox entries. `command` frames are applied in cursor order, each at most
 * once per runner workspace, and acknowledged with `command_ack` after they were applied.
 * A lost connection is retried forever with exponential backoff and jitter; nothing is lost
 * meanwhile because events wait in the outbox. `workspace_request` frames (workspace files, see
 * workspace-requests.ts) are answered as they come, beside events and commands.
 */
import WebSocket from 'ws';
import { serverToRunnerSchema } from '@ambient/contracts';
import type { RunnerCommand, RunnerToServer, ServerToRunner, WorkspaceRequest } from '@ambient/contracts';
import { workspaceResponseFrame } from './workspace-requests.ts';
import type { WorkspaceRequestHandler } from './workspace-requests.ts';
import type { CommandCursorStore } from './command-cursor.ts';
import type { Logger } from './log.ts';
import { silentLogger } from './log.ts';
import type { Outbox } from './outbox.ts';
import { describeError } from './redact.ts';

export interface ChannelOptions {
  url: string;
  token: string;
  runnerId: string;
  outbox: Outbox;
  cursors: CommandCursorStore;
  /** Applies one command; the ack is sent once this returns (or its promise settles). */
  applyCommand: (command: RunnerCommand, cursor: number) => void | Promise<void>;
  log?: Logger;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxBatchSize?: number;
  /** Injectable for deterministic backoff in tests. */
  random?: () => number;
  /**
   * The server turned this runner away for good (superseded by a newer run, session deleted, or
   * token rejected): reconnecting cannot help, so the runner should end.
   */
  onRejected?: (reason: string) => void;
  /**
   * Answers a workspace file request (docs/adr/0010). Requests are served concurrently, apart
   * from commands and events; without a handler they are answered `unavailable`.
   */
  onWorkspaceRequest?: WorkspaceRequestHandler;
}

/** Close codes from the server (api-server/runner-channel.ts) that mean "do not come back". */
const FINAL_CLOSE_CODES = new Map<number, string>([
  [4409, 'a newer run of this session took over'],
  [4404, 'the session no longer exists'],
]);

const DEFAULT_INITIAL_BACKOFF_MS = 100;
const DEFAULT_MAX_BACKOFF_MS = 5_000;
const DEFAULT_MAX_BATCH_SIZE = 200;
/** Stop queueing frames while the socket has this much unsent data; resume shortly after. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const BACKPRESSURE_RETRY_MS = 20;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const CLOSE_WAIT_MS = 1_000;

type ChannelState = 'connecting' | 'awaiting-welcome' | 'ready' | 'disconnected' | 'closed';

export class RunnerChannel {
  private socket: WebSocket | undefined;
  private state: ChannelState = 'disconnected';
  /** Highest producerSeq sent on the current connection. */
  private sentThrough = 0;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private sendScheduled = false;
  private commandChain: Promise<void> = Promise.resolve();
  private lastAppliedCursor: number;
  private readonly drainWaiters = new Set<() => void>();
  private readonly log: Logger;

  constructor(private readonly options: ChannelOptions) {
    this.log = options.log ?? silentLogger;
    this.lastAppliedCursor = options.cursors.lastAppliedCursor;
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  start(): void {
    this.options.outbox.onAppend = () => this.scheduleSend();
    this.connect();
  }

  /** Resolves true once the server acknowledged every event, false after `timeoutMs`. */
  waitForDrain(timeoutMs: number): Promise<boolean> {
    if (this.options.outbox.pendingCount === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = () => {
        clearTimeout(timer);
        this.drainWaiters.delete(waiter);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.drainWaiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.drainWaiters.add(waiter);
    });
  }

  /** Stops reconnecting and closes the socket (waits briefly for the close handshake). */
  async close(): Promise<void> {
    this.state = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, CLOSE_WAIT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000, 'runner exiting');
    });
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const socket = new WebSocket(this.options.url, {
      headers: { Authorization: `Bearer ${this.options.token}` },
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    this.socket = socket;
    socket.on('open', () => {
      this.state = 'awaiting-welcome';
      this.send({ type: 'hello', runnerId: this.options.runnerId });
    });
    socket.on('message', (data) => this.onFrame(data.toString()));
    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      socket.terminate();
      if (status === 401 || status === 403) this.reject(`the server rejected the runner token (HTTP ${status})`);
    });
    // 'close' always follows 'error'; reconnecting happens there.
    socket.on('error', (error) =>
      this.log.warn(`channel error: ${describeError(error, [this.options.token])}`),
    );
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      const finalReason = FINAL_CLOSE_CODES.get(code);
      if (finalReason) {
        this.socket = undefined;
        this.reject(finalReason);
        return;
      }
      this.socket = undefined;
      if (this.state === 'closed') return;
      this.state = 'disconnected';
      this.scheduleReconnect();
    });
  }

  private reject(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.log.error(`channel closed for good: ${reason}`);
    this.options.onRejected?.(reason);
  }

  private scheduleReconnect(): void {
    const initial = this.options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    const maximum = this.options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    const ceiling = Math.min(maximum, initial * 2 ** this.reconnectAttempt);
    this.reconnectAttempt += 1;
    // "Equal jitter": at least half the ceiling, so retries neither stampede nor spin.
    const random = this.options.random ?? Math.random;
    const delayMs = ceiling / 2 + random() * (ceiling / 2);
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private onFrame(text: string): void {
    let frame: ServerToRunner;
    try {
      const parsed = serverToRunnerSchema.safeParse(JSON.parse(text));
      if (!parsed.success)
        throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
      frame = parsed.data;
    } catch (error) {
      this.log.warn(`ignored an invalid frame from the server: ${describeError(error)}`);
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(frame.lastProducerSeq, frame.lastCommandCursor);
        break;
      case 'ack':
        this.options.outbox.acknowledge(frame.producerSeq);
        this.notifyDrainWaiters();
        break;
      case 'command':
        this.queueCommand(frame.cursor, frame.command);
        break;
      case 'error':
        this.log.warn(`server error on the channel: ${frame.message}`);
        break;
      case 'workspace_request':
        void this.answerWorkspaceRequest(frame.id, frame.request);
        break;
    }
  }

  private async answerWorkspaceRequest(id: string, request: WorkspaceRequest): Promise<void> {
    const frame = await workspaceResponseFrame(id, request, this.options.onWorkspaceRequest, this.log);
    // Sent on whatever connection is open now; after a reconnect the server has failed the request.
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
  }

  private onWelcome(lastProducerSeq: number, lastCommandCursor: number): void {
    this.options.outbox.reconcile(lastProducerSeq);
    if (lastCommandCursor > this.lastAppliedCursor) {
      // The server saw our ack for these; applying them again would be a duplicate.
      this.lastAppliedCursor = lastCommandCursor;
      this.options.cursors.save(lastCommandCursor);
    }
    this.sentThrough = lastProducerSeq;
    this.state = 'ready';
    this.reconnectAttempt = 0;
    this.notifyDrainWaiters();
    this.sendEvents();
  }

  private queueCommand(cursor: number, command: RunnerCommand): void {
    // A chain keeps commands strictly in order even when applying one is asynchronous.
    this.commandChain = this.commandChain.then(async () => {
      if (cursor > this.lastAppliedCursor) {
        try {
          await this.options.applyCommand(command, cursor);
        } catch (error) {
          // Still consumed: a command that cannot be applied must not block every later one.
          this.log.error(`command ${cursor} (${command.kind}) failed: ${describeError(error)}`);
        }
        this.lastAppliedCursor = cursor;
        this.options.cursors.save(cursor);
      }
      // Acked again when re-delivered: the server may have missed our earlier ack.
      this.send({ type: 'command_ack', cursor });
    });
  }

  private scheduleSend(): void {
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    // Deferred so events appended in the same tick travel in one frame.
    setImmediate(() => {
      this.sendScheduled = false;
      this.sendEvents();
    });
  }

  private sendEvents(): void {
    const socket = this.socket;
    if (this.state !== 'ready' || !socket || socket.readyState !== WebSocket.OPEN) return;
    const outbox = this.options.outbox;
    outbox.flush(); // on disk before on the wire: a restart must never reuse a number the server saw
    const batchSize = this.options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    for (;;) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        setTimeout(() => this.scheduleSend(), BACKPRESSURE_RETRY_MS);
        return;
      }
      const batch = outbox.pendingAfter(this.sentThrough, batchSize);
      const last = batch.at(-1);
      if (!last) return;
      outbox.markSent(last.producerSeq);
      this.sentThrough = last.producerSeq;
      this.send({ type: 'events', events: batch });
    }
  }

  private send(frame: RunnerToServer): void {
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  private notifyDrainWaiters(): void {
    if (this.options.outbox.pendingCount > 0) return;
    for (const waiter of [...this.drainWaiters]) waiter();
  }
}
