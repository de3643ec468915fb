/**
 * A ResourceStore whose reads of some kinds come from watch-fed caches (kind-cache.ts) instead of
 * one GET per read: the operator reads every session, its project's settings and its parent on
 * every reconcile, and the watch already delivers each change once.
 *
 * What a read can return:
 * - never something older than this store's own writes: after create/update/patchStatus/delete
 *   the object is fenced until the watch has delivered that write (a read waits for it, and asks
 *   the API server directly after `freshnessTimeoutMs`); after a write rejected as a conflict or
 *   not-found, until the cache holds something else than the version the write was based on;
 * - possibly a change of another writer's that the watch has not delivered yet, which is what a
 *   GET answers too if it is sent a moment earlier; the watch event of that change then triggers
 *   the next reconcile, which sees it (the cache is updated before subscribers are told).
 * - when the cache cannot answer (not started, watch down and relisting, a paged list, a watch
 *   from a resourceVersion), the wrapped store does, exactly as without the cache.
 *
 * Writes, and everything about other kinds, go to the wrapped store unchanged: optimistic
 * concurrency (resourceVersion preconditions) still decides every write.
 */
import type { ResourceKind } from '@ambient/contracts';
import { isConflict, isNotFound } from '@ambient/core';
import type {
  ListOptions,
  ListResult,
  NewObject,
  ResourceStore,
  Stored,
  Unsubscribe,
  WatchEvent,
  WatchOptions,
} from '@ambient/core';
import { KindCache } from './kind-cache.ts';
import type { KindCacheSettings } from './kind-cache.ts';

export interface CachedResourceStoreOptions extends Partial<KindCacheSettings> {
  /** The kinds read from caches (every namespace); other kinds go to the wrapped store. */
  kinds: readonly ResourceKind[];
  /** How long a read waits for the watch to deliver this store's own write (default 2 s). */
  freshnessTimeoutMs?: number;
}

export interface CachedResourceStoreStats {
  /** Reads answered from a cache. */
  cacheReads: number;
  /** Reads of cached kinds the wrapped store answered (cache not ready, fence not cleared). */
  storeReads: number;
}

type StatusOf<T> = T extends { status?: infer S } ? S : unknown;

const DEFAULT_SETTINGS: KindCacheSettings = {
  relistDelayMs: 1_000,
  maxRelistDelayMs: 30_000,
  pageSize: 500,
  onError: (error) => console.error('[runtime-kube] resource cache', error),
};

function kindKey(kind: ResourceKind): string {
  return `${kind.apiVersion}/${kind.kind}`;
}

