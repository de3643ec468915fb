/**
 * One namespace per test, for isolation on a shared cluster. Creating it waits until the namespace's
 * `default` ServiceAccount has its token Secret, because until then pod creation is refused (1.20's
 * ServiceAccount admission) and a test would see a spurious error.
 *
 * `pinnedToNode` routes every pod of the namespace to one (dedicated) process kubelet, with the
 * PodNodeSelector and PodTolerationRestriction admission plugins the test cluster enables: so test
 * files sharing a cluster each run their pods on their own kubelet, whatever creates those pods.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { waitUntil } from './https-probe.ts';
import { isApiStatus, mergePatch } from './kubelet/kube-api.ts';
import { DEDICATED_NODE_KEY } from './kubelet/node-registration.ts';

export interface TestNamespaceOptions {
  /** Name prefix (default `test`); a random suffix keeps names unique. */
  prefix?: string;
  /** Node name of a process kubelet started with `dedicated: true`. */
  pinnedToNode?: string;
  labels?: Record<string, string>;
}

export interface TestNamespace {
  name: string;
  /** Starts deletion (the namespace controller removes its content in the background). */
  delete(): Promise<void>;
}

/** The namespace annotations that send all its pods to `nodeName` (and let them tolerate its taint). */
export function pinnedNamespaceAnnotations(nodeName: string): Record<string, string> {
  return {
    'scheduler.alpha.kubernetes.io/node-selector': `${DEDICATED_NODE_KEY}=${nodeName}`,
    'scheduler.alpha.kubernetes.io/defaultTolerations': JSON.stringify([
      { key: DEDICATED_NODE_KEY, operator: 'Equal', value: nodeName, effect: 'NoSchedule' },
    ]),
  };
}

/** Pins an existing namespace (e.g. one the platform created) to a dedicated process kubelet. */
export async function pinNamespaceToNode(
  kubeConfig: KubeConfig,
  namespace: string,
  nodeName: string,
): Promise<void> {
  const coreApi = kubeConfig.makeApiClient(CoreV1Api);
  const body = { metadata: { annotations: pinnedNamespaceAnnotations(nodeName) } };
  await coreApi.patchNamespace({ name: namespace, body }, mergePatch);
}

export async function waitForDefaultServiceAccount(
  kubeConfig: KubeConfig,
  namespace: string,
  timeoutMs = 30_000,
): Promise<void> {
  const coreApi = kubeConfig.makeApiClient(CoreV1Api);
  await waitUntil(
    `default ServiceAccount token in ${namespace}`,
    async () => {
      try {
        const account = await coreApi.readNamespacedServiceAccount({ name: 'default', namespace });
        return (account.secrets?.length ?? 0) > 0;
      } catch (error) {
        if (isApiStatus(error, 404)) return false;
        throw error;
      }
    },
    { timeoutMs, intervalMs: 100 },
  );
}

export async function createTestNamespace(
  kubeConfig: KubeConfig,
  options: TestNamespaceOptions = {},
): Promise<TestNamespace> {
  const coreApi = kubeConfig.makeApiClient(CoreV1Api);
  const name = `${options.prefix ?? 'test'}-${randomBytes(4).toString('hex')}`;
  await coreApi.createNamespace({
    body: {
      metadata: {
        name,
        labels: { 'ambient-code.io/test-namespace': 'true', ...options.labels },
        annotations: options.pinnedToNode
          ? pinnedNamespaceAnnotations(options.pinnedToNode)
          : undefined,
      },
    },
  });
  await waitForDefaultServiceAccount(kubeConfig, name);
  return {
    name,
    async delete() {
      await coreApi.deleteNamespace({ name }).catch((error: unknown) => {
        if (!isApiStatus(error, 404)) throw error;
      });
    },
  };
}
