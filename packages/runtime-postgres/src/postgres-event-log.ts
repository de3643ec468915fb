/**
 * EventLog over PostgreSQL, for cluster mode: several API replicas share one log.
 *
 * Appends are transactions serialised per session by a row lock (see event-log-queries.ts); each
 * commit NOTIFYs `ambient_session_events`. Every instance holds one LISTEN connection; a
 * notification wakes the session's tail, which reads the new events from the table (the payload is
 * only a hint) and pushes them to the local followers. A lost LISTEN connection is re-opened and
 * every tail then catches up from its cursor, so no follower sees a gap or a duplicate.
 */
import type { SessionEvent } from '@ambient/contracts';
import { isoNow, systemClock } from '@ambient/core';
import type {
  AppendInput,
  AppendResult,
  Clock,
  EventLog,
  ReadOptions,
  SessionSummary,
  Unsubscribe,
} from '@ambient/core';
import type { Pool } from 'pg';
import {
  EVENTS_CHANNEL,
  appendInTransaction,
  deleteSessionEvents,
  readEventsAfter,
  readLastSeq,
  readSummary,
} from './event-log-queries.ts';
import { FollowFeed } from './follow-feed.ts';
import { NotificationListener } from './notification-listener.ts';
import { decodeChangeNotice } from './notification-payload.ts';
import { reportBackgroundError } from './retry.ts';
import type { BackoffOptions, ErrorReporter } from './retry.ts';
import { SessionTail } from './session-tail.ts';
import { withTransaction } from './transaction.ts';
import { requireNonNegativeInteger, requireSessionUid, validateInput } from './validation.ts';

export interface PostgresEventLogOptions {
  clock?: Clock;
  /** Listener exceptions and background read/reconnect failures. */
  onListenerError?: ErrorReporter;
  /** Stored events handed to a follower per callback while it catches up. */
  followPageSize?: number;
  /** Shown in pg_stat_activity for this instance's LISTEN connection. */
  listenerApplicationName?: string;
  backoff?: BackoffOptions;
  heartbeatIntervalMs?: number;
}

const DEFAULT_FOLLOW_PAGE_SIZE = 500;

interface FollowedSession {
  tail: SessionTail<SessionEvent>;
  feeds: Set<FollowFeed<SessionEvent>>;
}

export class PostgresEventLog implements EventLog {
  readonly #pool: Pool;
  readonly #clock: Clock;
  readonly #onError: ErrorReporter;
  readonly #followPageSize: number;
  readonly #backoff: BackoffOptions | undefined;
  readonly #listener: NotificationListener;
  readonly #followed = new Map<string, FollowedSession>();
  #unsubscribeListener: Unsubscribe | undefined;
  #closed = false;

