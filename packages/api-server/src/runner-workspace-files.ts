/**
 * The cluster adapter of WorkspaceFiles (docs/adr/0010): the workspace is a volume only the
 * session's runner mounts, so every request goes to the runner over its channel:
 * 1. the runner (or the session's workspace viewer) is connected to this replica: ask it;
 * 2. otherwise, with a relay (several replicas): hand the request to whichever replica holds a
 *    connection, and while none takes it, ask for a workspace viewer;
 * 3. otherwise (one replica): ask for a viewer and wait for it to connect here.
 * Waiting for a connection is bounded by `connectTimeoutMs` (default 20 s), after which the answer
 * is a retryable 503. A session that never ran has no volume yet: its root lists empty.
 */
import { WORKSPACE_FILE_MAX_BYTES } from '@ambient/contracts';
import type { WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import {
  ConflictError,
  deleteResultOf,
  NotFoundError,
  PlatformError,
  readResultOf,
  toWorkspaceRequest,
  workspaceErrorResult,
  writeResultOf,
} from '@ambient/core';
import type { Unsubscribe, WorkspaceFiles, WorkspaceReadResult, WorkspaceRelay, WorkspaceSession } from '@ambient/core';
import type { Logger } from '@ambient/logger';
import type { WorkspaceConnections } from './workspace-connections.ts';

export interface RunnerWorkspaceFilesOptions {
  connections: WorkspaceConnections;
  /** Several API replicas: reaches the one holding the runner's connection. */
  relay?: WorkspaceRelay;
  /** Asks for a workspace viewer of a session that has no runner (cluster: the operator starts it). */
  requestViewer(session: WorkspaceSession): Promise<void>;
  logger: Logger;
  /** How long a request waits for a runner or viewer to connect (default 20 s). */
  connectTimeoutMs?: number;
  /** How long a connected runner has to answer (default 30 s). */
  exchangeTimeoutMs?: number;
  /** A viewer is asked for at most this often per session while requests wait (default 3 s). */
  viewerRequestIntervalMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const DEFAULT_EXCHANGE_TIMEOUT_MS = 30_000;
const DEFAULT_VIEWER_REQUEST_INTERVAL_MS = 3_000;

export class RunnerWorkspaceFiles implements WorkspaceFiles {
  private readonly lastViewerRequestAt = new Map<string, number>();
  private readonly stops: Unsubscribe[] = [];
  private readonly connectTimeoutMs: number;
  private readonly exchangeTimeoutMs: number;
  private readonly viewerRequestIntervalMs: number;

  constructor(private readonly options: RunnerWorkspaceFilesOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.exchangeTimeoutMs = options.exchangeTimeoutMs ?? DEFAULT_EXCHANGE_TIMEOUT_MS;
    this.viewerRequestIntervalMs = options.viewerRequestIntervalMs ?? DEFAULT_VIEWER_REQUEST_INTERVAL_MS;
    const { relay, connections } = options;
    if (relay) {
      // This replica answers relayed requests for the runners connected to it...
      this.stops.push(
        relay.serve({
          holds: (sessionUid) => connections.has(sessionUid),
          handle: (sessionUid, request) => this.askLocal(sessionUid, request),
        }),
      );
      // ...including those that were waiting when the runner (or viewer) connected.
      this.stops.push(connections.onConnected((sessionUid) => relay.claimWaiting(sessionUid)));
    }
  }

  async read(session: WorkspaceSession, relativePath: string): Promise<WorkspaceReadResult> {
    if (session.runCount === 0) {
      if (relativePath === '') return { kind: 'directory', path: '', items: [] };
      throw new NotFoundError(`no such file in the workspace: ${relativePath}`);
    }
    return readResultOf(await this.exchange(session, toWorkspaceRequest('read', relativePath)));
  }

  async write(session: WorkspaceSession, relativePath: string, content: Uint8Array): Promise<{ path: string; size: number }> {
    if (session.runCount === 0) throw noVolumeYet();
    // Checked here too: the runner would refuse the oversized frame without an answer.
    if (content.byteLength > WORKSPACE_FILE_MAX_BYTES) throw new PlatformError('payload_too_large', `the file is larger than ${WORKSPACE_FILE_MAX_BYTES} bytes`);
    return writeResultOf(await this.exchange(session, toWorkspaceRequest('write', relativePath, content)));
  }

  async delete(session: WorkspaceSession, relativePath: string): Promise<void> {
    if (session.runCount === 0) throw new NotFoundError(`no such file in the workspace: ${relativePath}`);
    deleteResultOf(await this.exchange(session, toWorkspaceRequest('delete', relativePath)));
  }

  /** Stops serving relayed requests. */
  close(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private async exchange(session: WorkspaceSession, request: WorkspaceRequest): Promise<WorkspaceResult> {
    const { connections, relay } = this.options;
    const local = connections.get(session.sessionUid);
    if (local) return local.request(request, this.exchangeTimeoutMs);
    if (relay) {
      return relay.forward(session.sessionUid, request, {
        connectTimeoutMs: this.connectTimeoutMs,
        exchangeTimeoutMs: this.exchangeTimeoutMs,
        onUnclaimed: () => this.askForViewer(session),
      });
    }
    const deadline = Date.now() + this.connectTimeoutMs;
    for (;;) {
      this.askForViewer(session);
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw startingViewer();
      const connection = await connections.waitFor(session.sessionUid, Math.min(remainingMs, this.viewerRequestIntervalMs));
      if (connection) return connection.request(request, this.exchangeTimeoutMs);
    }
  }

  private async askLocal(sessionUid: string, request: WorkspaceRequest): Promise<WorkspaceResult> {
    const connection = this.options.connections.get(sessionUid);
    if (!connection) return workspaceErrorResult(new PlatformError('unavailable', "the session's runner disconnected; retry shortly"));
    return connection.request(request, this.exchangeTimeoutMs).catch(workspaceErrorResult);
  }

  /** Throttled per session: waiting requests repeat it in case the operator missed one. */
  private askForViewer(session: WorkspaceSession): void {
    const now = Date.now();
    const last = this.lastViewerRequestAt.get(session.sessionUid) ?? 0;
    if (now - last < this.viewerRequestIntervalMs) return;
    this.lastViewerRequestAt.set(session.sessionUid, now);
    for (const [sessionUid, at] of this.lastViewerRequestAt) {
      if (now - at > this.viewerRequestIntervalMs) this.lastViewerRequestAt.delete(sessionUid);
    }
    this.options.requestViewer(session).catch((error: unknown) =>
      this.options.logger.warn({ err: error, project: session.project, session: session.sessionName }, 'workspace.viewer_request_failed'),
    );
  }
}

function startingViewer(): PlatformError {
  return new PlatformError('unavailable', 'starting the workspace viewer for this session (or waiting for its runner to connect); retry shortly', { isRetryable: true });
}

function noVolumeYet(): ConflictError {
  return new ConflictError("the session's workspace is created when its first run starts");
}
