/**
 * Exactly-once, in-order delivery across the boundary between "already stored" and "happening now".
 *
 * A reader subscribes to live notifications first and only then catches up from storage, so every
 * item is either in storage when the catch-up reads it or arrives as a live notification after
 * subscribing (usually both). Tracking the key of the last delivered item drops the overlap.
 *
 * Delivery always happens in a microtask, never inside the writer's call stack: a slow or throwing
 * listener can neither fail a write nor see a half-finished one, and the subscriber gets its
 * unsubscribe handle before the first callback.
 */
import type { Unsubscribe } from '@ambient/core';

export type ListenerErrorReporter = (error: unknown) => void;

/** Listener failures are the listener's bug; report them and keep delivering to everyone else. */
export const reportListenerError: ListenerErrorReporter = (error) => {
  console.error('[runtime-local] a store listener threw', error);
};

export interface OrderedFeedOptions<T> {
  /** Deliver only items whose key is greater than this. */
  afterKey: number;
  keyOf: (item: T) => number;
  /** Next stored items after `afterKey`, oldest first; a short page means storage is exhausted. */
  readPage?: (afterKey: number, pageSize: number) => T[];
  pageSize?: number;
  deliver: (items: T[]) => void;
  onError: ListenerErrorReporter;
}

const DEFAULT_PAGE_SIZE = 500;

export class OrderedFeed<T> {
  readonly #options: OrderedFeedOptions<T>;
  #cursor: number;
  #pending: T[] = [];
  #catchingUp: boolean;
  #active = true;
  #scheduled = false;

  constructor(options: OrderedFeedOptions<T>) {
    this.#options = options;
    this.#cursor = options.afterKey;
    this.#catchingUp = options.readPage !== undefined;
    if (this.#catchingUp) this.#schedule();
  }

  /** Items in key order (live notifications, or a replay captured at subscription time). */
  push(items: readonly T[]): void {
    if (!this.#active || items.length === 0) return;
    for (const item of items) this.#pending.push(item);
    this.#schedule();
  }

  close(): void {
    this.#active = false;
    this.#pending = [];
  }

  #schedule(): void {
    if (this.#scheduled || !this.#active) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    const { readPage, keyOf } = this.#options;
    const pageSize = this.#options.pageSize ?? DEFAULT_PAGE_SIZE;
    while (this.#active && this.#catchingUp && readPage) {
      let page: T[];
      try {
        page = readPage(this.#cursor, pageSize);
      } catch (error) {
        // Storage is gone (e.g. the database was closed): nothing further can be delivered in order.
        this.#options.onError(error);
        this.close();
        return;
      }
      if (page.length < pageSize) this.#catchingUp = false;
      if (page.length > 0) this.#emit(page);
    }
    while (this.#active && this.#pending.length > 0) {
      const batch = this.#pending.filter((item) => keyOf(item) > this.#cursor);
      this.#pending = [];
      if (batch.length > 0) this.#emit(batch);
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

/**
 * Publish/subscribe by topic, shared by every adapter instance over the same database object, so a
 * write through one adapter instance wakes watchers registered through another.
 */
export class TopicHub<T> {
  readonly #listeners = new Map<string, Set<(items: readonly T[]) => void>>();

  subscribe(topic: string, listener: (items: readonly T[]) => void): Unsubscribe {
    let listeners = this.#listeners.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(topic, listeners);
    }
    listeners.add(listener);
    return () => {
      const current = this.#listeners.get(topic);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.#listeners.delete(topic);
    };
  }

  /** Called after the commit that stored `items`; listeners must only enqueue, never block. */
  publish(topic: string, items: readonly T[]): void {
    const listeners = this.#listeners.get(topic);
    if (!listeners || items.length === 0) return;
    for (const listener of [...listeners]) listener(items);
  }
}

const hubsByDatabase = new WeakMap<object, Map<string, TopicHub<unknown>>>();

/** The hub named `name` for this database object (created on first use, freed with the object). */
export function sharedHub<T>(database: object, name: string): TopicHub<T> {
  let hubs = hubsByDatabase.get(database);
  if (!hubs) {
    hubs = new Map();
    hubsByDatabase.set(database, hubs);
  }
  let hub = hubs.get(name);
  if (!hub) {
    hub = new TopicHub<unknown>();
    hubs.set(name, hub);
  }
  return hub as TopicHub<T>;
}
