/**
 * An informer for one kind over the ResourceStore port: list every namespace, then watch from the
 * list's resourceVersion, so the map below is always the store's state at `version` (a prefix of
 * its change stream). When the watch dies (GoneError after compaction, a lost connection the
 * adapter gave up on) it lists again after a delay, and reports the difference to subscribers as
 * events, so a level-triggered controller sees every object that changed during the gap.
 *
 * Fences keep the cache from answering with something older than what its owner already knows:
 * after a write, a read of that object waits until the stream has passed the write's version
 * (`requireVersion`); after a rejected write (conflict, not found), until the object differs from
 * the version the write was based on (`requireChangeFrom`). CachedResourceStore reads the API
 * server directly when a fence does not clear in time.
 */
import type { ResourceKind } from '@ambient/contracts';
import type { ResourceStore, Stored, Unsubscribe, WatchEvent } from '@ambient/core';

export interface KindCacheSettings {
  /** First delay before listing again after the watch died; doubles up to maxRelistDelayMs. */
  relistDelayMs: number;
  maxRelistDelayMs: number;
  /** Page size of the lists. */
  pageSize: number;
  onError: (error: unknown) => void;
}

type Listener<T> = (event: WatchEvent<T>) => void;

interface Subscription<T> {
  namespace: string | undefined;
  /** Events at or below this version happened before the subscription. */
  afterVersion: bigint;
  listener: Listener<T>;
}

