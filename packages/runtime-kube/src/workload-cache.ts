/**
 * Runner Jobs and their Pods as the watch last showed them: client-node informers (list, then
 * watch) on objects labelled `app=ambient-code-runner`, Pods indexed by their run (the `job-name`
 * label), and change notifications per run, like WorkloadWatch. The informers run while someone
 * holds the cache (`retain`, `subscribe`); their re-list after a gap reports every run again.
 *
 * `status` answers only for runs it holds (a Job or a Pod): a run it does not hold may be one the
 * watch has not delivered yet, so absence is for the caller to confirm (cached-job-runtime.ts).
 * managedFields are dropped from the cached objects: nothing here reads them and they are a large
 * part of each object.
 */
import { BatchV1Api, CoreV1Api, ListWatch, Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject, V1Job, V1Pod } from '@kubernetes/client-node';
import type { Unsubscribe, WorkloadStatus } from '@ambient/core';
import { JOB_NAME_LABEL, RUNNER_APP_LABEL } from './job-manifests.ts';
import { workloadStatusOf } from './workload-status.ts';

export type WorkloadChangeListener = (namespace: string, name: string) => void;

export interface WorkloadCacheOptions {
  kubeConfig: KubeConfig;
  /** Only this namespace (needs only namespaced list/watch rights); all namespaces when omitted. */
  namespace?: string;
  restartDelayMs?: number;
  onError?: (message: string) => void;
}

const LABEL_SELECTOR = `app=${RUNNER_APP_LABEL}`;
const DEFAULT_RESTART_DELAY_MS = 2_000;

function runOfPod(pod: V1Pod): string | undefined {
  return pod.metadata?.labels?.[JOB_NAME_LABEL] ?? pod.metadata?.ownerReferences?.find((owner) => owner.kind === 'Job')?.name;
}

function withoutManagedFields<T extends KubernetesObject>(object: T): T {
  if (object.metadata) delete object.metadata.managedFields;
  return object;
}

interface Informer<T extends KubernetesObject> {
  watch: ListWatch<T>;
  /** Listed and watching, with no failure since. */
  ready: boolean;
  /** A failure during the current start attempt (ListWatch reports a failed list as an event). */
  failed: boolean;
}

export class WorkloadCache {
  readonly #options: WorkloadCacheOptions;
  readonly #listeners = new Set<WorkloadChangeListener>();
  #holders = 0;
  #jobs: Informer<V1Job> | undefined;
  #pods: Informer<V1Pod> | undefined;
  /** namespace/run → pod name → pod. */
  readonly #podsByRun = new Map<string, Map<string, V1Pod>>();
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  #synced: Promise<void> | undefined;

  constructor(options: WorkloadCacheOptions) {
    this.#options = options;
  }

