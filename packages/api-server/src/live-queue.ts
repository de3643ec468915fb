/**
 * The bounded queue between a live feed (event log follow, store watch) and one slow reader.
 * Items are sent in batches, one batch at a time, each when the transport took the previous one.
 * Past the bound the queue gives up (`onOverflow`) rather than grow: the reader is cut off and
 * resumes from its cursor, which costs a reconnect instead of the server's memory.
 */
export interface LiveQueueOptions<T> {
  send(items: T[]): Promise<void>;
  sizeOf(item: T): number;
  maxItems: number;
  maxBytes: number;
  onOverflow(): void;
  /** The transport failed: the reader is gone. */
  onSendError(error: unknown): void;
}

export class LiveQueue<T> {
  readonly #options: LiveQueueOptions<T>;
  #queue: T[] = [];
  #bytes = 0;
  #sending = false;
  #closed = false;

  constructor(options: LiveQueueOptions<T>) {
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(items: readonly T[]): void {
    if (this.#closed || items.length === 0) return;
    for (const item of items) {
      this.#queue.push(item);
      this.#bytes += this.#options.sizeOf(item);
    }
    if (this.#queue.length > this.#options.maxItems || this.#bytes > this.#options.maxBytes) {
      this.close();
      this.#options.onOverflow();
      return;
    }
    void this.#drain();
  }

  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#bytes = 0;
  }

  async #drain(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (!this.#closed && this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        this.#bytes = 0;
        await this.#options.send(batch);
      }
    } catch (error) {
      this.close();
      this.#options.onSendError(error);
    } finally {
      this.#sending = false;
    }
  }
}
