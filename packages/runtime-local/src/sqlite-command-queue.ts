/**
 * CommandQueue over SQLite (tables of migration 3). Cursors are per session, gapless from 1.
 * A command is kept until acknowledged, then deleted: `readAfter(lastAcknowledged)` is exactly
 * what a reconnecting runner still has to apply.
 */
import { runnerCommandSchema } from '@ambient/contracts';
import type { RunnerCommand } from '@ambient/contracts';
import { ValidationError, isoNow, systemClock } from '@ambient/core';
import type { Clock, CommandQueue, Unsubscribe } from '@ambient/core';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import { reportListenerError, sharedHub } from './ordered-feed.ts';
import type { ListenerErrorReporter, TopicHub } from './ordered-feed.ts';

export interface SqliteCommandQueueOptions {
  clock?: Clock;
  onListenerError?: ListenerErrorReporter;
}

interface CursorRow {
  last_cursor: number;
  last_acknowledged: number;
}

export class SqliteCommandQueue implements CommandQueue {
  readonly #database: SqliteDatabase;
  readonly #hub: TopicHub<number>;
  readonly #clock: Clock;
  readonly #onListenerError: ListenerErrorReporter;
  readonly #nextCursor: Statement<[string], { last_cursor: number }>;
  readonly #insertCommand: Statement<[string, number, string, string]>;
  readonly #selectAfter: Statement<[string, number], { cursor: number; command: string }>;
  readonly #selectCursors: Statement<[string], CursorRow>;
  readonly #saveAcknowledged: Statement<[number, string]>;
  readonly #deleteThrough: Statement<[string, number]>;
  readonly #deleteSession: Statement<[string]>;

  constructor(database: SqliteDatabase, options: SqliteCommandQueueOptions = {}) {
    this.#database = database;
    this.#hub = sharedHub<number>(database, 'session-commands');
    this.#clock = options.clock ?? systemClock;
    this.#onListenerError = options.onListenerError ?? reportListenerError;
    this.#nextCursor = database.prepare(
      `INSERT INTO session_command_cursors (session_uid, last_cursor, last_acknowledged)
       VALUES (?, 1, 0)
       ON CONFLICT (session_uid) DO UPDATE SET last_cursor = last_cursor + 1
       RETURNING last_cursor`,
    );
    this.#insertCommand = database.prepare(
      `INSERT INTO session_commands (session_uid, cursor, command, created_at) VALUES (?, ?, ?, ?)`,
    );
    this.#selectAfter = database.prepare(
      `SELECT cursor, command FROM session_commands
       WHERE session_uid = ? AND cursor > ? ORDER BY cursor`,
    );
    this.#selectCursors = database.prepare(
      `SELECT last_cursor, last_acknowledged FROM session_command_cursors WHERE session_uid = ?`,
    );
    this.#saveAcknowledged = database.prepare(
      `UPDATE session_command_cursors SET last_acknowledged = ? WHERE session_uid = ?`,
    );
    this.#deleteThrough = database.prepare(
      `DELETE FROM session_commands WHERE session_uid = ? AND cursor <= ?`,
    );
    // Commands go with their cursor row (ON DELETE CASCADE).
    this.#deleteSession = database.prepare(
      `DELETE FROM session_command_cursors WHERE session_uid = ?`,
    );
  }

  async push(sessionUid: string, command: RunnerCommand): Promise<number> {
    if (typeof sessionUid !== 'string' || sessionUid.length === 0) {
      throw new ValidationError('a session uid is required');
    }
    const parsed = runnerCommandSchema.safeParse(command);
    if (!parsed.success) {
      throw new ValidationError('not a valid runner command', parsed.error.issues);
    }
    const createdAt = isoNow(this.#clock);
    const cursor = this.#database
      .transaction(() => {
        const row = this.#nextCursor.get(sessionUid);
        if (!row) throw new Error('cursor upsert returned no row');
        this.#insertCommand.run(
          sessionUid,
          row.last_cursor,
          JSON.stringify(parsed.data),
          createdAt,
        );
        return row.last_cursor;
      })
      .immediate();
    this.#hub.publish(sessionUid, [cursor]);
    return cursor;
  }

  async readAfter(
    sessionUid: string,
    afterCursor: number,
  ): Promise<{ cursor: number; command: RunnerCommand }[]> {
    requireCursor(afterCursor, 'afterCursor');
    return this.#selectAfter.all(sessionUid, afterCursor).map((row) => ({
      cursor: row.cursor,
      command: JSON.parse(row.command) as RunnerCommand,
    }));
  }

  /** Monotonic: acknowledging a cursor at or below the last acknowledged one changes nothing. */
  async acknowledge(sessionUid: string, cursor: number): Promise<void> {
    requireCursor(cursor, 'cursor');
    this.#database
      .transaction(() => {
        const row = this.#selectCursors.get(sessionUid);
        const lastCursor = row?.last_cursor ?? 0;
        if (cursor > lastCursor) {
          // The runner cannot have applied a command that was never pushed: a protocol bug.
          throw new ValidationError(
            `cannot acknowledge cursor ${cursor}: the last command pushed has cursor ${lastCursor}`,
          );
        }
        if (!row || cursor <= row.last_acknowledged) return;
        this.#saveAcknowledged.run(cursor, sessionUid);
        this.#deleteThrough.run(sessionUid, cursor);
      })
      .immediate();
  }

  async lastAcknowledged(sessionUid: string): Promise<number> {
    return this.#selectCursors.get(sessionUid)?.last_acknowledged ?? 0;
  }

  onPush(sessionUid: string, listener: () => void): Unsubscribe {
    let active = true;
    const unsubscribe = this.#hub.subscribe(sessionUid, () => {
      // Outside the pusher's call stack, so a throwing listener cannot fail the push.
      queueMicrotask(() => {
        if (!active) return;
        try {
          listener();
        } catch (error) {
          this.#onListenerError(error);
        }
      });
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }

  async deleteSession(sessionUid: string): Promise<void> {
    this.#deleteSession.run(sessionUid);
  }
}

function requireCursor(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(`${field} must be a non-negative integer, got ${value}`);
  }
}
