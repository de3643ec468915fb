/**
 * The authentication/authorisation contract (the same suite the embedded adapters pass) on a real
 * kube-apiserver: identities from TokenReviews, roles from SelfSubjectAccessReviews made with each
 * caller's own token, grants as RoleBindings to the ClusterRoles in deploy/base/rbac.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { startTestCluster } from '@ambient/kube-testing';
import { describeAuthContract } from '@ambient/testing';
import type { AuthHarness } from '@ambient/testing';
import { describe } from 'vitest';
import { createKubeAuthenticator, createKubeAuthorizer } from './kube-auth.ts';
import { KubePermissionStore } from './kube-permission-store.ts';
import { installCrds, installRbac } from './test-support/cluster-fixtures.ts';

const USERS = [
  { name: 'alice', groups: ['team-red'] },
  { name: 'bob', groups: [] },
  { name: 'carol', groups: ['team-blue'] },
];

if (kubeTestsSkipped) {
  describe.skip('cluster auth contract (AMBIENT_KUBE_TESTS=skip)', () => undefined);
} else {
  describeAuthContract('cluster (TokenReview + SelfSubjectAccessReview)', async (): Promise<AuthHarness> => {
    const cluster = await startTestCluster({ users: USERS });
    const kubeConfig = cluster.kubeConfig;
    await installCrds(kubeConfig);
    await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'ambient-code' } } }).catch(() => undefined);
    await installRbac(kubeConfig);
    const tokens = { alice: cluster.userToken('alice'), bob: cluster.userToken('bob'), carol: cluster.userToken('carol') };
    const tokenOf = new Map(Object.entries(tokens).map(([name, token]) => [name, token]));
    const authenticator = createKubeAuthenticator({ kubeConfig });
    const authorizer = createKubeAuthorizer({ kubeConfig, callerToken: (identity) => tokenOf.get(identity.userId) });
    const permissions = new KubePermissionStore({ kubeConfig });
    const core = kubeConfig.makeApiClient(CoreV1Api);
    return {
      ports: {
        authenticate: (token) => authenticator.authenticate(token),
        roleIn: async (identity, project) => {
          // RoleBindings reach the API server's authorizer cache shortly after they are written,
          // so a missing role is asked again for a moment before it counts.
          const deadline = Date.now() + 2_000;
          let role = await authorizer.roleIn(identity, project);
          while (role === undefined && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            role = await authorizer.roleIn(identity, project);
          }
          return role;
        },
      },
      createProject: async (name) => {
        await core.createNamespace({ body: { metadata: { name, labels: { 'ambient-code.io/managed': 'true' } } } });
      },
      grant: async (project, permission) => {
        await permissions.grant(project, permission);
      },
      tokens,
      cleanup: () => cluster.stop(),
    };
  });
}
