/**
 * The whole cluster-mode platform for end-to-end tests, with real parts: a kube-apiserver 1.20
 * (+ controller-manager, scheduler) with the platform's CRDs and RBAC, a real PostgreSQL, the fake
 * model, the process kubelet running runner pods as local processes (the repository's bundled runner
 * through `AMBIENT_RUNNER_COMMAND` and an `/app` path mapping), and the cluster API server and
 * operator in-process on their own ServiceAccounts (ambient-api, ambient-operator).
 *
 * The operator can be stopped and started again with the same configuration (a new leadership
 * term), or run as a child process that a test kills with SIGKILL (operator-process.ts): a crash
 * mid-reconcile, with no graceful shutdown and no Lease release.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { startFakeModel } from '@ambient/fake-model';
import type { FakeModel } from '@ambient/fake-model';
import { startProcessKubelet, startTestCluster, waitUntil } from '@ambient/kube-testing';
import type { ProcessKubelet, TestCluster } from '@ambient/kube-testing';
import { installCrds, installRbac } from '@ambient/runtime-kube/test-support/cluster-fixtures';
import { startTestPostgres } from '@ambient/runtime-postgres/test-postgres';
import type { TestPostgres } from '@ambient/runtime-postgres/test-postgres';
import { loadOperatorConfig } from '../../src/cluster-config.ts';
import { startClusterApiServer } from '../../src/main-cluster.ts';
import type { RunningClusterApi } from '../../src/main-cluster.ts';
import { startOperator } from '../../src/main-operator.ts';
import type { OperatorOptions, RunningOperator } from '../../src/main-operator.ts';
import { REPO_ROOT, runnerCommand } from '../../src/runner-command.ts';
import { spawnOperatorProcess, TEST_LEASE_TIMINGS } from './operator-process-handle.ts';
import type { OperatorProcess } from './operator-process-handle.ts';

/** Where the repository is "in the runner image"; the process kubelet maps it to the checkout. */
const IMAGE_APP_DIRECTORY = '/app';
export const PLATFORM_NAMESPACE = 'ambient-code';
const RUNNER_TOKEN_KEY = 'cluster-e2e-runner-token-key-0123456789';
const LEADING_TIMEOUT_MS = 30_000;

export interface ClusterPlatformOptions {
  /** Users of the cluster's token file (default alice and bob, no groups). */
  users?: { name: string; groups?: string[] }[];
  /** Extra operator environment (e.g. AMBIENT_RESYNC_SECONDS), over the fixture's defaults. */
  operatorEnvironment?: Record<string, string>;
  /** Start the in-process operator with the platform (default true). */
  startOperator?: boolean;
  /** Temporary directory prefix (kubelet pods and claims). */
  name?: string;
}

export interface ClusterPlatform {
  cluster: TestCluster;
  postgres: TestPostgres;
  model: FakeModel;
  kubelet: ProcessKubelet;
  api: RunningClusterApi;
  /** The operator's environment, as the Deployment would set it (loadOperatorConfig reads it). */
  operatorEnvironment: Record<string, string>;
  /** The in-process operator, when one runs. */
  operator(): RunningOperator | undefined;
  /** A new in-process operator with the same configuration; resolves once it leads. */
  startOperator(): Promise<RunningOperator>;
  /** Closes the in-process operator (graceful: in-flight reconciles finish, the Lease is released). */
  stopOperator(): Promise<void>;
  /** The operator in a child process (kill it with SIGKILL); resolves once it leads. */
  startOperatorProcess(): Promise<OperatorProcess>;
  /**
   * Another API server replica with the same configuration and database (runners and viewers still
   * connect to `api`, where the operator's AMBIENT_SERVER_URL points); closed by `stop`.
   */
  startApiReplica(): Promise<RunningClusterApi>;
  /** An HTTP call to the API server (or `server`, another replica) as `token`. */
  call(token: string, path: string, init?: RequestInit, server?: RunningClusterApi): Promise<Response>;
  stop(): Promise<void>;
}

async function serviceAccountToken(cluster: TestCluster, name: string): Promise<string> {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  let token = '';
  await waitUntil(`token of ServiceAccount ${name}`, async () => {
    const account = await core.readNamespacedServiceAccount({ name, namespace: PLATFORM_NAMESPACE });
    const secretName = account.secrets?.[0]?.name;
    if (!secretName) return false;
    const secret = await core.readNamespacedSecret({ name: secretName, namespace: PLATFORM_NAMESPACE });
    token = Buffer.from(secret.data?.['token'] ?? '', 'base64').toString('utf8');
    return token !== '';
  }, { timeoutMs: 30_000, intervalMs: 200 });
  return token;
}

/** The runner as its image would run it: the bundle, at its path under /app. */
async function imageRunnerCommand(): Promise<string[]> {
  const localCommand = await runnerCommand();
  return localCommand.map((part) =>
    part.startsWith(REPO_ROOT) ? `${IMAGE_APP_DIRECTORY}/${part.slice(REPO_ROOT.length)}` : part,
  );
}

