/**
 * Cluster mode at scale (design §8): 1,000 AgenticSessions created at once against the real
 * kube-apiserver. Phase 1, no node: time until 1,000 runner Jobs exist (goal ≤ 30 s), duplicate
 * Jobs (must be none), the operator's memory and its API requests per session and per reconcile.
 * Phase 2: a process kubelet joins and the bench waits until every session is Running.
 *
 * The operator runs in a process of its own (cluster-scale-operator.ts), as in its pod, so its
 * memory and requests are its own. Everything shares this machine's cores with etcd,
 * kube-apiserver, kube-controller-manager and kube-scheduler.
 *
 * BENCH_CLUSTER_SESSIONS (default 1000); BENCH_CLUSTER_STEADY_SECONDS (default 15) is the quiet spell
 * measured after the Jobs exist; BENCH_CLUSTER_RUN=skip leaves phase 2 out;
 * BENCH_CLUSTER_RUN_TIMEOUT_SECONDS (default 300) bounds it; BENCH_CLUSTER_KEEP_LOGS=1 keeps the cluster's
 * component logs (printed path) for a look at what throttled it. For an A/B on the same machine:
 * BENCH_OPERATOR_MODULE (path from bench/) runs another build of main-operator.ts, e.g. an older
 * commit's copied beside it; BENCH_OPERATOR_WORKERS overrides the session worker count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { AgenticSessionKind } from '@ambient/contracts';
import { startProcessKubelet, startTestCluster } from '@ambient/kube-testing';
import type { ProcessKubelet } from '@ambient/kube-testing';
import { KubeResourceStore } from '@ambient/runtime-kube';
import { installCrds, installRbac } from '@ambient/runtime-kube/test-support/cluster-fixtures';
import { startTestPostgres } from '@ambient/runtime-postgres/test-postgres';
import type { OperatorProcessStats } from './cluster-scale-operator.ts';
import type { Progress } from './cluster-scale-support.ts';
import { startOperatorProcess, waitFor, watchJobs, watchObjects, watchSessionPhase } from './cluster-scale-support.ts';

const SESSIONS = Number(process.env['BENCH_CLUSTER_SESSIONS'] ?? 1_000);
const RUN_PHASE = process.env['BENCH_CLUSTER_RUN'] !== 'skip';
const RUN_TIMEOUT_MS = Number(process.env['BENCH_CLUSTER_RUN_TIMEOUT_SECONDS'] ?? 300) * 1000;
const JOBS_TIMEOUT_MS = 600_000;
/** A quiet spell after the Jobs exist: the pods wait for a node, and the controller polls them. */
const STEADY_MS = Number(process.env['BENCH_CLUSTER_STEADY_SECONDS'] ?? 15) * 1000;
const GOAL_MS = 30_000;
const NAMESPACE = 'bench-scale';

const seconds = (milliseconds: number): string => (milliseconds / 1000).toFixed(1);
const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(0);

