/**
 * A real Kubernetes 1.20.2 control plane on loopback for integration tests: etcd, kube-apiserver
 * (token authentication, RBAC), kube-controller-manager and kube-scheduler, each in its own process
 * group with a log file in the cluster's temporary directory. There is no kubelet: pair it with
 * `startProcessKubelet` when pods must run. Recipe: shared/reference/environment-facts.md Q3.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN_USER_NAME,
  randomToken,
  writeKubeconfig,
  writeServiceAccountKeys,
  writeServingCertificate,
  writeTokenFile,
} from './cluster-credentials.ts';
import { kubeConfigForToken, userToken } from './cluster-connection.ts';
import type { TestClusterConnection, TestClusterUser } from './cluster-connection.ts';
import { freePorts } from './free-ports.ts';
import { httpsGet, waitUntil } from './https-probe.ts';
import { ensureKubeBinaries } from './kube-binaries.ts';
import type { KubeBinaries } from './kube-binaries.ts';
import { startManagedProcess, tailOfFile } from './managed-process.ts';
import { registerCleanupDirectory, unregisterCleanupDirectory } from './process-reaper.ts';
import type { ManagedProcess } from './managed-process.ts';

export interface StartTestClusterOptions {
  /** Extra users for the token file; a missing token is generated. Groups default to none. */
  users?: { name: string; token?: string; groups?: string[] }[];
  /** Time for the components to become ready once the binaries exist (default 120 s). */
  startTimeoutMs?: number;
  /** Keep the temporary directory (logs, etcd data) after stop(), e.g. to debug a failure. */
  keepWorkDirectory?: boolean;
}

export interface TestCluster extends TestClusterConnection {
  /** Temporary directory with the logs (`<component>.log`), certificates and token file. */
  workDirectory: string;
  /** Admin (system:masters) KubeConfig. */
  kubeConfig: KubeConfig;
  /** The plain connection data (what the global setup hands to test files). */
  connection: TestClusterConnection;
  kubeConfigFor(token: string): KubeConfig;
  userToken(name: string): string;
  stop(): Promise<void>;
}

// Controllers that need a cloud or a real node network; nodelifecycle is off so the process kubelet's
// nodes are never tainted or evicted.
const DISABLED_CONTROLLERS = '*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-route,-service';

function etcdDataDirectory(workDirectory: string): string {
  // tmpfs when available: etcd fsyncs every write and etcd 3.4 has no --unsafe-no-fsync.
  if (existsSync('/dev/shm')) return mkdtempSync(join('/dev/shm', 'ambient-kube-etcd-'));
  return join(workDirectory, 'etcd');
}

export async function startTestCluster(
  options: StartTestClusterOptions = {},
): Promise<TestCluster> {
  const binaries = await ensureKubeBinaries();
  const workDirectory = mkdtempSync(join(tmpdir(), 'ambient-kube-'));
  const etcdDirectory = etcdDataDirectory(workDirectory);
  const removeDirectories = () => {
    if (options.keepWorkDirectory) return;
    rmSync(workDirectory, { recursive: true, force: true });
    rmSync(etcdDirectory, { recursive: true, force: true });
  };
  process.on('exit', removeDirectories);
  if (!options.keepWorkDirectory)
    for (const path of [workDirectory, etcdDirectory]) registerCleanupDirectory(path);
  const processes: ManagedProcess[] = [];
  const stopAll = async () => {
    for (const component of [...processes].reverse()) await component.stop();
    processes.length = 0;
    removeDirectories();
    process.off('exit', removeDirectories);
    for (const path of [workDirectory, etcdDirectory]) unregisterCleanupDirectory(path);
  };
  try {
    const connection = await startComponents(
      binaries,
      workDirectory,
      etcdDirectory,
      processes,
      options,
    );
    return {
      ...connection,
      connection,
      workDirectory,
      kubeConfig: kubeConfigForToken(connection, connection.adminToken, ADMIN_USER_NAME),
      kubeConfigFor: (token) => kubeConfigForToken(connection, token),
      userToken: (name) => userToken(connection, name),
      stop: stopAll,
    };
  } catch (error) {
    const logs = processes.map(
      (component) =>
        `--- ${component.name} (${component.logPath}) ---\n${tailOfFile(component.logPath)}`,
    );
    await stopAll();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`test cluster failed to start: ${message}\n${logs.join('\n')}`, {
      cause: error,
    });
  }
}

