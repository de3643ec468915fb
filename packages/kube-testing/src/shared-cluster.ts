/**
 * For test files: the run's shared cluster (from global-setup.ts) when there is one, else a cluster
 * of the file's own. Usage:
 *
 *   let cluster: AcquiredTestCluster;
 *   beforeAll(async () => (cluster = await acquireTestCluster()), 30 * 60_000); // a cold build is slow
 *   afterAll(() => cluster.release());
 *
 * Isolate tests with `createTestNamespace` (and a dedicated process kubelet when pods must run).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { ADMIN_USER_NAME } from './cluster-credentials.ts';
import { kubeConfigForToken, userToken } from './cluster-connection.ts';
import type { TestClusterConnection } from './cluster-connection.ts';
import { startTestCluster } from './test-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeTestCluster: TestClusterConnection;
  }
}

/**
 * The users every shared cluster has (the token file is read once at apiserver start, so users can
 * not be added per test; for per-test identities use ServiceAccounts, or a private cluster).
 */
export const DEFAULT_TEST_USERS = [
  { name: 'alice', groups: [] },
  { name: 'bob', groups: [] },
  { name: 'carol', groups: ['ambient-testers'] },
];

/** `AMBIENT_KUBE_TESTS=skip` skips the cluster test suites and the global setup's cluster. */
export const kubeTestsSkipped = process.env['AMBIENT_KUBE_TESTS'] === 'skip';

export interface AcquiredTestCluster {
  connection: TestClusterConnection;
  /** Admin (system:masters). */
  kubeConfig: KubeConfig;
  kubeConfigFor(token: string): KubeConfig;
  userToken(name: string): string;
  /** Whether this is the run's shared cluster (true) or the file's own (false). */
  shared: boolean;
  /** Stops the file's own cluster; nothing for the shared one. */
  release(): Promise<void>;
}

function handle(
  connection: TestClusterConnection,
  shared: boolean,
  release: () => Promise<void>,
): AcquiredTestCluster {
  return {
    connection,
    kubeConfig: kubeConfigForToken(connection, connection.adminToken, ADMIN_USER_NAME),
    kubeConfigFor: (token) => kubeConfigForToken(connection, token),
    userToken: (name) => userToken(connection, name),
    shared,
    release,
  };
}

export async function acquireTestCluster(): Promise<AcquiredTestCluster> {
  const provided: TestClusterConnection | undefined = inject('kubeTestCluster');
  if (provided) return handle(provided, true, async () => undefined);
  const cluster = await startTestCluster({ users: DEFAULT_TEST_USERS });
  return handle(cluster.connection, false, () => cluster.stop());
}
