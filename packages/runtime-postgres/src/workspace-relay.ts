/**
 * WorkspaceRelay on PostgreSQL (docs/adr/0010): the API server has several replicas and a runner is
 * connected to one of them, so a workspace request that arrives elsewhere travels through a row:
 *
 * 1. the requesting replica inserts the request (`workspace_relay_requests`) and NOTIFYs its id and
 *    session on `ambient_workspace_relay`;
 * 2. a replica holding a connection of that session claims the row (`claimed_by IS NULL` guard: one
 *    winner), asks its runner, stores the answer in the row and NOTIFYs `response`;
 * 3. the requester reads the answer and deletes the row.
 * File content (up to 10 MiB) stays in the row, never in a notification (8000-byte limit).
 *
 * Notifications may be lost (a LISTEN connection drops), so the requester also polls its row and
 * re-announces it while nobody has claimed it; a runner that connects later claims the rows waiting
 * for its session (`claimWaiting`). Rows of a requester that died are swept after `staleAfterMs`.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { workspaceRequestSchema, workspaceResultSchema } from '@ambient/contracts';
import type { WorkspaceRequest, WorkspaceResult } from '@ambient/contracts';
import { PlatformError, workspaceErrorResult } from '@ambient/core';
import type { Unsubscribe, WorkspaceRelay, WorkspaceRelayOptions, WorkspaceRelayServer } from '@ambient/core';
import { NotificationListener } from './notification-listener.ts';
import type { ErrorReporter } from './retry.ts';

export const WORKSPACE_RELAY_CHANNEL = 'ambient_workspace_relay';

export interface PostgresWorkspaceRelayOptions {
  onError: ErrorReporter;
  /** Recorded in claimed rows, for diagnosis (default: a random id). */
  replicaId?: string;
  /** How often a waiting requester looks at its row (default 500 ms). */
  pollIntervalMs?: number;
  /** How often an unclaimed request is announced again and `onUnclaimed` called (default 1 s). */
  reannounceIntervalMs?: number;
  /** Rows older than this belong to a requester that died (default 10 minutes). */
  staleAfterMs?: number;
}

type RelayNotification = { kind: 'request'; id: string; sessionUid: string } | { kind: 'response'; id: string };

const SWEEP_INTERVAL_MS = 60_000;

function unavailable(message: string): PlatformError {
  return new PlatformError('unavailable', message, { isRetryable: true });
}

export class PostgresWorkspaceRelay implements WorkspaceRelay {
  readonly #pool: pg.Pool;
  readonly #options: Required<PostgresWorkspaceRelayOptions>;
  readonly #listener: NotificationListener;
  readonly #waiters = new Map<string, () => void>();
  #server: WorkspaceRelayServer | undefined;
  #lastSweepAt = 0;
  #closed = false;

