/**
 * Vitest global setup: one test cluster for the whole run. Register it in the vitest config
 * (`test.globalSetup: ['packages/kube-testing/src/global-setup.ts']`); test files then call
 * `acquireTestCluster()` (shared-cluster.ts), which uses this cluster when it exists and starts a
 * private one otherwise. A cold first run builds the binaries here (about 7 minutes).
 */
import type { TestProject } from 'vitest/node';
import { DEFAULT_TEST_USERS, kubeTestsSkipped } from './shared-cluster.ts';
import { startTestCluster } from './test-cluster.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (kubeTestsSkipped) return async () => undefined;
  const cluster = await startTestCluster({ users: DEFAULT_TEST_USERS });
  project.provide('kubeTestCluster', cluster.connection);
  return () => cluster.stop();
}
