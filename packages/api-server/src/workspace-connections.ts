/**
 * The runner connections of this API replica that can serve workspace file requests (cluster mode,
 * docs/adr/0010): a session's runner, or its workspace viewer when no run is going. The runner
 * channel registers a connection once the runner said hello; a request gets an id, travels as a
 * `workspace_request` frame and is settled by the `workspace_response` of that id, by a timeout,
 * or by the connection closing (its pending requests fail as `unavailable`, which clients retry).
 */
import { randomUUID } from 'node:crypto';
import type { ServerToRunner, WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import { PlatformError } from '@ambient/core';
import type { Unsubscribe } from '@ambient/core';

export type WorkspaceConnectionKind = 'run' | 'viewer';

export interface WorkspaceConnection {
  readonly sessionUid: string;
  readonly kind: WorkspaceConnectionKind;
  request(request: WorkspaceRequest, timeoutMs: number): Promise<WorkspaceResult>;
}

/** What the runner channel drives for one registered connection. */
export interface WorkspaceConnectionHandle {
  /** A `workspace_response` arrived on the connection. */
  deliver(id: string, result: WorkspaceResult): void;
  /** The connection closed. */
  close(): void;
}

interface Pending {
  resolve(result: WorkspaceResult): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

class RegisteredConnection implements WorkspaceConnection, WorkspaceConnectionHandle {
  private readonly pending = new Map<string, Pending>();
  private isClosed = false;
  private readonly idPrefix = randomUUID().slice(0, 8);
  private nextId = 1;

  constructor(
    readonly sessionUid: string,
    readonly kind: WorkspaceConnectionKind,
    private readonly send: (frame: ServerToRunner) => void,
    private readonly onClose: (connection: RegisteredConnection) => void,
  ) {}

  request(request: WorkspaceRequest, timeoutMs: number): Promise<WorkspaceResult> {
    if (this.isClosed) return Promise.reject(disconnected());
    const id = `${this.idPrefix}-${this.nextId++}`;
    return new Promise<WorkspaceResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PlatformError('unavailable', `the session's ${this.kind === 'run' ? 'runner' : 'workspace viewer'} did not answer within ${timeoutMs} ms; retry shortly`, { isRetryable: true }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ type: 'workspace_request', id, request });
    });
  }

  deliver(id: string, result: WorkspaceResult): void {
    const pending = this.pending.get(id);
    if (!pending) return; // timed out meanwhile: the caller has its answer already
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(disconnected());
    }
    this.pending.clear();
    this.onClose(this);
  }
}

function disconnected(): PlatformError {
  return new PlatformError('unavailable', "the session's runner disconnected; retry shortly", { isRetryable: true });
}

export class WorkspaceConnections {
  private readonly bySession = new Map<string, RegisteredConnection>();
  private readonly connectedListeners = new Set<(sessionUid: string) => void>();

  register(sessionUid: string, kind: WorkspaceConnectionKind, send: (frame: ServerToRunner) => void): WorkspaceConnectionHandle {
    const connection = new RegisteredConnection(sessionUid, kind, send, (closed) => {
      // A newer connection of the session may have replaced this one already.
      if (this.bySession.get(sessionUid) === closed) this.bySession.delete(sessionUid);
    });
    this.bySession.set(sessionUid, connection);
    for (const listener of [...this.connectedListeners]) listener(sessionUid);
    return connection;
  }

  get(sessionUid: string): WorkspaceConnection | undefined {
    return this.bySession.get(sessionUid);
  }

  has(sessionUid: string): boolean {
    return this.bySession.has(sessionUid);
  }

  /** Called whenever a connection registers (after it is available through `get`). */
  onConnected(listener: (sessionUid: string) => void): Unsubscribe {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  /** The session's connection, as soon as there is one; undefined after `timeoutMs`. */
  waitFor(sessionUid: string, timeoutMs: number): Promise<WorkspaceConnection | undefined> {
    const current = this.get(sessionUid);
    if (current) return Promise.resolve(current);
    return new Promise((resolve) => {
      const stop = this.onConnected((connected) => {
        if (connected !== sessionUid) return;
        finish(this.get(sessionUid));
      });
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (connection: WorkspaceConnection | undefined): void => {
        clearTimeout(timer);
        stop();
        resolve(connection);
      };
    });
  }
}