export async function benchClusterScale(): Promise<void> {
  if (process.env['AMBIENT_KUBE_TESTS'] === 'skip') {
    console.log('skipped (AMBIENT_KUBE_TESTS=skip)');
    return;
  }
  const keepLogs = process.env['BENCH_CLUSTER_KEEP_LOGS'] === '1';
  const [cluster, postgres] = await Promise.all([startTestCluster({ keepWorkDirectory: keepLogs }), startTestPostgres()]);
  if (keepLogs) console.log(`cluster scale: component logs in ${cluster.workDirectory}`);
  const kubeletDirectory = mkdtempSync(join(tmpdir(), 'ambient-bench-kubelet-'));
  let kubelet: ProcessKubelet | undefined;
  try {
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ambient-code' } } });
    await core.createNamespace({ body: { metadata: { name: NAMESPACE, labels: { 'ambient-code.io/managed': 'true' } } } });
    await Promise.all([installCrds(cluster.kubeConfig), installRbac(cluster.kubeConfig)]);
    const operator = await startOperatorProcess({
      KUBECONFIG: cluster.kubeconfigPath,
      LOG_LEVEL: 'error',
      AMBIENT_RUNNER_TOKEN_KEY: 'bench-runner-token-key-0123456789',
      DATABASE_URL: postgres.connectionString,
      AMBIENT_SERVER_URL: 'http://127.0.0.1:9',
      ANTHROPIC_API_KEY: 'bench',
      POD_NAMESPACE: 'ambient-code',
      POD_NAME: 'operator-bench',
      AMBIENT_RESYNC_SECONDS: '0',
      // Phase 2 runs this instead of the runner: the pods only have to be up.
      AMBIENT_RUNNER_COMMAND: JSON.stringify(['sleep', '3600']),
    });
    const idle = await operator.stats();
    const store = new KubeResourceStore({ kubeConfig: cluster.kubeConfig });
    const jobs = watchJobs(cluster.kubeConfig, NAMESPACE, SESSIONS);
    const running = watchSessionPhase(store, NAMESPACE, 'Running', SESSIONS);
    // What stands between a Job and a running session, stage by stage (all cluster components).
    const podsPath = `/api/v1/namespaces/${NAMESPACE}/pods`;
    const stages: [string, Progress][] = [
      ['pods created', watchObjects(cluster.kubeConfig, podsPath, 'app=ambient-code-runner', () => true, SESSIONS)],
      ['claims bound', watchObjects(cluster.kubeConfig, `/api/v1/namespaces/${NAMESPACE}/persistentvolumeclaims`, undefined, (claim) => claim.status?.phase === 'Bound', SESSIONS)],
      ['pods scheduled', watchObjects(cluster.kubeConfig, podsPath, 'app=ambient-code-runner', (pod) => Boolean(pod.spec?.nodeName), SESSIONS)],
      ['pods running', watchObjects(cluster.kubeConfig, podsPath, 'app=ambient-code-runner', (pod) => pod.status?.phase === 'Running', SESSIONS)],
      ['sessions Running', running],
    ];

    const started = performance.now();
    await Promise.all(
      Array.from({ length: SESSIONS }, (_unused, index) =>
        store.create(AgenticSessionKind, { metadata: { name: `scale-${index}`, namespace: NAMESPACE }, spec: { initialPrompt: 'hello', interactive: false } }),
      ),
    );
    const createdMs = performance.now() - started;
    await waitFor(() => jobs.reachedAtMs() !== undefined, started + JOBS_TIMEOUT_MS);
    const allJobsMs = (jobs.reachedAtMs() ?? performance.now()) - started;
    const atJobs = await operator.stats();
    const duplicates = await sessionsWithSeveralJobs(cluster.kubeConfig);
    console.log(
      `cluster scale: ${SESSIONS} sessions created in ${seconds(createdMs)} s; ${jobs.count()} Jobs after ${seconds(allJobsMs)} s ` +
        `(goal ≤ ${seconds(GOAL_MS)} s, ratio ${(allJobsMs / GOAL_MS).toFixed(2)}); sessions with more than one Job: ${duplicates}`,
    );
    printOperatorFigures(idle, atJobs);
    // The machine is shared: the load says how much the figures above can be trusted.
    console.log(`cluster scale: load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on this machine's cores`);
    // Steady state: every session is Creating with an unschedulable pod and is looked at again
    // every few seconds; what does each of those looks cost the API server?
    const steadyStart = await operator.stats();
    await new Promise((resolve) => setTimeout(resolve, STEADY_MS));
    const steadyEnd = await operator.stats();
    const steadyReconciles = steadyEnd.reconciles - steadyStart.reconciles;
    const steadyRequests = steadyEnd.requests - steadyStart.requests;
    console.log(
      `cluster scale: steady ${seconds(STEADY_MS)} s: ${steadyReconciles} reconciles, ${steadyRequests} API requests ` +
        `(${(steadyRequests / Math.max(1, steadyReconciles)).toFixed(2)} per reconcile), ${seconds(steadyEnd.cpuMs - steadyStart.cpuMs)} s of operator CPU`,
    );

    if (RUN_PHASE) {
      const nodeStarted = performance.now();
      kubelet = await startProcessKubelet({
        kubeConfig: cluster.kubeConfig,
        nodeName: 'bench-node',
        workDir: kubeletDirectory,
        capacity: { pods: String(SESSIONS + 10), cpu: String(SESSIONS), memory: `${SESSIONS}Gi` },
        onError: () => undefined,
      });
      const allRunning = await waitFor(() => running.reachedAtMs() !== undefined, nodeStarted + RUN_TIMEOUT_MS);
      const end = running.reachedAtMs() ?? performance.now();
      console.log(
        allRunning
          ? `cluster scale: all ${SESSIONS} sessions Running ${seconds(end - started)} s after creation (${seconds(end - nodeStarted)} s after the node joined)`
          : `cluster scale: ${running.count()} of ${SESSIONS} sessions Running ${seconds(end - nodeStarted)} s after the node joined (gave up)`,
      );
      const stageTimes = stages.map(([stage, watched]) => {
        const reachedAtMs = watched.reachedAtMs();
        return reachedAtMs === undefined ? `${stage} ${watched.count()}/${SESSIONS}` : `${stage} at ${seconds(reachedAtMs - started)} s`;
      });
      console.log(`cluster scale: all ${SESSIONS}, counted from creation (node joined at ${seconds(nodeStarted - started)} s): ${stageTimes.join(', ')}`);
      const atRunning = await operator.stats();
      console.log(
        `cluster scale (until Running): ${atRunning.requests - atJobs.requests} more operator requests, ` +
          `${atRunning.reconciles - atJobs.reconciles} more reconciles; operator peak RSS ${megabytes(atRunning.peakRssBytes)} MB, ` +
          `peak heap ${megabytes(atRunning.peakHeapUsedBytes)} MB`,
      );
    }
    jobs.stop();
    for (const [, watched] of stages) watched.stop();
    await operator.stop();
  } finally {
    await kubelet?.stop({ deleteNode: false });
    await cluster.stop();
    await postgres.stop();
    rmSync(kubeletDirectory, { recursive: true, force: true });
  }
}

