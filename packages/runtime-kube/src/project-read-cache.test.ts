/**
 * ProjectReadCache on a real kube-apiserver: one read serves every launch of sessions at or below
 * its version, a change made before a session's last change is always seen by that session's
 * launch, absence is cached like a value, and concurrent launches share one read.
 */
import { AgenticSessionKind, PROJECT_SETTINGS_NAME, ProjectSettingsKind } from '@ambient/contracts';
import { SECRET_NAMES } from '@ambient/core';
import { createTestNamespace } from '@ambient/kube-testing';
import type { TestNamespace } from '@ambient/kube-testing';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { newSession } from '@ambient/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeResourceStore } from './kube-resource-store.ts';
import { KubeSecretStore } from './kube-secret-store.ts';
import { ProjectReadCache } from './project-read-cache.ts';
import { installCrds } from './test-support/cluster-fixtures.ts';

describe.skipIf(kubeTestsSkipped)('ProjectReadCache on a real cluster', () => {
  let cluster: AcquiredTestCluster;
  const namespaces: TestNamespace[] = [];
  beforeAll(async () => {
    cluster = await acquireTestCluster();
    await installCrds(cluster.kubeConfig);
  }, 30 * 60_000);
  afterAll(async () => {
    await Promise.all(namespaces.map((namespace) => namespace.delete()));
    await cluster?.release();
  });

  const setUp = async () => {
    const namespace = await createTestNamespace(cluster.kubeConfig, { prefix: 'project-reads' });
    namespaces.push(namespace);
    const store = new KubeResourceStore({ kubeConfig: cluster.kubeConfig });
    const secrets = new KubeSecretStore({ kubeConfig: cluster.kubeConfig });
    const cache = new ProjectReadCache({ store, secrets });
    /** A session created now: its resourceVersion is after everything written before. */
    const sessionVersion = async (name: string): Promise<string> =>
      (await store.create(AgenticSessionKind, newSession(namespace.name, name))).metadata.resourceVersion;
    return { project: namespace.name, store, secrets, cache, sessionVersion };
  };

  it('reads once for every launch of a session at or below the read version', async () => {
    const { project, secrets, cache, sessionVersion } = await setUp();
    await secrets.put(project, SECRET_NAMES.runner, { ANTHROPIC_API_KEY: 'first-key' });
    const versions = [await sessionVersion('a'), await sessionVersion('b')];
    expect(await cache.secret(project, SECRET_NAMES.runner, versions[1]!)).toEqual({ ANTHROPIC_API_KEY: 'first-key' });
    expect(await cache.secret(project, SECRET_NAMES.runner, versions[0]!)).toEqual({ ANTHROPIC_API_KEY: 'first-key' });
    expect(await cache.secret(project, SECRET_NAMES.runner, versions[1]!)).toEqual({ ANTHROPIC_API_KEY: 'first-key' });
    expect(cache.stats()).toEqual({ cacheReads: 2, storeReads: 1 });
  });

  it("sees every change made before the launching session's last change", async () => {
    const { project, secrets, cache, sessionVersion } = await setUp();
    await secrets.put(project, SECRET_NAMES.runner, { ANTHROPIC_API_KEY: 'old-key' });
    expect(await cache.secret(project, SECRET_NAMES.runner, await sessionVersion('before'))).toEqual({ ANTHROPIC_API_KEY: 'old-key' });
    // The user sets a new key, then starts a session: its launch must carry the new key.
    await secrets.put(project, SECRET_NAMES.runner, { ANTHROPIC_API_KEY: 'new-key' });
    expect(await cache.secret(project, SECRET_NAMES.runner, await sessionVersion('after'))).toEqual({ ANTHROPIC_API_KEY: 'new-key' });
  });

  it('caches absence with its version, for settings and secrets alike', async () => {
    const { project, store, cache, sessionVersion } = await setUp();
    const first = await sessionVersion('first');
    expect(await cache.settings(project, first)).toBeUndefined();
    expect(await cache.secret(project, SECRET_NAMES.integrations, first)).toEqual({});
    await store.create(ProjectSettingsKind, { metadata: { name: PROJECT_SETTINGS_NAME, namespace: project }, spec: { groupAccess: [], defaultModel: 'claude-test' } });
    expect(await cache.settings(project, first)).toBeUndefined();
    expect((await cache.settings(project, await sessionVersion('second')))?.spec.defaultModel).toBe('claude-test');
  });

  it('lets concurrent launches share one read', async () => {
    const { project, cache, sessionVersion } = await setUp();
    const version = await sessionVersion('burst');
    await Promise.all(Array.from({ length: 20 }, () => cache.secret(project, SECRET_NAMES.runner, version)));
    expect(cache.stats().storeReads).toBe(1);
  });

  it('serves launches through store and secret views, passing other reads through', async () => {
    const { project, store, secrets, cache, sessionVersion } = await setUp();
    await store.create(ProjectSettingsKind, { metadata: { name: PROJECT_SETTINGS_NAME, namespace: project }, spec: { groupAccess: [], defaultTimeoutSeconds: 60 } });
    await secrets.put(project, 'other-secret', { VALUE: 'direct' });
    const views = cache.asOf(await sessionVersion('viewed'), store, secrets);
    expect((await views.store.get(ProjectSettingsKind, project, PROJECT_SETTINGS_NAME))?.spec.defaultTimeoutSeconds).toBe(60);
    expect((await views.store.get(AgenticSessionKind, project, 'viewed'))?.metadata.name).toBe('viewed');
    expect(await views.secrets.read(project, 'other-secret')).toEqual({ VALUE: 'direct' });
    expect(cache.stats().storeReads).toBe(1);
  });

  it("KubeSecretStore.readVersioned answers the store's version, also for a missing Secret", async () => {
    const { project, secrets } = await setUp();
    const missing = await secrets.readVersioned(project, SECRET_NAMES.runner);
    expect(missing.values).toEqual({});
    expect(BigInt(missing.resourceVersion)).toBeGreaterThan(0n);
    await secrets.put(project, SECRET_NAMES.runner, { KEY: 'value' });
    const present = await secrets.readVersioned(project, SECRET_NAMES.runner);
    expect(present.values).toEqual({ KEY: 'value' });
    expect(BigInt(present.resourceVersion)).toBeGreaterThan(BigInt(missing.resourceVersion));
  });
});
