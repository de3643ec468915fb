/**
 * The shared ResourceStore contract against a real kube-apiserver, in both identities: the
 * operator's (the KubeConfig's) and the API server's (the caller's token per call). In the second
 * run the KubeConfig itself holds a token the cluster rejects, so a single call that fell back to
 * the KubeConfig's identity would fail the suite.
 */
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { createTestNamespace } from '@ambient/kube-testing';
import type { TestNamespace } from '@ambient/kube-testing';
import { describeResourceStoreContract } from '@ambient/testing';
import type { ResourceStoreContractOptions, ResourceStoreHarness } from '@ambient/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeKubeSpecifics } from './test-support/kube-store-specifics.ts';
import { kubeConfigWithToken } from './kube-connection.ts';
import { KubeResourceStore } from './kube-resource-store.ts';
import type { KubeResourceStoreOptions } from './kube-resource-store.ts';
import { installCrds } from './test-support/cluster-fixtures.ts';

/**
 * Watch events cross a network here: allow more time, and observe a longer quiet period before an
 * exact comparison (that only makes the "no extra events" checks stricter). No watchHistoryLimit:
 * etcd compacts on a timer, so the history bound is not deterministic (Gone is tested separately).
 */
const CONTRACT_OPTIONS: ResourceStoreContractOptions = {
  timing: { timeoutMs: 10_000, quietPeriodMs: 250 },
};

describe.skipIf(kubeTestsSkipped)('KubeResourceStore on a real cluster', () => {
  let cluster: AcquiredTestCluster | undefined;
  beforeAll(async () => {
    cluster = await acquireTestCluster();
    await installCrds(cluster.kubeConfig);
  }, 30 * 60_000);
  afterAll(async () => {
    await cluster?.release();
  });

  const harness =
    (storeOptions: (cluster: AcquiredTestCluster) => KubeResourceStoreOptions) =>
    async (): Promise<ResourceStoreHarness> => {
      if (!cluster) throw new Error('the test cluster did not start');
      const current = cluster;
      const namespaces: TestNamespace[] = [];
      return {
        store: new KubeResourceStore(storeOptions(current)),
        newNamespace: async () => {
          const namespace = await createTestNamespace(current.kubeConfig, { prefix: 'contract' });
          namespaces.push(namespace);
          return namespace.name;
        },
        cleanup: async () => {
          await Promise.all(namespaces.map((namespace) => namespace.delete()));
        },
      };
    };

  describeResourceStoreContract(
    'Kubernetes API (operator identity)',
    harness((current) => ({ kubeConfig: current.kubeConfig })),
    CONTRACT_OPTIONS,
  );

  describeResourceStoreContract(
    'Kubernetes API (caller credentials)',
    harness((current) => ({
      kubeConfig: kubeConfigWithToken(current.kubeConfig, 'not-a-token-the-cluster-knows'),
      credentials: () => current.connection.adminToken,
    })),
    CONTRACT_OPTIONS,
  );

  describeKubeSpecifics(() => {
    if (!cluster) throw new Error('the test cluster did not start');
    return cluster;
  });
});