async function sessionsWithSeveralJobs(kubeConfig: KubeConfig): Promise<number> {
  const jobList = (await kubeConfig.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: NAMESPACE })).items;
  const perSession = new Map<string, number>();
  for (const job of jobList) {
    const session = job.metadata?.labels?.['agentic-session'] ?? '?';
    perSession.set(session, (perSession.get(session) ?? 0) + 1);
  }
  return [...perSession.values()].filter((count) => count > 1).length;
}

function printOperatorFigures(idle: OperatorProcessStats, atJobs: OperatorProcessStats): void {
  const requests = atJobs.requests - idle.requests;
  const reconciles = atJobs.reconciles - idle.reconciles;
  const before = new Map(idle.requestsByKind);
  const kinds = atJobs.requestsByKind
    .map(([kind, count]): [string, number] => [kind, count - (before.get(kind) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort((left, right) => right[1] - left[1])
    .slice(0, 14)
    .map(([kind, count]) => `${kind} ${(count / SESSIONS).toFixed(2)}`)
    .join(', ');
  console.log(
    `cluster scale: operator RSS ${megabytes(idle.rssBytes)} → peak ${megabytes(atJobs.peakRssBytes)} MB, ` +
      `heap ${megabytes(idle.heapUsedBytes)} → peak ${megabytes(atJobs.peakHeapUsedBytes)} MB (its own process); ` +
      `${seconds(atJobs.cpuMs - idle.cpuMs)} s of CPU`,
  );
  console.log(
    `cluster scale: ${(requests / SESSIONS).toFixed(1)} API requests per session, ${(requests / Math.max(1, reconciles)).toFixed(1)} per reconcile ` +
      `(${reconciles} reconciles, ${atJobs.reconcileFailures} failed; ${atJobs.connections} TLS connections opened; ` +
      `session/settings reads: ${atJobs.cacheReads - idle.cacheReads} from the cache, ${atJobs.storeReads - idle.storeReads} from the API server; ` +
      `run reads: ${atJobs.workloadCacheReads - idle.workloadCacheReads} from the cache, ${atJobs.workloadApiReads - idle.workloadApiReads} from the API server; ` +
      `launch reads: ${atJobs.projectCacheReads - idle.projectCacheReads} from the cache, ${atJobs.projectStoreReads - idle.projectStoreReads} from the API server)`,
  );
  console.log(`cluster scale: requests per session by kind: ${kinds}`);
}
