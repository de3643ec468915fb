/**
 * CachedResourceStore over a real kube-apiserver: the whole ResourceStore contract with the
 * sessions cached, then the cache's own promises, with a watch the test can hold back (a slow
 * watch is exactly when a cache could answer with something stale).
 */
import { AgenticSessionKind, ProjectSettingsKind } from '@ambient/contracts';
import type { AgenticSession } from '@ambient/contracts';
import { GoneError } from '@ambient/core';
import type { ResourceKind } from '@ambient/contracts';
import type { ResourceStore, Unsubscribe, WatchEvent, WatchOptions } from '@ambient/core';
import { createTestNamespace } from '@ambient/kube-testing';
import type { TestNamespace } from '@ambient/kube-testing';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { describeResourceStoreContract, expectPlatformError, newSession, waitUntil } from '@ambient/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CachedResourceStore } from './cached-resource-store.ts';
import { KubeResourceStore } from './kube-resource-store.ts';
import { installCrds } from './test-support/cluster-fixtures.ts';

const TIMING = { timeoutMs: 10_000, quietPeriodMs: 250 };

/** The real store, with a watch whose events the test can hold back, and kill. */
class HeldWatchStore {
  holding = false;
  readonly #held: (() => void)[] = [];
  readonly #failures = new Set<(error: Error) => void>();
  readonly store: ResourceStore;

  constructor(inner: ResourceStore) {
    this.store = {
      create: (kind, object) => inner.create(kind, object),
      get: (kind, namespace, name) => inner.get(kind, namespace, name),
      list: (kind, namespace, options) => inner.list(kind, namespace, options),
      update: (kind, object) => inner.update(kind, object),
      patchStatus: (kind, namespace, name, status, options) => inner.patchStatus(kind, namespace, name, status, options),
      delete: (kind, namespace, name) => inner.delete(kind, namespace, name),
      watch: (kind, options, onEvent) => this.#watch(inner, kind, options, onEvent),
    };
  }