  constructor(pool: pg.Pool, options: PostgresWorkspaceRelayOptions) {
    this.#pool = pool;
    this.#options = {
      onError: options.onError,
      replicaId: options.replicaId ?? randomUUID(),
      pollIntervalMs: options.pollIntervalMs ?? 500,
      reannounceIntervalMs: options.reannounceIntervalMs ?? 1_000,
      staleAfterMs: options.staleAfterMs ?? 10 * 60_000,
    };
    this.#listener = new NotificationListener({
      connection: pool.options,
      channel: WORKSPACE_RELAY_CHANNEL,
      onError: options.onError,
      applicationName: 'ambient-workspace-relay',
    });
    this.#listener.subscribe({
      onNotification: (payload) => this.#onNotification(payload),
      // Lost notifications: waiters look at their rows now instead of at their next poll.
      onReconnect: () => this.#waiters.forEach((wake) => wake()),
    });
  }

  async forward(sessionUid: string, request: WorkspaceRequest, options: WorkspaceRelayOptions): Promise<WorkspaceResult> {
    if (this.#closed) throw unavailable('the API server is shutting down; retry');
    // Not waiting for LISTEN: the row is polled anyway, so a missed notification costs one poll.
    this.#sweepOccasionally();
    const id = randomUUID();
    await this.#pool.query('INSERT INTO workspace_relay_requests (id, session_uid, request) VALUES ($1, $2, $3)', [id, sessionUid, JSON.stringify(request)]);
    try {
      return await this.#awaitResponse(id, sessionUid, options);
    } finally {
      await this.#pool.query('DELETE FROM workspace_relay_requests WHERE id = $1', [id]).catch(this.#options.onError);
    }
  }

  serve(server: WorkspaceRelayServer): Unsubscribe {
    this.#server = server;
    return () => {
      if (this.#server === server) this.#server = undefined;
    };
  }

  claimWaiting(sessionUid: string): void {
    this.#pool
      .query<{ id: string }>('SELECT id FROM workspace_relay_requests WHERE session_uid = $1 AND claimed_by IS NULL ORDER BY created_at', [sessionUid])
      .then(({ rows }) => Promise.all(rows.map((row) => this.#claimAndServe(row.id))))
      .catch(this.#options.onError);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#server = undefined;
    this.#waiters.forEach((wake) => wake());
    await this.#listener.close();
  }

  async #awaitResponse(id: string, sessionUid: string, options: WorkspaceRelayOptions): Promise<WorkspaceResult> {
    const startedAt = Date.now();
    let claimedAt: number | undefined;
    let announcements = 0;
    let announcedAt = 0;
    for (;;) {
      if (this.#closed) throw unavailable('the API server is shutting down; retry');
      const { rows } = await this.#pool.query<{ claimed_by: string | null; response: string | null }>(
        'SELECT claimed_by, response FROM workspace_relay_requests WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (!row) throw unavailable('the workspace request was dropped; retry');
      if (row.response !== null) return workspaceResultSchema.parse(JSON.parse(row.response));
      const now = Date.now();
      if (row.claimed_by !== null) {
        claimedAt ??= now;
        if (now - claimedAt > options.exchangeTimeoutMs) throw unavailable("the session's runner did not answer in time; retry shortly");
      } else if (now - startedAt > options.connectTimeoutMs) {
        // Withdrawn, unless a replica claimed it at the last moment (then its answer is awaited).
        const withdrawn = await this.#pool.query('DELETE FROM workspace_relay_requests WHERE id = $1 AND claimed_by IS NULL', [id]);
        if (withdrawn.rowCount) throw unavailable('starting the workspace viewer for this session (or waiting for its runner to connect); retry shortly');
        continue;
      } else if (now - announcedAt >= this.#options.reannounceIntervalMs) {
        announcedAt = now;
        announcements += 1;
        // The first announcement gives a connected runner on another replica its chance first.
        if (announcements > 1) options.onUnclaimed();
        await this.#notify({ kind: 'request', id, sessionUid });
      }
      await this.#sleepUnlessWoken(id, this.#options.pollIntervalMs);
    }
  }

  #sleepUnlessWoken(id: string, durationMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(wake, durationMs);
      this.#waiters.set(id, wake);
    });
  }

  #onNotification(payload: string | undefined): void {
    let notification: RelayNotification;
    try {
      notification = JSON.parse(payload ?? '') as RelayNotification;
    } catch (error) {
      this.#options.onError(error);
      return;
    }
    if (notification.kind === 'response') this.#waiters.get(notification.id)?.();
    else if (notification.kind === 'request' && this.#server?.holds(notification.sessionUid)) {
      this.#claimAndServe(notification.id).catch(this.#options.onError);
    }
  }

  async #claimAndServe(id: string): Promise<void> {
    const server = this.#server;
    if (!server) return;
    const { rows } = await this.#pool.query<{ session_uid: string; request: string }>(
      'UPDATE workspace_relay_requests SET claimed_by = $2 WHERE id = $1 AND claimed_by IS NULL RETURNING session_uid, request',
      [id, this.#options.replicaId],
    );
    const row = rows[0];
    if (!row) return; // another replica was faster, or the requester gave up
    let result: WorkspaceResult;
    try {
      result = await server.handle(row.session_uid, workspaceRequestSchema.parse(JSON.parse(row.request)));
    } catch (error) {
      result = workspaceErrorResult(error);
    }
    await this.#pool.query('UPDATE workspace_relay_requests SET response = $2 WHERE id = $1', [id, JSON.stringify(result)]);
    await this.#notify({ kind: 'response', id });
  }

  async #notify(notification: RelayNotification): Promise<void> {
    await this.#pool.query('SELECT pg_notify($1, $2)', [WORKSPACE_RELAY_CHANNEL, JSON.stringify(notification)]);
  }

  #sweepOccasionally(): void {
    const now = Date.now();
    if (now - this.#lastSweepAt < SWEEP_INTERVAL_MS) return;
    this.#lastSweepAt = now;
    this.#pool
      .query("DELETE FROM workspace_relay_requests WHERE created_at < now() - $1 * interval '1 millisecond'", [this.#options.staleAfterMs])
      .catch(this.#options.onError);
  }
}
