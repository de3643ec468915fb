/** The real control plane: token users, RBAC and CRDs. */
import { ApiextensionsV1Api, AuthenticationV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './https-probe.ts';
import { isApiStatus } from './kubelet/kube-api.ts';
import { acquireTestCluster, kubeTestsSkipped } from './shared-cluster.ts';
import type { AcquiredTestCluster } from './shared-cluster.ts';
import { createTestNamespace } from './test-namespaces.ts';

const COLD_BUILD_TIMEOUT_MS = 30 * 60_000; // the first run builds Kubernetes

describe.skipIf(kubeTestsSkipped)('test cluster', () => {
  let cluster: AcquiredTestCluster;

  beforeAll(async () => {
    cluster = await acquireTestCluster();
  }, COLD_BUILD_TIMEOUT_MS);
  afterAll(() => cluster?.release());

  it('authenticates tokens and authorizes with RBAC', async () => {
    const adminApi = cluster.kubeConfig.makeApiClient(CoreV1Api);
    const aliceApi = cluster.kubeConfigFor(cluster.userToken('alice')).makeApiClient(CoreV1Api);
    const strangerApi = cluster.kubeConfigFor('not-a-known-token').makeApiClient(CoreV1Api);

    expect((await adminApi.listNamespace()).items.map((item) => item.metadata?.name)).toContain(
      'kube-system',
    );
    await expect(aliceApi.listNamespace()).rejects.toSatisfy((error) => isApiStatus(error, 403));
    await expect(strangerApi.listNamespace()).rejects.toSatisfy((error) => isApiStatus(error, 401));

    // A RoleBinding in one namespace grants alice exactly that namespace.
    const namespace = await createTestNamespace(cluster.kubeConfig, { prefix: 'rbac' });
    await cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
      namespace: namespace.name,
      body: {
        metadata: { name: 'alice-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
      },
    });
    await waitUntil(
      'alice can list config maps',
      async () => {
        await aliceApi.listNamespacedConfigMap({ namespace: namespace.name });
        return true;
      },
      { timeoutMs: 10_000 },
    );
    await expect(aliceApi.listNamespacedConfigMap({ namespace: 'default' })).rejects.toSatisfy(
      (error) => isApiStatus(error, 403),
    );
    await namespace.delete();
  });

  it('gives token users exactly their configured groups (none is not the group "")', async () => {
    const reviews = cluster.kubeConfig.makeApiClient(AuthenticationV1Api);
    const groupsOf = async (user: string) => {
      const review = await reviews.createTokenReview({ body: { spec: { token: cluster.userToken(user) } } });
      expect(review.status?.user?.username).toBe(user);
      return review.status?.user?.groups ?? [];
    };
    expect(await groupsOf('alice')).toEqual(['system:authenticated']);
    expect(await groupsOf('carol')).toEqual(['ambient-testers', 'system:authenticated']);
  });

  it('serves CustomResourceDefinitions that become Established', async () => {
    const extensionsApi = cluster.kubeConfig.makeApiClient(ApiextensionsV1Api);
    const name = `widgets${Date.now()}.testing.ambient-code.io`;
    await extensionsApi.createCustomResourceDefinition({
      body: {
        metadata: { name },
        spec: {
          group: 'testing.ambient-code.io',
          scope: 'Namespaced',
          names: {
            plural: name.split('.')[0] ?? '',
            singular: 'widget',
            kind: `Widget${Date.now()}`,
          },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
              },
              subresources: { status: {} },
            },
          ],
        },
      },
    });
    await waitUntil(
      'CRD Established',
      async () => {
        const definition = await extensionsApi.readCustomResourceDefinition({ name });
        return (
          definition.status?.conditions?.some(
            (c) => c.type === 'Established' && c.status === 'True',
          ) ?? false
        );
      },
      { timeoutMs: 20_000 },
    );
    await extensionsApi.deleteCustomResourceDefinition({ name });
  });
});
