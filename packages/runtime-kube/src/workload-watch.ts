/**
 * Change notifications for runner workloads: client-node informers on Jobs and Pods labelled
 * `app=ambient-code-runner` (one shared pair however many subscribers; started with the first,
 * stopped with the last). A Pod change is reported under its Job's name (the `job-name` label),
 * since the run is what the session controller looks up.
 *
 * Informers stop on a failed list or watch (API server restart, expired token); this restarts them
 * after a delay, and their re-list reports every workload again, which is what a level-triggered
 * controller wants after a gap.
 */
import { BatchV1Api, CoreV1Api, makeInformer } from '@kubernetes/client-node';
import type { Informer, KubeConfig, KubernetesObject, V1Job, V1Pod } from '@kubernetes/client-node';
import type { Unsubscribe } from '@ambient/core';
import { JOB_NAME_LABEL, RUNNER_APP_LABEL } from './job-manifests.ts';

export type WorkloadChangeListener = (namespace: string, name: string) => void;

export interface WorkloadWatchOptions {
  kubeConfig: KubeConfig;
  /** Only this namespace (needs only namespaced list/watch rights); all namespaces when omitted. */
  namespace?: string;
  restartDelayMs?: number;
  onError?: (message: string) => void;
}

const LABEL_SELECTOR = `app=${RUNNER_APP_LABEL}`;
const DEFAULT_RESTART_DELAY_MS = 2_000;

function jobNameOfPod(pod: V1Pod): string | undefined {
  return (
    pod.metadata?.labels?.[JOB_NAME_LABEL] ??
    pod.metadata?.ownerReferences?.find((owner) => owner.kind === 'Job')?.name
  );
}

export class WorkloadWatch {
  private readonly listeners = new Set<WorkloadChangeListener>();
  private informers: Informer<KubernetesObject>[] = [];
  private running = false;
  private readonly restartTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: WorkloadWatchOptions) {}

  subscribe(listener: WorkloadChangeListener): Unsubscribe {
    // A fresh function per subscription, so subscribing the same listener twice is two subscriptions.
    const entry: WorkloadChangeListener = (namespace, name) => listener(namespace, name);
    this.listeners.add(entry);
    if (!this.running) this.start();
    return () => {
      this.listeners.delete(entry);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private notify(namespace: string | undefined, name: string | undefined): void {
    if (!namespace || !name) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(namespace, name);
      } catch (error) {
        this.options.onError?.(
          `a workload watch listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private start(): void {
    this.running = true;
    const { kubeConfig, namespace } = this.options;
    const batchApi = kubeConfig.makeApiClient(BatchV1Api);
    const coreApi = kubeConfig.makeApiClient(CoreV1Api);
    const jobs = makeInformer<V1Job>(
      kubeConfig,
      namespace ? `/apis/batch/v1/namespaces/${namespace}/jobs` : '/apis/batch/v1/jobs',
      () =>
        namespace
          ? batchApi.listNamespacedJob({ namespace, labelSelector: LABEL_SELECTOR })
          : batchApi.listJobForAllNamespaces({ labelSelector: LABEL_SELECTOR }),
      LABEL_SELECTOR,
    );
    const pods = makeInformer<V1Pod>(
      kubeConfig,
      namespace ? `/api/v1/namespaces/${namespace}/pods` : '/api/v1/pods',
      () =>
        namespace
          ? coreApi.listNamespacedPod({ namespace, labelSelector: LABEL_SELECTOR })
          : coreApi.listPodForAllNamespaces({ labelSelector: LABEL_SELECTOR }),
      LABEL_SELECTOR,
    );
    const onJob = (job: V1Job): void => this.notify(job.metadata?.namespace, job.metadata?.name);
    const onPod = (pod: V1Pod): void => this.notify(pod.metadata?.namespace, jobNameOfPod(pod));
    jobs.on('change', onJob);
    pods.on('change', onPod);
    this.informers = [jobs, pods] as Informer<KubernetesObject>[];
    for (const informer of this.informers) {
      informer.on('error', (error: unknown) => this.restartLater(informer, error));
      informer.start().catch((error: unknown) => this.restartLater(informer, error));
    }
  }

  private restartLater(informer: Informer<KubernetesObject>, error: unknown): void {
    if (!this.running) return;
    this.options.onError?.(
      `runner workload watch failed, restarting: ${error instanceof Error ? error.message : String(error)}`,
    );
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (!this.running || !this.informers.includes(informer)) return;
      informer.start().catch((restartError: unknown) => this.restartLater(informer, restartError));
    }, this.options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS);
    timer.unref();
    this.restartTimers.add(timer);
  }

  private stop(): void {
    this.running = false;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    const informers = this.informers;
    this.informers = [];
    for (const informer of informers) void informer.stop().catch(() => undefined);
  }
}
