/**
 * Makes the process kubelet's Node look like a healthy real node: Ready, with capacity, without the
 * `node.kubernetes.io/not-ready` taint that admission adds to new Nodes (the nodelifecycle controller
 * that would normally lift it is disabled in the test cluster), and with a heartbeat Lease in
 * kube-node-lease plus periodic status heartbeats, as a 1.20 kubelet keeps.
 */
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Taint } from '@kubernetes/client-node';
import { apiMicroTime, apiTime, isApiStatus, mergePatch } from './kube-api.ts';

export const DEDICATED_NODE_KEY = 'ambient-code.io/process-kubelet';
const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';
const LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_DURATION_SECONDS = 40;

export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
}

export interface NodeRegistrationOptions {
  nodeName: string;
  capacity: NodeCapacity;
  /** Taint (and label) the node so only pods of pinned namespaces land on it. */
  dedicated: boolean;
  heartbeatIntervalMs: number;
  onError: (message: string, error: unknown) => void;
}

export interface NodeRegistration {
  /** Stops the heartbeats; with `deleteNode`, removes the Node and its Lease too. */
  stop(deleteNode: boolean): Promise<void>;
}

function nodeStatus(capacity: NodeCapacity, nodeName: string) {
  const now = apiTime();
  const condition = (type: string, status: string, reason: string) => ({
    type,
    status,
    reason,
    message: `process kubelet: ${reason}`,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return {
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID'),
        condition('Ready', 'True', 'KubeletReady'),
      ],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: nodeName },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.20.2',
        kubeProxyVersion: 'v1.20.2',
        operatingSystem: 'linux',
        architecture: 'amd64',
        containerRuntimeVersion: 'process://local',
        osImage: 'process kubelet',
        kernelVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

export async function registerNode(
  kubeConfig: KubeConfig,
  options: NodeRegistrationOptions,
): Promise<NodeRegistration> {
  const coreApi = kubeConfig.makeApiClient(CoreV1Api);
  const coordinationApi = kubeConfig.makeApiClient(CoordinationV1Api);
  const { nodeName } = options;
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    ...(options.dedicated ? { [DEDICATED_NODE_KEY]: nodeName } : {}),
  };
  try {
    await coreApi.createNode({ body: { metadata: { name: nodeName, labels } } });
  } catch (error) {
    if (!isApiStatus(error, 409)) throw error; // left over from an earlier kubelet: take it over
    await coreApi.patchNode({ name: nodeName, body: { metadata: { labels } } }, mergePatch);
  }
  const node = await coreApi.readNode({ name: nodeName });
  const taints: V1Taint[] = (node.spec?.taints ?? []).filter(
    (taint) => taint.key !== NOT_READY_TAINT_KEY && taint.key !== DEDICATED_NODE_KEY,
  );
  if (options.dedicated)
    taints.push({ key: DEDICATED_NODE_KEY, value: nodeName, effect: 'NoSchedule' });
  await coreApi.patchNode({ name: nodeName, body: { spec: { taints } } }, mergePatch);
  const reportStatus = () =>
    coreApi.patchNodeStatus(
      { name: nodeName, body: nodeStatus(options.capacity, nodeName) },
      mergePatch,
    );
  await reportStatus();

  const renewLease = async () => {
    const spec = {
      holderIdentity: nodeName,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      renewTime: apiMicroTime(),
    };
    try {
      await coordinationApi.patchNamespacedLease(
        { name: nodeName, namespace: LEASE_NAMESPACE, body: { spec } },
        mergePatch,
      );
    } catch (error) {
      if (!isApiStatus(error, 404)) throw error;
      // Created without renewTime (client-node's Date would lose the microseconds), then patched.
      await coordinationApi.createNamespacedLease({
        namespace: LEASE_NAMESPACE,
        body: {
          metadata: { name: nodeName },
          spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS },
        },
      });
      await coordinationApi.patchNamespacedLease(
        { name: nodeName, namespace: LEASE_NAMESPACE, body: { spec } },
        mergePatch,
      );
    }
  };
  await renewLease();

  let beats = 0;
  const timer = setInterval(() => {
    beats += 1;
    renewLease().catch((error: unknown) => options.onError('lease renewal failed', error));
    // Status heartbeats are rarer (like the kubelet's nodeStatusReportFrequency).
    if (beats % 6 === 0)
      reportStatus().catch((error: unknown) => options.onError('node status failed', error));
  }, options.heartbeatIntervalMs);
  timer.unref();

  return {
    async stop(deleteNode) {
      clearInterval(timer);
      if (!deleteNode) return;
      await coreApi.deleteNode({ name: nodeName }).catch(() => undefined);
      await coordinationApi
        .deleteNamespacedLease({ name: nodeName, namespace: LEASE_NAMESPACE })
        .catch(() => undefined);
    },
  };
}