function matchesLabels(object: Stored<unknown>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const labels = object.metadata.labels ?? {};
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

export class CachedResourceStore implements ResourceStore {
  readonly #store: ResourceStore;
  readonly #caches = new Map<string, KindCache<unknown>>();
  readonly #freshnessTimeoutMs: number;
  readonly #stats: CachedResourceStoreStats = { cacheReads: 0, storeReads: 0 };

  constructor(store: ResourceStore, options: CachedResourceStoreOptions) {
    this.#store = store;
    this.#freshnessTimeoutMs = options.freshnessTimeoutMs ?? 2_000;
    const { kinds: _kinds, freshnessTimeoutMs: _timeout, ...settings } = options;
    for (const kind of options.kinds) {
      this.#caches.set(kindKey(kind), new KindCache(store, kind, { ...DEFAULT_SETTINGS, ...settings }));
    }
  }

  /** Lists every cached kind and starts watching; resolves when all have listed once. */
  async start(): Promise<void> {
    await Promise.all([...this.#caches.values()].map((cache) => cache.start()));
  }

  /** Stops the watches; reads then go to the wrapped store until the next `start`. */
  stop(): void {
    for (const cache of this.#caches.values()) cache.stop();
  }

  stats(): CachedResourceStoreStats {
    return { ...this.#stats };
  }

  async create<T>(kind: ResourceKind<T>, object: NewObject<T>): Promise<Stored<T>> {
    const cache = this.#cache(kind);
    try {
      const created = await this.#store.create(kind, object);
      cache?.requireVersion(created.metadata.namespace, created.metadata.name, created.metadata.resourceVersion);
      return created;
    } catch (error) {
      // Already exists: the cache may not have it yet.
      if (cache && isConflict(error)) cache.requireChangeFrom(object.metadata.namespace, object.metadata.name, undefined);
      throw error;
    }
  }

  async get<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<Stored<T> | undefined> {
    const cache = this.#cache(kind);
    if (!cache || !(await cache.fresh(namespace, name, this.#freshnessTimeoutMs))) {
      if (cache) this.#stats.storeReads += 1;
      return this.#store.get(kind, namespace, name);
    }
    this.#stats.cacheReads += 1;
    const object = cache.object(namespace, name);
    return object ? structuredClone(object) : undefined;
  }

  async list<T>(kind: ResourceKind<T>, namespace?: string, options: ListOptions = {}): Promise<ListResult<T>> {
    const cache = this.#cache(kind);
    const scope = kind.namespaced ? namespace || undefined : undefined;
    // Pages stay with the store: a continue token is the store's own.
    const paged = options.limit !== undefined || options.continue !== undefined;
    if (!cache || paged || !(await cache.fresh(scope, undefined, this.#freshnessTimeoutMs))) {
      if (cache) this.#stats.storeReads += 1;
      return this.#store.list(kind, namespace, options);
    }
    this.#stats.cacheReads += 1;
    const items = cache.objects(scope).filter((object) => matchesLabels(object, options.labelSelector));
    return { items: structuredClone(items), resourceVersion: String(cache.version) };
  }

  async update<T>(kind: ResourceKind<T>, object: Stored<T>): Promise<Stored<T>> {
    const { namespace, name, resourceVersion } = object.metadata;
    return this.#written(kind, namespace, name, resourceVersion, () => this.#store.update(kind, object));
  }

  async patchStatus<T>(
    kind: ResourceKind<T>,
    namespace: string,
    name: string,
    status: StatusOf<T>,
    options: { resourceVersion?: string } = {},
  ): Promise<Stored<T>> {
    return this.#written(kind, namespace, name, options.resourceVersion, () =>
      this.#store.patchStatus(kind, namespace, name, status as never, options),
    );
  }

  async delete<T>(kind: ResourceKind<T>, namespace: string, name: string): Promise<void> {
    const cache = this.#cache(kind);
    await this.#written(kind, namespace, name, undefined, async () => {
      await this.#store.delete(kind, namespace, name);
      return undefined;
    });
    if (cache) await this.#requireCollectionVersion(cache, kind, namespace, name);
  }

  /**
   * Without a resourceVersion, a cached kind's watch is served from the cache's own stream: no
   * extra connection, and the cache already holds each change when a subscriber hears of it, so a
   * reconcile it triggers reads that change. While the cache is not synced yet (its list failed and
   * is retried) the store's own watch reports changes as well: a subscriber hears of a change
   * then, and again once the cache has it (repeats are harmless to a level-triggered reader).
   */
  watch<T>(kind: ResourceKind<T>, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Unsubscribe {
    const cache = this.#cache(kind);
    if (!cache?.started || options.resourceVersion) return this.#store.watch(kind, options, onEvent);
    const fromCache = cache.subscribe(kind.namespaced ? options.namespace || undefined : undefined, onEvent);
    if (cache.synced) return fromCache;
    const fromStore = this.#store.watch(kind, options, onEvent);
    return () => {
      fromCache();
      fromStore();
    };
  }

  async #written<T, R extends Stored<T> | undefined>(
    kind: ResourceKind<T>,
    namespace: string | undefined,
    name: string,
    basedOnVersion: string | undefined,
    write: () => Promise<R>,
  ): Promise<R> {
    const cache = this.#cache(kind);
    try {
      const written = await write();
      if (!cache || !written) return written;
      // Removing the last finalizer of an object being deleted deletes it: the answer is the object
      // as it was (its old version), the deletion comes later in the stream.
      const deleted = written.metadata.deletionTimestamp && !written.metadata.finalizers?.length;
      if (deleted) await this.#requireCollectionVersion(cache, kind, namespace, name);
      else cache.requireVersion(namespace, name, written.metadata.resourceVersion);
      return written;
    } catch (error) {
      // The write was based on something stale: reads wait until the cache has moved past it
      // (for not-found: until it has seen the deletion, unless it holds nothing anyway).
      const stale = basedOnVersion || cache?.object(namespace, name)?.metadata.resourceVersion;
      if (cache && (isConflict(error) || (isNotFound(error) && stale !== undefined))) {
        cache.requireChangeFrom(namespace, name, stale);
      }
      throw error;
    }
  }

  /** For a write that answers no version of its effect: the collection's version right after it. */
  async #requireCollectionVersion<T>(cache: KindCache<T>, kind: ResourceKind<T>, namespace: string | undefined, name: string): Promise<void> {
    const { resourceVersion } = await this.#store.list(kind, kind.namespaced ? namespace : undefined, { limit: 1 });
    cache.requireVersion(namespace, name, resourceVersion);
  }

  #cache<T>(kind: ResourceKind<T>): KindCache<T> | undefined {
    return this.#caches.get(kindKey(kind)) as KindCache<T> | undefined;
  }
}