/** resourceVersion as a number (both stores use a store-wide increasing counter). */
export function versionNumber(resourceVersion: string | undefined): bigint {
  return resourceVersion && /^\d+$/.test(resourceVersion) ? BigInt(resourceVersion) : 0n;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function keyOf(object: Stored<unknown>): string {
  return objectKey(object.metadata.namespace, object.metadata.name);
}

export class KindCache<T> {
  readonly #store: ResourceStore;
  readonly #kind: ResourceKind<T>;
  readonly #settings: KindCacheSettings;
  #objects = new Map<string, Stored<T>>();
  #version = 0n;
  /** Highest version this process wrote (a subscription starts after it). */
  #ownWriteVersion = 0n;
  #listed = false;
  #watching = false;
  #stopped = true;
  #unwatch: Unsubscribe | undefined;
  #relistTimer: NodeJS.Timeout | undefined;
  #relistDelayMs: number;
  readonly #fences = new Map<string, () => boolean>();
  readonly #waiters = new Set<() => void>();
  readonly #subscriptions = new Set<Subscription<T>>();

  constructor(store: ResourceStore, kind: ResourceKind<T>, settings: KindCacheSettings) {
    this.#store = store;
    this.#kind = kind;
    this.#settings = settings;
    this.#relistDelayMs = settings.relistDelayMs;
  }

  /**
   * Lists and starts watching. Resolves after the first attempt: when it failed (no permission to
   * list, API server away) reads go to the store meanwhile, and the list is retried with backoff.
   */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    try {
      await this.#relist();
    } catch (error) {
      this.#watchFailed(error);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#listed = false;
    this.#watching = false;
    if (this.#relistTimer) clearTimeout(this.#relistTimer);
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#fences.clear();
    for (const wake of [...this.#waiters]) wake();
  }

  /** Between start and stop (listed or still trying to). */
  get started(): boolean {
    return !this.#stopped;
  }

  /** Listed at least once, and the watch is running (the map follows the store). */
  get synced(): boolean {
    return this.#listed && this.#watching;
  }

  get version(): bigint {
    return this.#version;
  }

  object(namespace: string | undefined, name: string): Stored<T> | undefined {
    return this.#objects.get(objectKey(namespace, name));
  }

  /** The objects of one namespace (or all), in key order like the stores' lists. */
  objects(namespace: string | undefined): Stored<T>[] {
    const items = [...this.#objects.entries()]
      .filter(([, object]) => namespace === undefined || object.metadata.namespace === namespace)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return items.map(([, object]) => object);
  }

  /** Reads of this object wait until the stream has reached `resourceVersion` (our own write). */
  requireVersion(namespace: string | undefined, name: string, resourceVersion: string): void {
    const required = versionNumber(resourceVersion);
    if (required > this.#ownWriteVersion) this.#ownWriteVersion = required;
    this.#addFence(objectKey(namespace, name), () => this.#version >= required);
  }

  /** Reads of this object wait until the cache no longer holds `staleVersion` (undefined: absence). */
  requireChangeFrom(namespace: string | undefined, name: string, staleVersion: string | undefined): void {
    this.#addFence(objectKey(namespace, name), () => this.object(namespace, name)?.metadata.resourceVersion !== staleVersion);
  }

  /**
   * Whether the cache may answer for one object (name given) or a namespace (or everything):
   * true once no fence in that scope is pending, false when they are still pending after
   * `timeoutMs` or the watch is down (the caller then asks the store itself).
   */
  async fresh(namespace: string | undefined, name: string | undefined, timeoutMs: number): Promise<boolean> {
    if (!this.synced) return false;
    const pending = (): boolean => this.#pendingFences(namespace, name);
    if (!pending()) return true;
    const deadline = Date.now() + timeoutMs;
    while (pending()) {
      if (!this.synced || Date.now() >= deadline) return false;
      // Woken by every applied event (and by stop or a dead watch), or by the deadline.
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(0, deadline - Date.now()));
        this.#waiters.add(wake);
      });
    }
    return true;
  }

  /** Changes from now on (after every version this process has written), of one namespace or all. */
  subscribe(namespace: string | undefined, listener: Listener<T>): Unsubscribe {
    const afterVersion = this.#version > this.#ownWriteVersion ? this.#version : this.#ownWriteVersion;
    const subscription: Subscription<T> = { namespace, afterVersion, listener };
    this.#subscriptions.add(subscription);
    return () => void this.#subscriptions.delete(subscription);
  }

  #addFence(key: string, satisfied: () => boolean): void {
    const previous = this.#fences.get(key);
    // Chained only while the earlier fence still holds, so repeated writes do not pile up closures.
    this.#fences.set(key, previous && !previous() ? () => previous() && satisfied() : satisfied);
  }

  #pendingFences(namespace: string | undefined, name: string | undefined): boolean {
    let pending = false;
    for (const [key, satisfied] of this.#fences) {
      if (satisfied()) {
        this.#fences.delete(key);
        continue;
      }
      const inScope = name !== undefined ? key === objectKey(namespace, name) : namespace === undefined || key.startsWith(`${namespace}/`);
      if (inScope) pending = true;
    }
    return pending;
  }

  async #relist(): Promise<void> {
    this.#watching = false;
    this.#unwatch?.();
    this.#unwatch = undefined;
    const listed = new Map<string, Stored<T>>();
    let listVersion: string | undefined;
    let continueToken: string | undefined;
    do {
      const page = await this.#store.list(this.#kind, undefined, { limit: this.#settings.pageSize, ...(continueToken ? { continue: continueToken } : {}) });
      // Every page of one list is served at the first page's version.
      listVersion ??= page.resourceVersion;
      for (const item of page.items) listed.set(keyOf(item), item);
      continueToken = page.continue;
    } while (continueToken);
    if (this.#stopped) return;
    const events = this.#listed ? this.#differences(this.#objects, listed) : [];
    this.#objects = listed;
    const version = versionNumber(listVersion);
    if (version > this.#version) this.#version = version;
    this.#listed = true;
    this.#watch(listVersion ?? '');
    for (const event of events) this.#notify(event, true);
    this.#wakeWaiters();
  }

  #differences(before: Map<string, Stored<T>>, after: Map<string, Stored<T>>): WatchEvent<T>[] {
    const events: WatchEvent<T>[] = [];
    for (const [key, object] of after) {
      const previous = before.get(key);
      if (!previous) events.push({ type: 'ADDED', object });
      else if (previous.metadata.resourceVersion !== object.metadata.resourceVersion) events.push({ type: 'MODIFIED', object });
    }
    for (const [key, object] of before) if (!after.has(key)) events.push({ type: 'DELETED', object });
    return events;
  }

  #watch(fromVersion: string): void {
    try {
      this.#unwatch = this.#store.watch(this.#kind, { resourceVersion: fromVersion, onError: (error) => this.#watchFailed(error) }, (event) => this.#apply(event));
      this.#watching = true;
    } catch (error) {
      // SQLite reports a version it no longer has synchronously.
      this.#watchFailed(error);
    }
  }

  #watchFailed(error: unknown): void {
    if (this.#stopped) return;
    this.#watching = false;
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#settings.onError(error);
    this.#wakeWaiters();
    this.#relistTimer = setTimeout(() => {
      this.#relistTimer = undefined;
      this.#relist().then(
        () => (this.#relistDelayMs = this.#settings.relistDelayMs),
        (relistError: unknown) => this.#watchFailed(relistError),
      );
    }, this.#nextRelistDelayMs());
  }

  #nextRelistDelayMs(): number {
    const delayMs = this.#relistDelayMs;
    this.#relistDelayMs = Math.min(delayMs * 2, this.#settings.maxRelistDelayMs);
    return delayMs;
  }

  #apply(event: WatchEvent<T>): void {
    if (this.#stopped) return;
    const key = keyOf(event.object);
    const version = versionNumber(event.object.metadata.resourceVersion);
    const current = this.#objects.get(key);
    if (event.type === 'DELETED') this.#objects.delete(key);
    else if (current && versionNumber(current.metadata.resourceVersion) >= version) return; // already listed
    else this.#objects.set(key, event.object);
    if (version > this.#version) this.#version = version;
    this.#notify(event, false);
    this.#wakeWaiters();
  }

  #notify(event: WatchEvent<T>, fromRelist: boolean): void {
    const version = versionNumber(event.object.metadata.resourceVersion);
    for (const subscription of [...this.#subscriptions]) {
      if (subscription.namespace !== undefined && subscription.namespace !== event.object.metadata.namespace) continue;
      // A relist's differences happened during the gap: every subscriber missed them.
      if (!fromRelist && version <= subscription.afterVersion) continue;
      try {
        subscription.listener({ type: event.type, object: structuredClone(event.object) });
      } catch (error) {
        this.#settings.onError(error);
      }
    }
  }

  #wakeWaiters(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
