/**
 * The newest end of one session's log, as seen by one adapter instance. While the session has
 * followers here, a notification (or a reconnect of the LISTEN connection) wakes the tail, which
 * reads what was committed after its cursor (one query per wake-up, however many followers) and
 * pushes it to every follower's feed.
 *
 * Reads never overlap: a wake-up during a read is remembered and served by one more read, so a
 * burst of notifications costs at most two queries.
 */
import { deferred, retryWhileActive } from './retry.ts';
import type { BackoffOptions, Deferred, ErrorReporter } from './retry.ts';

export interface SessionTailOptions<T> {
  keyOf(item: T): number;
  /** Resolves once the LISTEN connection is active; rejects when the adapter closes. */
  whenListening(): Promise<void>;
  /** The newest key committed so far (0 for an empty session). */
  readLastKey(): Promise<number>;
  readPage(afterKey: number, pageSize: number): Promise<T[]>;
  pageSize: number;
  publish(items: T[]): void;
  onError: ErrorReporter;
  canRead(): boolean;
  backoff?: BackoffOptions;
}

export class SessionTail<T> {
  readonly #options: SessionTailOptions<T>;
  readonly #initialized: Deferred = deferred();
  #cursor: number | undefined;
  #wakeAgain = false;
  #running = false;
  #closed = false;

  constructor(options: SessionTailOptions<T>) {
    this.#options = options;
    void this.#run();
  }

  /**
   * Resolves once the tail knows where the log ended while LISTEN was already active: every commit
   * after that point reaches the tail, so a follower's catch-up read started later misses nothing.
   */
  get initialized(): Promise<void> {
    return this.#initialized.promise;
  }

  /** `committedThrough` (from a notification) lets the tail skip a read it has already done. */
  wake(committedThrough?: number): void {
    if (
      committedThrough !== undefined &&
      this.#cursor !== undefined &&
      committedThrough <= this.#cursor
    ) {
      return;
    }
    this.#wakeAgain = true;
    if (!this.#running) void this.#run();
  }

  close(): void {
    this.#closed = true;
    this.#initialized.reject(new Error('the session tail was closed'));
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (!this.#closed) {
        if (this.#cursor === undefined) {
          if (!(await this.#initialize())) return;
          continue;
        }
        if (!this.#wakeAgain) return;
        this.#wakeAgain = false;
        if (!(await this.#readNew())) return;
      }
    } finally {
      this.#running = false;
    }
  }

  async #initialize(): Promise<boolean> {
    const listening = await this.#options.whenListening().then(
      () => true,
      () => false,
    );
    const lastKey = listening ? await this.#retry(() => this.#options.readLastKey()) : undefined;
    if (!lastKey) {
      // Closed, or the pool was ended: release the followers waiting to start their catch-up.
      this.#initialized.reject(new Error('the session tail stopped before it started'));
      return false;
    }
    this.#cursor = lastKey.value;
    this.#initialized.resolve();
    return true;
  }

  async #readNew(): Promise<boolean> {
    const { pageSize } = this.#options;
    for (;;) {
      const page = await this.#retry(() => this.#options.readPage(this.#cursor ?? 0, pageSize));
      if (!page) return false;
      const last = page.value[page.value.length - 1];
      if (last !== undefined) {
        this.#cursor = this.#options.keyOf(last);
        this.#options.publish(page.value);
      }
      if (page.value.length < pageSize) return true;
    }
  }

  #retry<R>(operation: () => Promise<R>): Promise<{ value: R } | undefined> {
    return retryWhileActive(
      operation,
      () => !this.#closed && this.#options.canRead(),
      this.#options.onError,
      this.#options.backoff,
    );
  }
}
