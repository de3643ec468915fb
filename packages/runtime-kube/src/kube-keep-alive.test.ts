/**
 * KeepAliveKubeConfig against a real kube-apiserver: calls share pooled connections, the pool is
 * bounded, the caller's identity and client-node's error mapping are unchanged, and compressed
 * answers are decoded.
 */
import https from 'node:https';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { createTestNamespace } from '@ambient/kube-testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveKubeConfig } from './kube-keep-alive.ts';
import type { KeepAliveKubeConfig } from './kube-keep-alive.ts';

/** The sockets `https.request` was given since `watchSockets` (one per connection). */
function watchSockets(): { sockets: Set<object>; requests: () => number; restore: () => void } {
  const original = https.request;
  const sockets = new Set<object>();
  let requests = 0;
  https.request = ((...args: Parameters<typeof https.request>) => {
    requests += 1;
    const request = (original as (...parameters: unknown[]) => ReturnType<typeof https.request>)(...args);
    request.on('socket', (socket) => sockets.add(socket));
    return request;
  }) as typeof https.request;
  return { sockets, requests: () => requests, restore: () => void (https.request = original) };
}

describe.skipIf(kubeTestsSkipped)('KeepAliveKubeConfig', () => {
  let cluster: AcquiredTestCluster;
  const configs: KeepAliveKubeConfig[] = [];
  let restore: (() => void) | undefined;
  beforeAll(async () => (cluster = await acquireTestCluster()), 30 * 60_000);
  afterAll(() => cluster.release());
  afterEach(() => {
    restore?.();
    restore = undefined;
    for (const config of configs.splice(0)) config.close();
  });
  const pooled = (settings: { maxSockets?: number } = {}): KeepAliveKubeConfig => {
    const config = keepAliveKubeConfig(cluster.kubeConfig, settings);
    configs.push(config);
    return config;
  };

  it('sends sequential calls over one connection', async () => {
    const api = pooled().makeApiClient(CoreV1Api);
    const watched = watchSockets();
    restore = watched.restore;
    for (let index = 0; index < 20; index += 1) await api.readNamespace({ name: 'default' });
    expect(watched.requests()).toBe(20);
    expect(watched.sockets.size).toBe(1);
  });

  it('opens at most maxSockets connections however many calls are in flight', async () => {
    const api = pooled({ maxSockets: 3 }).makeApiClient(CoreV1Api);
    const watched = watchSockets();
    restore = watched.restore;
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.readNamespace({ name: 'default' })));
    expect(answers.every((namespace) => namespace.metadata?.name === 'default')).toBe(true);
    expect(watched.sockets.size).toBeLessThanOrEqual(3);
  });

  it('shares the pool between API classes made from the same config', async () => {
    const config = pooled();
    const watched = watchSockets();
    restore = watched.restore;
    await config.makeApiClient(CoreV1Api).readNamespace({ name: 'default' });
    await config.makeApiClient(CoreV1Api).readNamespace({ name: 'default' });
    expect(watched.sockets.size).toBe(1);
  });

  it('keeps client-node errors: a missing object is an ApiException with code 404', async () => {
    const api = pooled().makeApiClient(CoreV1Api);
    const failure = await api.readNamespace({ name: 'no-such-namespace-here' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiException);
    expect((failure as ApiException<unknown>).code).toBe(404);
  });

  it("carries the KubeConfig's own identity (RBAC applies)", async () => {
    const alice = keepAliveKubeConfig(cluster.kubeConfigFor(cluster.userToken('alice')));
    configs.push(alice);
    const failure = await alice.makeApiClient(CoreV1Api).listNamespace().catch((error: unknown) => error);
    expect((failure as ApiException<unknown>).code).toBe(403);
  });

  it('decodes a compressed answer and sends a body', async () => {
    const namespace = await createTestNamespace(cluster.kubeConfig, { prefix: 'keep-alive' });
    try {
      const api = pooled().makeApiClient(CoreV1Api);
      // Above 128 KiB the API server compresses answers for clients that accept gzip.
      const large = 'x'.repeat(300_000);
      await api.createNamespacedConfigMap({ namespace: namespace.name, body: { metadata: { name: 'large' }, data: { large } } });
      const read = await api.readNamespacedConfigMap({ namespace: namespace.name, name: 'large' });
      expect(read.data?.['large']).toBe(large);
    } finally {
      await namespace.delete();
    }
  });

  it('returns the same config when it already pools', () => {
    const config = pooled();
    expect(keepAliveKubeConfig(config)).toBe(config);
    expect(config.getCurrentCluster()?.server).toBe(cluster.kubeConfig.getCurrentCluster()?.server);
  });
});
