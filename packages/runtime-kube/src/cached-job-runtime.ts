/**
 * JobWorkloadRuntime whose `get` answers from a watch-fed cache of runner Jobs and Pods
 * (workload-cache.ts) instead of a GET of the Job and a LIST of its Pods on every reconcile.
 *
 * The cache is trusted when it holds the run, never blindly when it does not:
 * - present: the answer may be a moment old, and the controller acts on it as on a GET sent a
 *   moment earlier; the change it has not seen yet arrives as a watch event, which the cache has
 *   stored before the controller is told, so the next reconcile sees it. A stale "still there" only
 *   repeats a stop (deletes tolerate 404) or waits; it never starts anything.
 * - absent: the run may exist and not be delivered yet (created a moment ago by this very
 *   operator). A controller that believed it gone would start the next run next to it, so absence
 *   is confirmed with the API server, as before.
 * - absent inside `ensure`: ensure looks only to skip creating what exists, and every create it
 *   makes tolerates AlreadyExists (deterministic names), so a wrong "absent" costs three 409s and
 *   never a second Job. There the cache's answer stands and saves the two reads.
 */
import type { Unsubscribe, WorkloadSpec, WorkloadStatus } from '@ambient/core';
import { JobWorkloadRuntime } from './job-runtime.ts';
import type { JobRuntimeOptions } from './job-runtime.ts';
import { WorkloadCache } from './workload-cache.ts';

export interface CachedJobRuntimeStats {
  /** `get`s answered by the cache (including "absent" inside ensure). */
  cacheReads: number;
  /** `get`s the API server answered (cache not synced, or absence to confirm). */
  apiReads: number;
}

export class CachedJobWorkloadRuntime extends JobWorkloadRuntime {
  readonly #workloads: WorkloadCache;
  /** Runs whose ensure is in progress (a count: the same run may be ensured twice at once). */
  readonly #ensuring = new Map<string, number>();
  readonly #stats: CachedJobRuntimeStats = { cacheReads: 0, apiReads: 0 };
  #release: Unsubscribe | undefined;

  constructor(options: JobRuntimeOptions) {
    super(options);
    this.#workloads = new WorkloadCache({ kubeConfig: options.kubeConfig, namespace: options.watchNamespace, onError: options.onError });
  }

  /** Runs the cache's informers until `stop`; resolves once they have listed. */
  async start(): Promise<void> {
    if (this.#release) return;
    const release = await this.#workloads.retain();
    if (this.#release) release();
    else this.#release = release;
  }

  stop(): void {
    this.#release?.();
    this.#release = undefined;
  }

  stats(): CachedJobRuntimeStats {
    return { ...this.#stats };
  }

  override async ensure(spec: WorkloadSpec): Promise<WorkloadStatus> {
    const key = `${spec.namespace}/${spec.name}`;
    this.#ensuring.set(key, (this.#ensuring.get(key) ?? 0) + 1);
    try {
      return await super.ensure(spec);
    } finally {
      const remaining = (this.#ensuring.get(key) ?? 1) - 1;
      if (remaining > 0) this.#ensuring.set(key, remaining);
      else this.#ensuring.delete(key);
    }
  }

  override async get(namespace: string, name: string): Promise<WorkloadStatus | undefined> {
    const cached = this.#workloads.status(namespace, name);
    if (cached || (this.#workloads.synced && this.#ensuring.has(`${namespace}/${name}`))) {
      this.#stats.cacheReads += 1;
      return cached;
    }
    this.#stats.apiReads += 1;
    return super.get(namespace, name);
  }

  /** Change notifications from the cache's own informers (no second pair of watches). */
  override watch(onChange: (namespace: string, name: string) => void): Unsubscribe {
    return this.#workloads.subscribe(onChange);
  }
}
