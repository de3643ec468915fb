/**
 * EventLog over SQLite (tables of migration 2).
 *
 * One IMMEDIATE transaction per `append` assigns the seqs, stores the events and folds the session
 * summary, so the summary is never behind or ahead of the log. Followers are woken after the
 * commit through an in-process hub shared by every adapter instance on the same Database object.
 */
import { agUiEventSchema } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import {
  ConflictError,
  EMPTY_SUMMARY,
  ValidationError,
  foldSummary,
  isoNow,
  systemClock,
} from '@ambient/core';
import type {
  AppendInput,
  AppendResult,
  Clock,
  EventLog,
  ReadOptions,
  SessionSummary,
  Unsubscribe,
} from '@ambient/core';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import { OrderedFeed, reportListenerError, sharedHub } from './ordered-feed.ts';
import type { ListenerErrorReporter, TopicHub } from './ordered-feed.ts';

export interface SqliteEventLogOptions {
  clock?: Clock;
  onListenerError?: ListenerErrorReporter;
  /** Stored events handed to a follower per callback while it catches up. */
  followPageSize?: number;
}

const DEFAULT_FOLLOW_PAGE_SIZE = 500;

export class SqliteEventLog implements EventLog {
  readonly #database: SqliteDatabase;
  readonly #hub: TopicHub<SessionEvent>;
  readonly #clock: Clock;
  readonly #onListenerError: ListenerErrorReporter;
  readonly #followPageSize: number;
  readonly #insertEvent: Statement<[string, number, number | null, string, string]>;
  readonly #selectSummary: Statement<[string], { summary: string }>;
  readonly #saveSummary: Statement<[string, number, number, string, string]>;
  readonly #selectEvents: Statement<[string, number, number], { event: string }>;
  readonly #deleteEvents: Statement<[string]>;
  readonly #deleteSummary: Statement<[string]>;

  constructor(database: SqliteDatabase, options: SqliteEventLogOptions = {}) {
    this.#database = database;
    this.#hub = sharedHub<SessionEvent>(database, 'session-events');
    this.#clock = options.clock ?? systemClock;
    this.#onListenerError = options.onListenerError ?? reportListenerError;
    this.#followPageSize = options.followPageSize ?? DEFAULT_FOLLOW_PAGE_SIZE;
    this.#insertEvent = database.prepare(
      `INSERT INTO session_events (session_uid, seq, producer_seq, event, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.#selectSummary = database.prepare(
      'SELECT summary FROM session_summaries WHERE session_uid = ?',
    );
    this.#saveSummary = database.prepare(
      `INSERT INTO session_summaries (session_uid, last_seq, last_producer_seq, summary, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (session_uid) DO UPDATE SET
         last_seq = excluded.last_seq,
         last_producer_seq = excluded.last_producer_seq,
         summary = excluded.summary,
         updated_at = excluded.updated_at`,
    );
    // LIMIT -1 is SQLite for "no limit".
    this.#selectEvents = database.prepare(
      `SELECT event FROM session_events WHERE session_uid = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
    this.#deleteEvents = database.prepare('DELETE FROM session_events WHERE session_uid = ?');
    this.#deleteSummary = database.prepare('DELETE FROM session_summaries WHERE session_uid = ?');
  }

  /**
   * All-or-nothing: when an input leaves a producerSeq gap the whole call fails with a conflict
   * and nothing is stored, so the runner resends from `summary().lastProducerSeq + 1`.
   */
  async append(sessionUid: string, inputs: AppendInput[]): Promise<AppendResult> {
    requireSessionUid(sessionUid);
    inputs.forEach(validateInput);
    const atIso = isoNow(this.#clock);
    const result = this.#database
      .transaction((): AppendResult => {
        let summary = this.#readSummary(sessionUid);
        const appended: SessionEvent[] = [];
        for (const { event, producerSeq } of inputs) {
          if (producerSeq !== undefined) {
            // Already stored: a resend after a reconnect or restart.
            if (producerSeq <= summary.lastProducerSeq) continue;
            if (producerSeq > summary.lastProducerSeq + 1) {
              throw new ConflictError(
                `producerSeq ${producerSeq} leaves a gap: the log holds up to ${summary.lastProducerSeq}; resend from ${summary.lastProducerSeq + 1}`,
                { lastProducerSeq: summary.lastProducerSeq, producerSeq },
              );
            }
          }
          const seq = summary.lastSeq + 1;
          const stored: SessionEvent = { ...event, seq };
          this.#insertEvent.run(
            sessionUid,
            seq,
            producerSeq ?? null,
            JSON.stringify(stored),
            atIso,
          );
          summary = foldSummary(summary, event, seq, producerSeq, atIso);
          appended.push(stored);
        }
        if (appended.length > 0) {
          this.#saveSummary.run(
            sessionUid,
            summary.lastSeq,
            summary.lastProducerSeq,
            JSON.stringify(summary),
            atIso,
          );
        }
        return { appended, lastSeq: summary.lastSeq, lastProducerSeq: summary.lastProducerSeq };
      })
      .immediate();
    this.#hub.publish(sessionUid, result.appended);
    return result;
  }