  #watch<T>(inner: ResourceStore, kind: ResourceKind<T>, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Unsubscribe {
    const onError = (error: Error): void => options.onError?.(error);
    this.#failures.add(onError);
    const stop = inner.watch(kind, options, (event) => {
      if (this.holding) this.#held.push(() => onEvent(event));
      else onEvent(event);
    });
    return () => {
      this.#failures.delete(onError);
      stop();
    };
  }

  release(): void {
    this.holding = false;
    for (const deliver of this.#held.splice(0)) deliver();
  }

  /** Ends every watch as an expired resourceVersion would. */
  killWatches(): void {
    this.#held.splice(0);
    for (const fail of [...this.#failures]) fail(new GoneError('too old resource version'));
  }
}

describe.skipIf(kubeTestsSkipped)('CachedResourceStore on a real cluster', () => {
  let cluster: AcquiredTestCluster | undefined;
  const namespaces: TestNamespace[] = [];
  const stores: CachedResourceStore[] = [];
  beforeAll(async () => {
    cluster = await acquireTestCluster();
    await installCrds(cluster.kubeConfig);
  }, 30 * 60_000);
  afterAll(async () => {
    await Promise.all(namespaces.map((namespace) => namespace.delete()));
    await cluster?.release();
  });
  afterEach(() => {
    for (const store of stores.splice(0)) store.stop();
  });
  const current = (): AcquiredTestCluster => {
    if (!cluster) throw new Error('the test cluster did not start');
    return cluster;
  };
  const newNamespace = async (): Promise<string> => {
    const namespace = await createTestNamespace(current().kubeConfig, { prefix: 'cached' });
    namespaces.push(namespace);
    return namespace.name;
  };

  describeResourceStoreContract(
    'Kubernetes API with AgenticSessions cached',
    async () => {
      const cached = new CachedResourceStore(new KubeResourceStore({ kubeConfig: current().kubeConfig }), { kinds: [AgenticSessionKind] });
      await cached.start();
      stores.push(cached);
      return { store: cached, newNamespace, cleanup: async () => cached.stop() };
    },
    { timing: TIMING },
  );

  /** A cached store over a held watch, and the plain store as "another writer". */
  const setUp = async (settings: { freshnessTimeoutMs?: number; relistDelayMs?: number } = {}) => {
    const direct = new KubeResourceStore({ kubeConfig: current().kubeConfig });
    const held = new HeldWatchStore(direct);
    const cached = new CachedResourceStore(held.store, {
      kinds: [AgenticSessionKind, ProjectSettingsKind],
      freshnessTimeoutMs: settings.freshnessTimeoutMs ?? 5_000,
      relistDelayMs: settings.relistDelayMs ?? 50,
    });
    await cached.start();
    stores.push(cached);
    return { direct, held, cached, namespace: await newNamespace() };
  };
  const cachedVersion = async (cached: CachedResourceStore, namespace: string, name: string) =>
    (await cached.get(AgenticSessionKind, namespace, name))?.metadata.resourceVersion;
  const untilCached = async (cached: CachedResourceStore, namespace: string, name: string, version: string) => {
    const deadline = Date.now() + TIMING.timeoutMs;
    while ((await cachedVersion(cached, namespace, name)) !== version) {
      if (Date.now() > deadline) throw new Error(`the cache never held ${namespace}/${name} at ${version}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('answers reads from the cache once the watch delivered the change', async () => {
    const { direct, cached, namespace } = await setUp();
    const created = await direct.create(AgenticSessionKind, newSession(namespace, 'a'));
    await untilCached(cached, namespace, 'a', created.metadata.resourceVersion);
    const before = cached.stats();
    expect(await cached.get(AgenticSessionKind, namespace, 'a')).toEqual(created);
    expect(await cached.get(AgenticSessionKind, namespace, 'missing')).toBeUndefined();
    expect(cached.stats().cacheReads).toBe(before.cacheReads + 2);
    expect(cached.stats().storeReads).toBe(before.storeReads);
  });

  it('never answers with something older than its own write, even while the watch lags', async () => {
    const { held, cached, namespace } = await setUp({ freshnessTimeoutMs: 200 });
    const created = await cached.create(AgenticSessionKind, newSession(namespace, 'own'));
    held.holding = true;
    const patched = await cached.patchStatus(AgenticSessionKind, namespace, 'own', { phase: 'Running' }, { resourceVersion: created.metadata.resourceVersion });
    const reads = cached.stats().storeReads;
    // The watch has not delivered the patch: the read waits, then asks the API server.
    expect(await cachedVersion(cached, namespace, 'own')).toBe(patched.metadata.resourceVersion);
    expect(cached.stats().storeReads).toBe(reads + 1);
    expect((await cached.list(AgenticSessionKind, namespace)).items[0]?.status?.phase).toBe('Running');
    held.release();
    const cacheReads = cached.stats().cacheReads;
    expect(await cachedVersion(cached, namespace, 'own')).toBe(patched.metadata.resourceVersion);
    expect(cached.stats().cacheReads).toBe(cacheReads + 1);
  });

  it('a read waiting for its own write is answered by the cache when the watch catches up', async () => {
    const { held, cached, namespace } = await setUp({ freshnessTimeoutMs: 10_000 });
    const created = await cached.create(AgenticSessionKind, newSession(namespace, 'wait'));
    held.holding = true;
    const patched = await cached.patchStatus(AgenticSessionKind, namespace, 'wait', { phase: 'Running' }, { resourceVersion: created.metadata.resourceVersion });
    const reading = cachedVersion(cached, namespace, 'wait');
    setTimeout(() => held.release(), 100);
    expect(await reading).toBe(patched.metadata.resourceVersion);
    expect(cached.stats().storeReads).toBe(0);
  });

  it('after a conflict, reads skip the stale copy until the cache has the newer one', async () => {
    const { direct, held, cached, namespace } = await setUp({ freshnessTimeoutMs: 200 });
    const created = await cached.create(AgenticSessionKind, newSession(namespace, 'raced'));
    expect(await cachedVersion(cached, namespace, 'raced')).toBe(created.metadata.resourceVersion);
    held.holding = true;
    const theirs = await direct.patchStatus(AgenticSessionKind, namespace, 'raced', { phase: 'Running' });
    // Another writer's change the watch has not delivered: the cache may still say "created".
    const stale = await cached.get(AgenticSessionKind, namespace, 'raced');
    expect(stale?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    await expectPlatformError(
      cached.patchStatus(AgenticSessionKind, namespace, 'raced', { phase: 'Failed' }, { resourceVersion: created.metadata.resourceVersion }),
      'conflict',
    );
    expect(await cachedVersion(cached, namespace, 'raced')).toBe(theirs.metadata.resourceVersion);
    held.release();
    expect(await cachedVersion(cached, namespace, 'raced')).toBe(theirs.metadata.resourceVersion);
  });

  it('after an update that ends a deletion (last finalizer removed), reads no longer see the object', async () => {
    const { held, cached, namespace } = await setUp({ freshnessTimeoutMs: 200 });
    await cached.create(AgenticSessionKind, newSession(namespace, 'final', { finalizers: ['ambient-code.io/cleanup'] }));
    await cached.delete(AgenticSessionKind, namespace, 'final');
    const terminating = await cached.get(AgenticSessionKind, namespace, 'final');
    expect(terminating?.metadata.deletionTimestamp).toBeDefined();
    held.holding = true;
    // The answer is the object as it was; its deletion reaches the watch later.
    await cached.update(AgenticSessionKind, { ...terminating!, metadata: { ...terminating!.metadata, finalizers: [] } });
    expect(await cached.get(AgenticSessionKind, namespace, 'final')).toBeUndefined();
    held.release();
  });

  it('lists again after the watch died and tells subscribers what changed meanwhile', async () => {
    // Long enough for the writes below to happen while no watch runs.
    const { direct, held, cached, namespace } = await setUp({ relistDelayMs: 1_500 });
    await cached.create(AgenticSessionKind, newSession(namespace, 'kept'));
    const removed = await cached.create(AgenticSessionKind, newSession(namespace, 'removed'));
    await untilCached(cached, namespace, 'removed', removed.metadata.resourceVersion);
    const events: WatchEvent<AgenticSession>[] = [];
    cached.watch(AgenticSessionKind, { namespace }, (event) => events.push(event));
    held.killWatches();
    await direct.patchStatus(AgenticSessionKind, namespace, 'kept', { phase: 'Running' });
    await direct.delete(AgenticSessionKind, namespace, 'removed');
    await direct.create(AgenticSessionKind, newSession(namespace, 'added'));
    await waitUntil(() => events.length >= 3, 'the differences after the relist', TIMING);
    expect(events.map((event) => `${event.type} ${event.object.metadata.name}`).sort()).toEqual(['ADDED added', 'DELETED removed', 'MODIFIED kept']);
    expect((await cached.list(AgenticSessionKind, namespace)).items.map((item) => item.metadata.name)).toEqual(['added', 'kept']);
  });

  it('serves label-selected lists from the cache and pages from the store', async () => {
    const { cached, namespace } = await setUp();
    await cached.create(AgenticSessionKind, newSession(namespace, 'red', { labels: { colour: 'red' } }));
    await cached.create(AgenticSessionKind, newSession(namespace, 'blue', { labels: { colour: 'blue' } }));
    const before = cached.stats();
    const red = await cached.list(AgenticSessionKind, namespace, { labelSelector: { colour: 'red' } });
    expect(red.items.map((item) => item.metadata.name)).toEqual(['red']);
    expect(cached.stats().cacheReads).toBe(before.cacheReads + 1);
    const page = await cached.list(AgenticSessionKind, namespace, { limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(cached.stats().storeReads).toBe(before.storeReads + 1);
  });

  it('returns copies: changing an answer does not change the cache', async () => {
    const { cached, namespace } = await setUp();
    await cached.create(AgenticSessionKind, newSession(namespace, 'copy'));
    const first = await cached.get(AgenticSessionKind, namespace, 'copy');
    if (!first) throw new Error('missing');
    first.spec.initialPrompt = 'changed by the caller';
    expect((await cached.get(AgenticSessionKind, namespace, 'copy'))?.spec.initialPrompt).toBe('Summarise the repository');
  });
});
