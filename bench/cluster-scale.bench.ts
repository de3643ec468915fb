/**
 * Cluster mode at scale (design §8): 1,000 AgenticSessions created at once against the real
 * kube-apiserver; time until 1,000 runner Jobs exist, duplicate Jobs (must be none), the operator's
 * memory and the API requests it made per session. No kubelet runs here, so pods stay Pending: this
 * measures the control plane, not the agents.
 */
import https from 'node:https';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { AgenticSessionKind } from '@ambient/contracts';
import { startTestCluster } from '@ambient/kube-testing';
import { KubeResourceStore } from '@ambient/runtime-kube';
import { installCrds, installRbac } from '@ambient/runtime-kube/test-support/cluster-fixtures';
import { startTestPostgres } from '@ambient/runtime-postgres/test-postgres';
import { loadOperatorConfig } from '../apps/api/src/cluster-config.ts';
import { startOperator } from '../apps/api/src/main-operator.ts';

const SESSIONS = Number(process.env['BENCH_CLUSTER_SESSIONS'] ?? 1_000);
const NAMESPACE = 'bench-scale';

export async function benchClusterScale(): Promise<void> {
  if (process.env['AMBIENT_KUBE_TESTS'] === 'skip') {
    console.log('skipped (AMBIENT_KUBE_TESTS=skip)');
    return;
  }
  const [cluster, postgres] = await Promise.all([startTestCluster(), startTestPostgres()]);
  let requests = 0;
  const originalRequest = https.request;
  try {
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ambient-code' } } });
    await core.createNamespace({ body: { metadata: { name: NAMESPACE, labels: { 'ambient-code.io/managed': 'true' } } } });
    await Promise.all([installCrds(cluster.kubeConfig), installRbac(cluster.kubeConfig)]);
    const operatorConfig = loadOperatorConfig({
      LOG_LEVEL: 'error',
      AMBIENT_RUNNER_TOKEN_KEY: 'bench-runner-token-key-0123456789',
      DATABASE_URL: postgres.connectionString,
      AMBIENT_SERVER_URL: 'http://127.0.0.1:9',
      ANTHROPIC_API_KEY: 'bench',
      POD_NAMESPACE: 'ambient-code',
      POD_NAME: 'operator-bench',
      AMBIENT_RESYNC_SECONDS: '0',
    });
    const heapBefore = process.memoryUsage().rss;
    const operator = await startOperator(operatorConfig, { kubeConfig: cluster.kubeConfig, leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 });
    for (let attempt = 0; attempt < 100 && !operator.isLeading(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));

    // Count API requests: client-node 1.x (node-fetch) goes through https.request.
    https.request = ((...args: Parameters<typeof https.request>) => {
      requests += 1;
      return (originalRequest as (...parameters: unknown[]) => ReturnType<typeof https.request>)(...args);
    }) as typeof https.request;
    const store = new KubeResourceStore({ kubeConfig: cluster.kubeConfig });
    const started = performance.now();
    const creates = Array.from({ length: SESSIONS }, (_unused, index) =>
      store.create(AgenticSessionKind, { metadata: { name: `scale-${index}`, namespace: NAMESPACE }, spec: { initialPrompt: 'hello', interactive: false } }),
    );
    await Promise.all(creates);
    const createdMs = performance.now() - started;
    const batch = cluster.kubeConfig.makeApiClient(BatchV1Api);
    let jobs = 0;
    let samples = 0;
    let peakRss = 0;
    while (jobs < SESSIONS && performance.now() - started < 600_000) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      jobs = (await batch.listNamespacedJob({ namespace: NAMESPACE })).items.length;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      samples += 1;
    }
    const allJobsMs = performance.now() - started;
    const jobList = (await batch.listNamespacedJob({ namespace: NAMESPACE })).items;
    const perSession = new Map<string, number>();
    for (const job of jobList) {
      const session = job.metadata?.labels?.['agentic-session'] ?? '?';
      perSession.set(session, (perSession.get(session) ?? 0) + 1);
    }
    const duplicates = [...perSession.values()].filter((count) => count > 1).length;
    const operatorRequests = requests - samples - 1 - SESSIONS;
    console.log(`cluster scale: ${SESSIONS} sessions created in ${(createdMs / 1000).toFixed(1)} s; ${jobList.length} Jobs after ${(allJobsMs / 1000).toFixed(1)} s (goal ≤ 30 s, ratio ${(allJobsMs / 30_000).toFixed(2)}); sessions with more than one Job: ${duplicates}`);
    console.log(`cluster scale: process RSS ${(heapBefore / 1e6).toFixed(0)} → peak ${(peakRss / 1e6).toFixed(0)} MB (operator, bench client and cluster clients share this process); ~${(operatorRequests / SESSIONS).toFixed(1)} API requests per session reconciled`);
    https.request = originalRequest;
    await operator.close();
  } finally {
    https.request = originalRequest;
    await cluster.stop();
    await postgres.stop();
  }
}
