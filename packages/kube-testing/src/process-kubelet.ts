/**
 * A "process kubelet": registers a Node and runs the pods bound to it as local processes, so
 * workloads on the test cluster really execute. Rules (details in the README):
 * - the image is ignored; each container must carry a `command` that works on this machine
 *   (`pathMappings` maps image paths such as `/app` to local directories);
 * - volumes become local directories (see kubelet/pod-volumes.ts), env is resolved like a kubelet
 *   does, and values under a mount path are rewritten to the local path (kubelet/pod-environment.ts);
 * - restartPolicy Never semantics, init containers first, status reported like a kubelet.
 * It also binds PersistentVolumeClaims (kubelet/volume-provisioner.ts), since the cluster has no
 * storage provisioner.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, mergePatch } from './kubelet/kube-api.ts';
import { registerNode } from './kubelet/node-registration.ts';
import type { NodeCapacity } from './kubelet/node-registration.ts';
import { PodWorker } from './kubelet/pod-worker.ts';
import { watchResources } from './kubelet/resource-watch.ts';
import { startVolumeProvisioner } from './kubelet/volume-provisioner.ts';

export interface ProcessKubeletOptions {
  kubeConfig: KubeConfig;
  nodeName: string;
  /** Pod directories, claim directories and logs go here. */
  workDir: string;
  /** Taint and label the node so only pods of namespaces pinned to it (test-namespaces.ts) land here. */
  dedicated?: boolean;
  /** Image path → local path, applied like a volume mount to every container (e.g. `{'/app': repoRoot}`). */
  pathMappings?: Record<string, string>;
  /** Variables copied from the kubelet's own environment (default PATH, LANG, LC_ALL, TZ, TMPDIR). */
  inheritEnvironment?: string[];
  /** Extra variables for every container (the pod's own env still wins). */
  extraEnvironment?: Record<string, string>;
  /** Bind unbound PersistentVolumeClaims (default true). */
  provisionVolumes?: boolean;
  capacity?: Partial<NodeCapacity>;
  heartbeatIntervalMs?: number;
  /** Where errors go (default console.error): API failures, watch restarts. */
  onError?: (message: string) => void;
}

export interface ProcessKubelet {
  nodeName: string;
  workDir: string;
  /** Where a PersistentVolumeClaim's content lives: `<workDir>/claims/<namespace>/<claim>`. */
  claimDirectory(namespace: string, claimName: string): string;
  /** A container's stdout+stderr: `<workDir>/logs/<namespace>/<pod>/<container>.log`. */
  logPath(namespace: string, podName: string, containerName: string): string;
  readLog(namespace: string, podName: string, containerName: string): string;
  /** Kills all pod processes and stops watching; removes the Node unless `deleteNode: false`. */
  stop(options?: { deleteNode?: boolean }): Promise<void>;
}

const DEFAULT_INHERITED = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

function apiServerEnvironment(kubeConfig: KubeConfig): Record<string, string> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) return {};
  const url = new URL(server);
  const port = url.port || '443';
  return {
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: port,
    KUBERNETES_SERVICE_PORT_HTTPS: port,
  };
}

export async function startProcessKubelet(options: ProcessKubeletOptions): Promise<ProcessKubelet> {
  const { kubeConfig, nodeName, workDir } = options;
  const coreApi = kubeConfig.makeApiClient(CoreV1Api);
  const report =
    options.onError ??
    ((message: string) => console.error(`[process-kubelet ${nodeName}] ${message}`));
  const onError = (message: string, error: unknown) => report(`${message}: ${errorMessage(error)}`);
  const claimDirectory = (namespace: string, claimName: string) =>
    join(workDir, 'claims', namespace, claimName);
  const logPath = (namespace: string, podName: string, containerName: string) =>
    join(workDir, 'logs', namespace, podName, `${containerName}.log`);
  mkdirSync(workDir, { recursive: true });

  const inherited: Record<string, string> = {};
  for (const name of options.inheritEnvironment ?? DEFAULT_INHERITED) {
    const value = process.env[name];
    if (value !== undefined) inherited[name] = value;
  }
  const registration = await registerNode(kubeConfig, {
    nodeName,
    capacity: { cpu: '8', memory: '32Gi', pods: '110', ...options.capacity },
    dedicated: options.dedicated ?? false,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 10_000,
    onError,
  });
  const provisioner =
    options.provisionVolumes === false
      ? undefined
      : startVolumeProvisioner(kubeConfig, claimDirectory, onError);

  const workers = new Map<string, PodWorker>();
  const startWorker = (pod: V1Pod, uid: string, namespace: string, name: string) => {
    const podDirectory = join(workDir, 'pods', namespace, `${name}-${uid.slice(0, 8)}`);
    const worker = new PodWorker(pod, {
      kubeConfig,
      podDirectory,
      claimDirectory,
      logPath: (containerName) => logPath(namespace, name, containerName),
      baseEnvironment: {
        ...inherited,
        HOME: join(podDirectory, 'home'),
        HOSTNAME: name,
        ...apiServerEnvironment(kubeConfig),
        ...options.extraEnvironment,
      },
      pathMappings: options.pathMappings ?? {},
      retryIntervalMs: 1_000,
      onError,
    });
    mkdirSync(join(podDirectory, 'home'), { recursive: true });
    workers.set(uid, worker);
  };

  const podWatch = watchResources<V1Pod>(
    kubeConfig,
    '/api/v1/pods',
    { fieldSelector: `spec.nodeName=${nodeName}` },
    () => coreApi.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` }),
    {
      sync(pod) {
        const { uid, namespace, name } = pod.metadata ?? {};
        if (!uid || !namespace || !name) return;
        const worker = workers.get(uid);
        if (worker) return worker.update(pod);
        const phase = pod.status?.phase;
        if (phase === undefined || phase === 'Pending')
          return startWorker(pod, uid, namespace, name);
        if (phase === 'Running') {
          // Running under an earlier kubelet of this node: its processes are gone.
          const body = {
            status: {
              phase: 'Failed',
              reason: 'NodeRestarted',
              message: 'process kubelet restarted',
            },
          };
          coreApi
            .patchNamespacedPodStatus({ name, namespace, body }, mergePatch)
            .catch(() => undefined);
        }
      },
      removed(pod) {
        const uid = pod.metadata?.uid ?? '';
        const worker = workers.get(uid);
        if (!worker) return;
        worker.kill();
        void worker.done.then(() => workers.delete(uid));
      },
      onError,
    },
  );
  await Promise.all([podWatch.ready, provisioner?.ready]);

  return {
    nodeName,
    workDir,
    claimDirectory,
    logPath,
    readLog(namespace, podName, containerName) {
      const path = logPath(namespace, podName, containerName);
      return existsSync(path) ? readFileSync(path, 'utf8') : '';
    },
    async stop(stopOptions = {}) {
      podWatch.stop();
      provisioner?.stop();
      for (const worker of workers.values()) worker.kill();
      await Promise.all([...workers.values()].map((worker) => worker.done));
      workers.clear();
      await registration.stop(stopOptions.deleteNode ?? true);
    },
  };
}
