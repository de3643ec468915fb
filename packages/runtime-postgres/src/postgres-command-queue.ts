/**
 * CommandQueue over PostgreSQL (tables of migration 2). Cursors are per session, gapless from 1:
 * the upsert of the cursor row takes its row lock, so pushes from several replicas queue up behind
 * each other. A command is kept until acknowledged, then deleted, so `readAfter(lastAcknowledged)`
 * is exactly what a reconnecting runner still has to apply. Each push NOTIFYs
 * `ambient_session_commands` on commit; `onPush` listens on every instance (see push-watchers.ts).
 */
import { runnerCommandSchema } from '@ambient/contracts';
import type { RunnerCommand } from '@ambient/contracts';
import { ValidationError, isoNow, systemClock } from '@ambient/core';
import type { Clock, CommandQueue, Unsubscribe } from '@ambient/core';
import type { Pool } from 'pg';
import { NotificationListener } from './notification-listener.ts';
import { decodeChangeNotice, encodeChangeNotice } from './notification-payload.ts';
import { PushWatchers } from './push-watchers.ts';
import type { SessionCursors } from './push-watchers.ts';
import { reportBackgroundError } from './retry.ts';
import type { BackoffOptions, ErrorReporter } from './retry.ts';
import { toStorableJson } from './storable-json.ts';
import { toNumber, withTransaction } from './transaction.ts';
import { requireNonNegativeInteger, requireSessionUid } from './validation.ts';

export const COMMANDS_CHANNEL = 'ambient_session_commands';

export interface PostgresCommandQueueOptions {
  clock?: Clock;
  onListenerError?: ErrorReporter;
  listenerApplicationName?: string;
  backoff?: BackoffOptions;
  heartbeatIntervalMs?: number;
}

interface CursorRow {
  last_cursor: string;
  last_acknowledged: string;
}

export class PostgresCommandQueue implements CommandQueue {
  readonly #pool: Pool;
  readonly #clock: Clock;
  readonly #listener: NotificationListener;
  readonly #watchers: PushWatchers;
  #unsubscribeListener: Unsubscribe | undefined;

  constructor(pool: Pool, options: PostgresCommandQueueOptions = {}) {
    this.#pool = pool;
    this.#clock = options.clock ?? systemClock;
    const onError = options.onListenerError ?? reportBackgroundError;
    this.#listener = new NotificationListener({
      connection: pool.options,
      channel: COMMANDS_CHANNEL,
      onError,
      applicationName: options.listenerApplicationName ?? 'ambient-command-queue-listener',
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    });
    this.#watchers = new PushWatchers({
      whenListening: () => this.#listener.whenListening(),
      readCursors: (sessionUid) => this.#readCursors(sessionUid),
      onError,
      canRead: () => !pool.ended,
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
  }

  async push(sessionUid: string, command: RunnerCommand): Promise<number> {
    requireSessionUid(sessionUid);
    const parsed = runnerCommandSchema.safeParse(command);
    if (!parsed.success) {
      throw new ValidationError('not a valid runner command', parsed.error.issues);
    }
    const createdAt = isoNow(this.#clock);
    return withTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ last_cursor: string }>(
        `INSERT INTO session_command_cursors (session_uid, last_cursor, last_acknowledged)
         VALUES ($1, 1, 0)
         ON CONFLICT (session_uid)
         DO UPDATE SET last_cursor = session_command_cursors.last_cursor + 1
         RETURNING last_cursor`,
        [sessionUid],
      );
      if (!rows[0]) throw new Error('cursor upsert returned no row');
      const cursor = toNumber(rows[0].last_cursor);
      await client.query(
        `INSERT INTO session_commands (session_uid, cursor, command, created_at)
         VALUES ($1, $2, $3::jsonb, $4::timestamptz)`,
        [sessionUid, cursor, toStorableJson(parsed.data).json, createdAt],
      );
      await client.query('SELECT pg_notify($1, $2)', [
        COMMANDS_CHANNEL,
        encodeChangeNotice(sessionUid, cursor),
      ]);
      return cursor;
    });
  }

  async readAfter(
    sessionUid: string,
    afterCursor: number,
  ): Promise<{ cursor: number; command: RunnerCommand }[]> {
    requireNonNegativeInteger(afterCursor, 'afterCursor');
    const { rows } = await this.#pool.query<{ cursor: string; command: RunnerCommand }>(
      `SELECT cursor, command FROM session_commands
       WHERE session_uid = $1 AND cursor > $2 ORDER BY cursor`,
      [sessionUid, afterCursor],
    );
    return rows.map((row) => ({ cursor: toNumber(row.cursor), command: row.command }));
  }

  /** Monotonic: acknowledging a cursor at or below the last acknowledged one changes nothing. */
  async acknowledge(sessionUid: string, cursor: number): Promise<void> {
    requireNonNegativeInteger(cursor, 'cursor');
    await withTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<CursorRow>(
        `SELECT last_cursor, last_acknowledged FROM session_command_cursors
         WHERE session_uid = $1 FOR UPDATE`,
        [sessionUid],
      );
      const row = rows[0];
      const lastCursor = row ? toNumber(row.last_cursor) : 0;
      if (cursor > lastCursor) {
        // The runner cannot have applied a command that was never pushed: a protocol bug.
        throw new ValidationError(
          `cannot acknowledge cursor ${cursor}: the last command pushed has cursor ${lastCursor}`,
        );
      }
      if (!row || cursor <= toNumber(row.last_acknowledged)) return;
      await client.query(
        'UPDATE session_command_cursors SET last_acknowledged = $2 WHERE session_uid = $1',
        [sessionUid, cursor],
      );
      await client.query('DELETE FROM session_commands WHERE session_uid = $1 AND cursor <= $2', [
        sessionUid,
        cursor,
      ]);
    });
  }

  async lastAcknowledged(sessionUid: string): Promise<number> {
    return (await this.#readCursors(sessionUid)).lastAcknowledged;
  }

  onPush(sessionUid: string, listener: () => void): Unsubscribe {
    this.#ensureListening();
    return this.#watchers.add(sessionUid, listener);
  }

  async deleteSession(sessionUid: string): Promise<void> {
    // Commands go with their cursor row (ON DELETE CASCADE).
    await this.#pool.query('DELETE FROM session_command_cursors WHERE session_uid = $1', [
      sessionUid,
    ]);
  }

  /** Stops every push listener and closes the LISTEN connection; the pool stays the caller's. */
  async close(): Promise<void> {
    this.#watchers.clear();
    this.#unsubscribeListener?.();
    await this.#listener.close();
  }

  #ensureListening(): void {
    if (this.#unsubscribeListener) return;
    this.#unsubscribeListener = this.#listener.subscribe({
      onNotification: (payload) => this.#watchers.notified(decodeChangeNotice(payload)),
      onReconnect: () => this.#watchers.reconnected(),
    });
  }

  async #readCursors(sessionUid: string): Promise<SessionCursors> {
    const { rows } = await this.#pool.query<CursorRow>(
      'SELECT last_cursor, last_acknowledged FROM session_command_cursors WHERE session_uid = $1',
      [sessionUid],
    );
    const row = rows[0];
    return row
      ? { lastCursor: toNumber(row.last_cursor), lastAcknowledged: toNumber(row.last_acknowledged) }
      : { lastCursor: 0, lastAcknowledged: 0 };
  }
}