  /** Both informers have listed and watch (nothing failed since). */
  get synced(): boolean {
    return Boolean(this.#jobs?.ready && this.#pods?.ready);
  }

  /** Keeps the informers running until the returned function is called; resolves once listed. */
  async retain(): Promise<Unsubscribe> {
    this.#holders += 1;
    if (this.#holders === 1) this.#start();
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#holders -= 1;
      if (this.#holders === 0) this.#stop();
    };
    await this.#synced;
    return release;
  }

  /** Calls `listener(namespace, run)` for every change of a run's Job or Pods while subscribed. */
  subscribe(listener: WorkloadChangeListener): Unsubscribe {
    // A fresh function per subscription, so subscribing the same listener twice is two subscriptions.
    const entry: WorkloadChangeListener = (namespace, name) => listener(namespace, name);
    this.#listeners.add(entry);
    const retained = this.retain();
    return () => {
      this.#listeners.delete(entry);
      void retained.then((release) => release());
    };
  }

  /** The run's status from the cached Job and Pods; undefined when neither is cached. */
  status(namespace: string, name: string): WorkloadStatus | undefined {
    if (!this.synced) return undefined;
    const job = this.#jobs?.watch.get(name, namespace);
    const pods = [...(this.#podsByRun.get(`${namespace}/${name}`)?.values() ?? [])];
    return workloadStatusOf(namespace, name, job, pods);
  }

  #start(): void {
    const { kubeConfig, namespace } = this.#options;
    const batchApi = kubeConfig.makeApiClient(BatchV1Api);
    const coreApi = kubeConfig.makeApiClient(CoreV1Api);
    const scope = namespace ? `/namespaces/${namespace}` : '';
    const jobs = new ListWatch<V1Job>(
      `/apis/batch/v1${scope}/jobs`,
      new Watch(kubeConfig),
      async () => {
        const list = namespace
          ? await batchApi.listNamespacedJob({ namespace, labelSelector: LABEL_SELECTOR })
          : await batchApi.listJobForAllNamespaces({ labelSelector: LABEL_SELECTOR });
        return { ...list, items: list.items.map(withoutManagedFields) };
      },
      false,
      LABEL_SELECTOR,
    );
    const pods = new ListWatch<V1Pod>(
      `/api/v1${scope}/pods`,
      new Watch(kubeConfig),
      async () => {
        const list = namespace
          ? await coreApi.listNamespacedPod({ namespace, labelSelector: LABEL_SELECTOR })
          : await coreApi.listPodForAllNamespaces({ labelSelector: LABEL_SELECTOR });
        return { ...list, items: list.items.map(withoutManagedFields) };
      },
      false,
      LABEL_SELECTOR,
    );
    // The informer has stored the object when these run: a listener that reads sees the change.
    const onJob = (job: V1Job): void => {
      withoutManagedFields(job);
      this.#notify(job.metadata?.namespace, job.metadata?.name);
    };
    const onPod = (pod: V1Pod): void => {
      withoutManagedFields(pod);
      this.#indexPod(pod, true);
      this.#notify(pod.metadata?.namespace, runOfPod(pod));
    };
    const onPodGone = (pod: V1Pod): void => {
      this.#indexPod(pod, false);
      this.#notify(pod.metadata?.namespace, runOfPod(pod));
    };
    jobs.on('change', onJob);
    pods.on('add', onPod);
    pods.on('update', onPod);
    pods.on('delete', onPodGone);
    const jobInformer: Informer<V1Job> = { watch: jobs, ready: false, failed: false };
    const podInformer: Informer<V1Pod> = { watch: pods, ready: false, failed: false };
    jobs.on('error', (error: unknown) => this.#failed(jobInformer, error));
    pods.on('error', (error: unknown) => this.#failed(podInformer, error));
    this.#jobs = jobInformer;
    this.#pods = podInformer;
    this.#synced = Promise.all([this.#run(jobInformer), this.#run(podInformer)]).then(() => undefined);
  }

  /** Starts (or restarts) one informer; resolves when it has listed, or failed and will retry. */
  async #run<T extends KubernetesObject>(informer: Informer<T>): Promise<void> {
    informer.failed = false;
    try {
      await informer.watch.start();
      informer.ready = !informer.failed && this.#isCurrent(informer);
    } catch (error) {
      this.#failed(informer, error);
    }
  }

  /** Informers stop on a failed list or watch (API server restart, expired token): start again later. */
  #failed<T extends KubernetesObject>(informer: Informer<T>, error: unknown): void {
    informer.failed = true;
    informer.ready = false;
    if (!this.#isCurrent(informer)) return;
    this.#options.onError?.(`runner workload watch failed, restarting: ${error instanceof Error ? error.message : String(error)}`);
    const timer = setTimeout(() => {
      this.#restartTimers.delete(timer);
      if (this.#isCurrent(informer)) void this.#run(informer);
    }, this.#options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS);
    timer.unref();
    this.#restartTimers.add(timer);
  }

  #isCurrent<T extends KubernetesObject>(informer: Informer<T>): boolean {
    return this.#holders > 0 && ((informer as Informer<KubernetesObject>) === this.#jobs || (informer as Informer<KubernetesObject>) === this.#pods);
  }

  #stop(): void {
    for (const timer of this.#restartTimers) clearTimeout(timer);
    this.#restartTimers.clear();
    for (const informer of [this.#jobs, this.#pods]) void informer?.watch.stop().catch(() => undefined);
    this.#jobs = undefined;
    this.#pods = undefined;
    this.#podsByRun.clear();
    this.#synced = undefined;
  }

  #indexPod(pod: V1Pod, present: boolean): void {
    const run = runOfPod(pod);
    const name = pod.metadata?.name;
    if (!run || !name) return;
    const key = `${pod.metadata?.namespace ?? ''}/${run}`;
    const pods = this.#podsByRun.get(key) ?? new Map<string, V1Pod>();
    if (present) pods.set(name, pod);
    else pods.delete(name);
    if (pods.size > 0) this.#podsByRun.set(key, pods);
    else this.#podsByRun.delete(key);
  }

  #notify(namespace: string | undefined, name: string | undefined): void {
    if (!namespace || !name) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(namespace, name);
      } catch (error) {
        this.#options.onError?.(`a workload watch listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
