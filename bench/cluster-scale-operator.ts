/**
 * The operator of the cluster-scale bench, in a process of its own (as in a pod), so its memory and
 * its API requests are measured alone: the bench's 1,000 creates, its polling and the process
 * kubelet stay in the parent. Configured by the environment (cluster-config.ts), driven over IPC:
 * it says `leading` once it holds the Lease, answers `stats` and stops on `stop`.
 */
import { loadOperatorConfig } from '../apps/api/src/cluster-config.ts';
import type { RunningOperator, startOperator as StartOperator } from '../apps/api/src/main-operator.ts';
import { countKubeRequests } from './kube-request-counter.ts';

export interface OperatorProcessStats {
  type: 'stats';
  rssBytes: number;
  heapUsedBytes: number;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  /** CPU time of the operator process (user + system) since it started. */
  cpuMs: number;
  requests: number;
  connections: number;
  requestsByKind: [string, number][];
  reconciles: number;
  reconcileFailures: number;
  /** Reads of sessions and project settings answered by the cache, and by the API server. */
  cacheReads: number;
  storeReads: number;
  /** Reads of runner Jobs/Pods answered by the cache, and by the API server. */
  workloadCacheReads: number;
  workloadApiReads: number;
  /** Project settings/secrets reads of launches answered by the per-project cache, and read anew. */
  projectCacheReads: number;
  projectStoreReads: number;
}

export type OperatorProcessMessage = { type: 'leading' } | OperatorProcessStats;

const SAMPLE_INTERVAL_MS = 250;

// BENCH_OPERATOR_MODULE: another build of main-operator.ts to compare with (same exports).
const operatorModule = process.env['BENCH_OPERATOR_MODULE'] ?? '../apps/api/src/main-operator.ts';
const { startOperator } = (await import(operatorModule)) as { startOperator: typeof StartOperator };
const counter = countKubeRequests();
const operator: Partial<RunningOperator> & Pick<RunningOperator, 'isLeading' | 'close'> = await startOperator(loadOperatorConfig(process.env), {
  ...(process.env['BENCH_OPERATOR_WORKERS'] ? { sessionWorkers: Number(process.env['BENCH_OPERATOR_WORKERS']) } : {}),
  leaseDurationMs: 4_000,
  renewDeadlineMs: 3_000,
  retryPeriodMs: 500,
});
while (!operator.isLeading()) await new Promise((resolve) => setTimeout(resolve, 50));
// From here on every request is the session controller's work (plus the Lease renewals).
counter.reset();

let peakRssBytes = 0;
let peakHeapUsedBytes = 0;
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  peakRssBytes = Math.max(peakRssBytes, memory.rss);
  peakHeapUsedBytes = Math.max(peakHeapUsedBytes, memory.heapUsed);
}, SAMPLE_INTERVAL_MS);

function send(message: OperatorProcessMessage): void {
  process.send?.(message);
}

function stats(): OperatorProcessStats {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const { sessionReconciles: reconciles, cache, workloads, projectReads } = operator.stats?.() ?? {};
  return {
    type: 'stats',
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    peakRssBytes: Math.max(peakRssBytes, memory.rss),
    peakHeapUsedBytes: Math.max(peakHeapUsedBytes, memory.heapUsed),
    cpuMs: (cpu.user + cpu.system) / 1000,
    requests: counter.total(),
    connections: counter.connections(),
    requestsByKind: counter.byKind(),
    reconciles: reconciles?.reconciles ?? 0,
    reconcileFailures: reconciles?.failures ?? 0,
    cacheReads: cache?.cacheReads ?? 0,
    storeReads: cache?.storeReads ?? 0,
    workloadCacheReads: workloads?.cacheReads ?? 0,
    workloadApiReads: workloads?.apiReads ?? 0,
    projectCacheReads: projectReads?.cacheReads ?? 0,
    projectStoreReads: projectReads?.storeReads ?? 0,
  };
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    send(stats());
  } else if (message.type === 'stop') {
    clearInterval(sampler);
    counter.stop();
    void operator.close().then(() => process.exit(0));
  }
});
send({ type: 'leading' });