  constructor(pool: Pool, options: PostgresEventLogOptions = {}) {
    this.#pool = pool;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onListenerError ?? reportBackgroundError;
    this.#followPageSize = options.followPageSize ?? DEFAULT_FOLLOW_PAGE_SIZE;
    this.#backoff = options.backoff;
    this.#listener = new NotificationListener({
      connection: pool.options,
      channel: EVENTS_CHANNEL,
      onError: this.#onError,
      applicationName: options.listenerApplicationName ?? 'ambient-event-log-listener',
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    });
  }

  /**
   * All-or-nothing: when an input leaves a producerSeq gap the whole call fails with a conflict
   * and nothing is stored, so the runner resends from `summary().lastProducerSeq + 1`.
   */
  async append(sessionUid: string, inputs: AppendInput[]): Promise<AppendResult> {
    requireSessionUid(sessionUid);
    inputs.forEach(validateInput);
    if (inputs.length === 0) {
      const summary = await this.summary(sessionUid);
      return { appended: [], lastSeq: summary.lastSeq, lastProducerSeq: summary.lastProducerSeq };
    }
    const atIso = isoNow(this.#clock);
    return withTransaction(this.#pool, (client) =>
      appendInTransaction(client, sessionUid, inputs, atIso),
    );
  }

  async read(sessionUid: string, options: ReadOptions = {}): Promise<SessionEvent[]> {
    const afterSeq = options.afterSeq ?? 0;
    requireNonNegativeInteger(afterSeq, 'afterSeq');
    const limit = options.limit;
    if (limit !== undefined) requireNonNegativeInteger(limit, 'limit');
    return readEventsAfter(this.#pool, sessionUid, afterSeq, limit === 0 ? undefined : limit);
  }

  async summary(sessionUid: string): Promise<SessionSummary> {
    return readSummary(this.#pool, sessionUid);
  }

  follow(
    sessionUid: string,
    afterSeq: number,
    onEvents: (events: SessionEvent[]) => void,
  ): Unsubscribe {
    requireNonNegativeInteger(afterSeq, 'afterSeq');
    if (this.#closed) throw new Error('the event log was closed');
    this.#ensureListening();
    const session = this.#followedSession(sessionUid);
    const feed = new FollowFeed<SessionEvent>({
      afterKey: afterSeq,
      keyOf: (event) => event.seq,
      liveFrom: session.tail.initialized,
      readPage: (cursor, pageSize) => readEventsAfter(this.#pool, sessionUid, cursor, pageSize),
      pageSize: this.#followPageSize,
      deliver: onEvents,
      onError: this.#onError,
      canRead: () => !this.#pool.ended,
      ...(this.#backoff ? { backoff: this.#backoff } : {}),
    });
    session.feeds.add(feed);
    return () => {
      feed.close();
      session.feeds.delete(feed);
      if (session.feeds.size === 0 && this.#followed.get(sessionUid) === session) {
        session.tail.close();
        this.#followed.delete(sessionUid);
      }
    };
  }

  async deleteSession(sessionUid: string): Promise<void> {
    await withTransaction(this.#pool, (client) => deleteSessionEvents(client, sessionUid));
  }

  /** Stops every follower and closes the LISTEN connection; the pool stays the caller's. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const session of this.#followed.values()) {
      session.tail.close();
      for (const feed of session.feeds) feed.close();
    }
    this.#followed.clear();
    this.#unsubscribeListener?.();
    await this.#listener.close();
  }

  #ensureListening(): void {
    if (this.#unsubscribeListener) return;
    this.#unsubscribeListener = this.#listener.subscribe({
      onNotification: (payload) => {
        const notice = decodeChangeNotice(payload);
        if (notice.sessionUid === undefined) {
          for (const session of this.#followed.values()) session.tail.wake();
          return;
        }
        this.#followed.get(notice.sessionUid)?.tail.wake(notice.last);
      },
      onReconnect: () => {
        for (const session of this.#followed.values()) session.tail.wake();
      },
    });
  }

  #followedSession(sessionUid: string): FollowedSession {
    const existing = this.#followed.get(sessionUid);
    if (existing) return existing;
    const feeds = new Set<FollowFeed<SessionEvent>>();
    const tail = new SessionTail<SessionEvent>({
      keyOf: (event) => event.seq,
      whenListening: () => this.#listener.whenListening(),
      readLastKey: () => readLastSeq(this.#pool, sessionUid),
      readPage: (cursor, pageSize) => readEventsAfter(this.#pool, sessionUid, cursor, pageSize),
      pageSize: this.#followPageSize,
      publish: (events) => publishToFeeds(feeds, events),
      onError: this.#onError,
      canRead: () => !this.#pool.ended,
      ...(this.#backoff ? { backoff: this.#backoff } : {}),
    });
    const session = { tail, feeds };
    this.#followed.set(sessionUid, session);
    return session;
  }
}

/** Each follower gets its own copies: nothing one does can alter what another holds. */
function publishToFeeds(
  feeds: ReadonlySet<FollowFeed<SessionEvent>>,
  events: SessionEvent[],
): void {
  let index = 0;
  for (const feed of feeds) {
    index += 1;
    // The freshly read array itself goes to the last feed; the others get clones.
    feed.push(index === feeds.size ? events : structuredClone(events));
  }
}
