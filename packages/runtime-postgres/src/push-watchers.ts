/**
 * `onPush` across instances. A subscription fires when this instance learns of a cursor beyond the
 * last one it fired for: from a NOTIFY, or from a check against the table when LISTEN (re)starts,
 * because pushes committed while it was not listening sent notifications nobody received.
 *
 * The check at subscription time fires only for commands still unacknowledged: a push that raced
 * the start of LISTEN is pending by definition, while an old, acknowledged history is not news.
 * Spurious calls are possible (a notification already in flight when subscribing); they are
 * harmless because a push listener only ever re-reads the queue.
 */
import type { Unsubscribe } from '@ambient/core';
import type { ChangeNotice } from './notification-payload.ts';
import { retryWhileActive } from './retry.ts';
import type { BackoffOptions, ErrorReporter } from './retry.ts';

export interface SessionCursors {
  lastCursor: number;
  lastAcknowledged: number;
}

export interface PushWatchersOptions {
  whenListening(): Promise<void>;
  readCursors(sessionUid: string): Promise<SessionCursors>;
  onError: ErrorReporter;
  canRead(): boolean;
  backoff?: BackoffOptions;
}

interface Subscription {
  listener: () => void;
  firedThrough: number;
  active: boolean;
}

export class PushWatchers {
  readonly #options: PushWatchersOptions;
  readonly #bySession = new Map<string, Set<Subscription>>();

  constructor(options: PushWatchersOptions) {
    this.#options = options;
  }

  add(sessionUid: string, listener: () => void): Unsubscribe {
    const subscription: Subscription = { listener, firedThrough: 0, active: true };
    let subscriptions = this.#bySession.get(sessionUid);
    if (!subscriptions) {
      subscriptions = new Set();
      this.#bySession.set(sessionUid, subscriptions);
    }
    subscriptions.add(subscription);
    void this.#checkOnceListening(sessionUid, subscription);
    return () => {
      subscription.active = false;
      const current = this.#bySession.get(sessionUid);
      current?.delete(subscription);
      if (current?.size === 0) this.#bySession.delete(sessionUid);
    };
  }

  notified(notice: ChangeNotice): void {
    const sessions =
      notice.sessionUid === undefined
        ? [...this.#bySession.values()]
        : [this.#bySession.get(notice.sessionUid) ?? new Set<Subscription>()];
    for (const subscriptions of sessions) {
      for (const subscription of subscriptions) this.#fireIfNewer(subscription, notice.last);
    }
  }

  /** LISTEN is back after a lost connection: look for pushes made while it was down. */
  reconnected(): void {
    for (const [sessionUid, subscriptions] of this.#bySession) {
      void this.#readCursors(sessionUid).then((cursors) => {
        if (!cursors) return;
        for (const subscription of subscriptions) {
          this.#fireIfNewer(subscription, cursors.lastCursor);
        }
      });
    }
  }

  clear(): void {
    for (const subscriptions of this.#bySession.values()) {
      for (const subscription of subscriptions) subscription.active = false;
    }
    this.#bySession.clear();
  }

  async #checkOnceListening(sessionUid: string, subscription: Subscription): Promise<void> {
    const listening = await this.#options.whenListening().then(
      () => true,
      () => false,
    );
    if (!listening || !subscription.active) return;
    const cursors = await this.#readCursors(sessionUid);
    if (!cursors || !subscription.active) return;
    if (cursors.lastCursor > cursors.lastAcknowledged) {
      this.#fireIfNewer(subscription, cursors.lastCursor);
    } else {
      subscription.firedThrough = Math.max(subscription.firedThrough, cursors.lastCursor);
    }
  }

  #readCursors(sessionUid: string): Promise<SessionCursors | undefined> {
    return retryWhileActive(
      () => this.#options.readCursors(sessionUid),
      () => this.#bySession.has(sessionUid) && this.#options.canRead(),
      this.#options.onError,
      this.#options.backoff,
    ).then((result) => result?.value);
  }

  #fireIfNewer(subscription: Subscription, cursor: number): void {
    if (!subscription.active || cursor <= subscription.firedThrough) return;
    subscription.firedThrough = cursor;
    // Outside the pusher's and the notifier's call stack, like the embedded adapter.
    queueMicrotask(() => {
      if (!subscription.active) return;
      try {
        subscription.listener();
      } catch (error) {
        this.#options.onError(error);
      }
    });
  }
}