  async read(sessionUid: string, options: ReadOptions = {}): Promise<SessionEvent[]> {
    const afterSeq = options.afterSeq ?? 0;
    requireNonNegativeInteger(afterSeq, 'afterSeq');
    const limit = options.limit;
    if (limit !== undefined) requireNonNegativeInteger(limit, 'limit');
    return this.#readAfter(sessionUid, afterSeq, limit === undefined || limit === 0 ? -1 : limit);
  }

  async summary(sessionUid: string): Promise<SessionSummary> {
    return this.#readSummary(sessionUid);
  }

  follow(
    sessionUid: string,
    afterSeq: number,
    onEvents: (events: SessionEvent[]) => void,
  ): Unsubscribe {
    requireNonNegativeInteger(afterSeq, 'afterSeq');
    const feed = new OrderedFeed<SessionEvent>({
      afterKey: afterSeq,
      keyOf: (event) => event.seq,
      // Catch-up reads run after the subscription below exists, so the two overlap, never gap.
      readPage: (cursor, pageSize) => this.#readAfter(sessionUid, cursor, pageSize),
      pageSize: this.#followPageSize,
      deliver: onEvents,
      onError: this.#onListenerError,
    });
    // Each follower gets its own copies: nothing it does can alter what the appender or another
    // follower holds.
    const unsubscribe = this.#hub.subscribe(sessionUid, (events) =>
      feed.push(structuredClone(events)),
    );
    return () => {
      unsubscribe();
      feed.close();
    };
  }

  async deleteSession(sessionUid: string): Promise<void> {
    this.#database
      .transaction(() => {
        this.#deleteEvents.run(sessionUid);
        this.#deleteSummary.run(sessionUid);
      })
      .immediate();
  }

  #readSummary(sessionUid: string): SessionSummary {
    const row = this.#selectSummary.get(sessionUid);
    return row ? (JSON.parse(row.summary) as SessionSummary) : { ...EMPTY_SUMMARY };
  }

  #readAfter(sessionUid: string, afterSeq: number, limit: number): SessionEvent[] {
    return this.#selectEvents
      .all(sessionUid, afterSeq, limit)
      .map((row) => JSON.parse(row.event) as SessionEvent);
  }
}

function requireSessionUid(sessionUid: string): void {
  if (typeof sessionUid !== 'string' || sessionUid.length === 0) {
    throw new ValidationError('a session uid is required');
  }
}

function requireNonNegativeInteger(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(`${field} must be a non-negative integer, got ${value}`);
  }
}

/** Checked before the transaction: a malformed input must not be mistaken for a producerSeq gap. */
function validateInput(input: AppendInput, index: number): void {
  const { producerSeq } = input;
  if (producerSeq !== undefined && (!Number.isInteger(producerSeq) || producerSeq < 1)) {
    throw new ValidationError(`inputs[${index}].producerSeq must be a positive integer`);
  }
  const parsed = agUiEventSchema.safeParse(input.event);
  if (!parsed.success) {
    throw new ValidationError(
      `inputs[${index}].event is not a valid AG-UI event`,
      parsed.error.issues,
    );
  }
}
