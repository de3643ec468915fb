/**
 * One follower's exactly-once, in-order delivery across the boundary between "already stored" and
 * "arriving now" (the asynchronous twin of runtime-local's OrderedFeed).
 *
 * Live items are pushed from the moment the feed exists; the catch-up from storage starts only once
 * `liveFrom` resolves, i.e. once every later commit is certain to be pushed. Every item is therefore
 * read by the catch-up or pushed live (usually both); the key of the last delivered item drops the
 * overlap. Delivery never happens inside the subscriber's call, so it holds its unsubscribe handle
 * before the first callback.
 */
import { retryWhileActive } from './retry.ts';
import type { BackoffOptions, ErrorReporter } from './retry.ts';

export interface FollowFeedOptions<T> {
  /** Deliver only items whose key is greater than this. */
  afterKey: number;
  keyOf(item: T): number;
  liveFrom: Promise<void>;
  /** Next stored items after `afterKey`, oldest first; a short page means storage is exhausted. */
  readPage(afterKey: number, pageSize: number): Promise<T[]>;
  pageSize: number;
  deliver(items: T[]): void;
  onError: ErrorReporter;
  /** False once reading can never succeed again (the pool was ended). */
  canRead(): boolean;
  backoff?: BackoffOptions;
}

export class FollowFeed<T> {
  readonly #options: FollowFeedOptions<T>;
  #cursor: number;
  #pending: T[] = [];
  #catchingUp = true;
  #active = true;
  #draining = false;

  constructor(options: FollowFeedOptions<T>) {
    this.#options = options;
    this.#cursor = options.afterKey;
    void this.#drain();
  }

  /** Items in key order, as the session's tail read them. */
  push(items: readonly T[]): void {
    if (!this.#active || items.length === 0) return;
    for (const item of items) this.#pending.push(item);
    if (!this.#draining) void this.#drain();
  }

  close(): void {
    this.#active = false;
    this.#pending = [];
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      if (this.#catchingUp) await this.#catchUp();
      while (this.#active && this.#pending.length > 0) {
        const batch = this.#pending.filter((item) => this.#options.keyOf(item) > this.#cursor);
        this.#pending = [];
        if (batch.length > 0) this.#emit(batch);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #catchUp(): Promise<void> {
    const live = await this.#options.liveFrom.then(
      () => true,
      () => false,
    );
    if (!live) {
      // The adapter was closed before live delivery could start.
      this.close();
      return;
    }
    const isActive = () => this.#active && this.#options.canRead();
    const { pageSize } = this.#options;
    while (this.#active && this.#catchingUp) {
      const page = await retryWhileActive(
        () => this.#options.readPage(this.#cursor, pageSize),
        isActive,
        this.#options.onError,
        this.#options.backoff,
      );
      if (!page || !this.#active) {
        this.close();
        return;
      }
      if (page.value.length < pageSize) this.#catchingUp = false;
      if (page.value.length > 0) this.#emit(page.value);
    }
  }

  #emit(items: T[]): void {
    const last = items[items.length - 1];
    // Advance before delivering, so a listener that throws is not handed the same items again.
    if (last !== undefined) this.#cursor = this.#options.keyOf(last);
    try {
      this.#options.deliver(items);
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