async function startComponents(
  binaries: KubeBinaries,
  workDirectory: string,
  etcdDirectory: string,
  processes: ManagedProcess[],
  options: StartTestClusterOptions,
): Promise<TestClusterConnection> {
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const certificateDirectory = join(workDirectory, 'certs');
  mkdirSync(certificateDirectory);
  const [etcdClientPort, etcdPeerPort, apiServerPort, controllerManagerPort, schedulerPort] =
    (await freePorts(5)) as [number, number, number, number, number];
  const serviceAccountKeys = writeServiceAccountKeys(workDirectory);
  const servingCertificate = writeServingCertificate(certificateDirectory);
  const adminToken = randomToken();
  const users: TestClusterUser[] = (options.users ?? []).map((user) => ({
    name: user.name,
    token: user.token ?? randomToken(),
    groups: user.groups ?? [],
  }));
  const tokenFilePath = join(workDirectory, 'tokens.csv');
  writeTokenFile(tokenFilePath, [
    { name: ADMIN_USER_NAME, token: adminToken, groups: ['system:masters'] },
    ...users,
  ]);
  const server = `https://127.0.0.1:${apiServerPort}`;
  const kubeconfigPath = join(workDirectory, 'admin.kubeconfig');
  writeKubeconfig(kubeconfigPath, server, servingCertificate.caData, adminToken);
  const start = (name: string, executable: string, args: string[]) => {
    const component = startManagedProcess(
      name,
      executable,
      args,
      join(workDirectory, `${name}.log`),
    );
    processes.push(component);
    return component;
  };
  const exitedReason = () => {
    const dead = processes.find((component) => component.exitCode() !== undefined);
    return dead ? `${dead.name} exited with code ${dead.exitCode()}` : undefined;
  };

  const etcdClientUrl = `http://127.0.0.1:${etcdClientPort}`;
  const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  start('etcd', binaries.etcd, [
    '--name=default',
    `--data-dir=${etcdDirectory}`,
    `--listen-client-urls=${etcdClientUrl}`,
    `--advertise-client-urls=${etcdClientUrl}`,
    `--listen-peer-urls=${etcdPeerUrl}`,
    `--initial-advertise-peer-urls=${etcdPeerUrl}`,
    `--initial-cluster=default=${etcdPeerUrl}`,
    '--log-level=warn',
  ]);
  start('kube-apiserver', binaries.apiServer, [
    `--etcd-servers=${etcdClientUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiServerPort}`,
    '--insecure-port=0',
    `--cert-dir=${certificateDirectory}`,
    `--tls-cert-file=${servingCertificate.certificatePath}`,
    `--tls-private-key-file=${servingCertificate.keyPath}`,
    `--token-auth-file=${tokenFilePath}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${serviceAccountKeys.publicKeyPath}`,
    `--service-account-signing-key-file=${serviceAccountKeys.privateKeyPath}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--endpoint-reconciler-type=none',
    // Namespace annotations can pin pods to one process kubelet's node (see test-namespaces.ts).
    '--enable-admission-plugins=PodNodeSelector,PodTolerationRestriction',
    '--allow-privileged=true',
    '--profiling=false',
  ]);
  const ca = readFileSync(servingCertificate.certificatePath, 'utf8');
  await waitUntil(
    'kube-apiserver /readyz',
    async () => (await httpsGet(`${server}/readyz`, { ca, token: adminToken })).status === 200,
    { timeoutMs, failFast: exitedReason },
  );

  const clientFlags = [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    '--port=0',
  ];
  start('kube-controller-manager', binaries.controllerManager, [
    ...clientFlags,
    `--secure-port=${controllerManagerPort}`,
    `--service-account-private-key-file=${serviceAccountKeys.privateKeyPath}`,
    `--root-ca-file=${servingCertificate.certificatePath}`,
    `--controllers=${DISABLED_CONTROLLERS}`,
  ]);
  start('kube-scheduler', binaries.scheduler, [...clientFlags, `--secure-port=${schedulerPort}`]);
  for (const [name, port] of [
    ['kube-controller-manager', controllerManagerPort],
    ['kube-scheduler', schedulerPort],
  ] as const) {
    await waitUntil(
      `${name} /healthz`,
      async () => (await httpsGet(`https://127.0.0.1:${port}/healthz`, {})).status === 200,
      { timeoutMs, failFast: exitedReason },
    );
  }
  return { server, caData: servingCertificate.caData, adminToken, kubeconfigPath, users };
}