export async function startClusterPlatform(options: ClusterPlatformOptions = {}): Promise<ClusterPlatform> {
  const workDirectory = mkdtempSync(join(tmpdir(), `${options.name ?? 'cluster-platform'}-`));
  const users = options.users ?? [{ name: 'alice' }, { name: 'bob' }];
  const [cluster, postgres, model] = await Promise.all([startTestCluster({ users }), startTestPostgres(), startFakeModel()]);
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: PLATFORM_NAMESPACE } } });
  await core.createNamespacedServiceAccount({ namespace: PLATFORM_NAMESPACE, body: { metadata: { name: 'ambient-api' } } });
  await Promise.all([installCrds(cluster.kubeConfig), installRbac(cluster.kubeConfig)]);
  const [apiToken, operatorToken] = await Promise.all([
    serviceAccountToken(cluster, 'ambient-api'),
    serviceAccountToken(cluster, 'ambient-operator'),
  ]);
  const kubelet = await startProcessKubelet({
    kubeConfig: cluster.kubeConfig,
    nodeName: 'cluster-e2e-node',
    workDir: join(workDirectory, 'kubelet'),
    pathMappings: { [IMAGE_APP_DIRECTORY]: REPO_ROOT.replace(/\/$/, '') },
    onError: () => undefined,
  });
  const apiConfig = { port: 0, host: '127.0.0.1', logLevel: 'warn', runnerTokenSecret: RUNNER_TOKEN_KEY, databaseUrl: postgres.connectionString, anyoneCreatesProjects: true };
  const startApi = () => startClusterApiServer(apiConfig, { kubeConfig: cluster.kubeConfigFor(apiToken) });
  const api = await startApi();
  const replicas: RunningClusterApi[] = [];
  const operatorEnvironment: Record<string, string> = {
    LOG_LEVEL: 'warn',
    AMBIENT_RUNNER_TOKEN_KEY: RUNNER_TOKEN_KEY,
    DATABASE_URL: postgres.connectionString,
    AMBIENT_SERVER_URL: api.url,
    ANTHROPIC_API_KEY: 'test-key-not-real',
    ANTHROPIC_BASE_URL: model.url,
    AMBIENT_RUNNER_IMAGE: 'ambient-runner:e2e',
    AMBIENT_RUNNER_COMMAND: JSON.stringify(await imageRunnerCommand()),
    AMBIENT_WORKSPACE_SIZE: '1Gi',
    POD_NAMESPACE: PLATFORM_NAMESPACE,
    POD_NAME: 'operator-e2e',
    ...options.operatorEnvironment,
  };
  const operatorOptions: OperatorOptions = { kubeConfig: cluster.kubeConfigFor(operatorToken), ...TEST_LEASE_TIMINGS };

  let operator: RunningOperator | undefined;
  const childOperators = new Set<OperatorProcess>();
  const platform: ClusterPlatform = {
    cluster,
    postgres,
    model,
    kubelet,
    api,
    operatorEnvironment,
    operator: () => operator,
    async startOperator() {
      if (operator) throw new Error('an in-process operator is already running; stop it first');
      const started = await startOperator(loadOperatorConfig(operatorEnvironment), operatorOptions);
      operator = started;
      await waitUntil('operator leading', async () => started.isLeading(), { timeoutMs: LEADING_TIMEOUT_MS, intervalMs: 100 });
      return started;
    },
    async stopOperator() {
      const running = operator;
      operator = undefined;
      await running?.close();
    },
    async startOperatorProcess() {
      const child = await spawnOperatorProcess({
        entryPath: fileURLToPath(new URL('./operator-process.ts', import.meta.url)),
        environment: {
          ...operatorEnvironment,
          KUBE_SERVER: cluster.server,
          KUBE_CA_DATA: cluster.caData,
          KUBE_TOKEN: operatorToken,
        },
        leadingTimeoutMs: LEADING_TIMEOUT_MS,
      });
      childOperators.add(child);
      return child;
    },
    async startApiReplica() {
      const replica = await startApi();
      replicas.push(replica);
      return replica;
    },
    call: (token, path, init = {}, server = api) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      }),
    async stop() {
      await Promise.all([...childOperators].map((child) => child.kill()));
      await platform.stopOperator();
      await Promise.all(replicas.map((replica) => replica.close()));
      await api.close();
      await kubelet.stop();
      await cluster.stop();
      await postgres.stop();
      await model.close();
      rmSync(workDirectory, { recursive: true, force: true });
    },
  };
  if (options.startOperator !== false) await platform.startOperator();
  return platform;
}

/** Every test file's beforeAll budget: a cold cluster build takes minutes. */
export const PLATFORM_START_TIMEOUT_MS = 30 * 60_000;
