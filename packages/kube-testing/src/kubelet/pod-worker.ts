/**
 * The life of one pod on the process kubelet (restartPolicy Never semantics):
 * Pending (volumes and environment prepared, retried while Secrets etc. are missing) → init
 * containers one by one → all containers as local processes, Running → Succeeded when every
 * container exited 0, else Failed. A graceful deletion SIGTERMs the process groups, SIGKILLs them after
 * the grace period, reports the final status and then removes the pod with gracePeriodSeconds=0, as a
 * real kubelet does.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Container, V1Pod } from '@kubernetes/client-node';
import { mkdirSync } from 'node:fs';
import { planContainerLaunch } from './container-launch.ts';
import type { LaunchPlan } from './container-launch.ts';
import { startContainerProcess } from './container-process.ts';
import type { ContainerExit, ContainerProcess } from './container-process.ts';
import { errorMessage, isApiStatus, mergePatch } from './kube-api.ts';
import { objectLookups } from './object-lookups.ts';
import { PodNotReadyError, prepareVolumes } from './pod-volumes.ts';
import { podStatus } from './pod-status.ts';
import type { ContainerState, PodModel } from './pod-status.ts';

export interface PodWorkerContext {
  kubeConfig: KubeConfig;
  podDirectory: string;
  claimDirectory(namespace: string, claimName: string): string;
  logPath(containerName: string): string;
  baseEnvironment: Record<string, string>;
  pathMappings: Record<string, string>;
  retryIntervalMs: number;
  onError(message: string, error: unknown): void;
}

const DEFAULT_GRACE_SECONDS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PodWorker {
  private pod: V1Pod;
  private readonly coreApi: CoreV1Api;
  private readonly model: PodModel;
  private readonly transitions = new Map<string, string>();
  private readonly processes = new Map<string, ContainerProcess>();
  private statusChain: Promise<void> = Promise.resolve();
  private terminating = false;
  private killed = false;
  private finished = false;
  private killTimer: NodeJS.Timeout | undefined;
  /** Resolves when the pod's processes are over (finished, failed or killed). */
  readonly done: Promise<void>;

  constructor(
    pod: V1Pod,
    private readonly context: PodWorkerContext,
  ) {
    this.pod = pod;
    this.coreApi = context.kubeConfig.makeApiClient(CoreV1Api);
    const waiting = (reason: string): ContainerState => ({ kind: 'waiting', reason });
    const initContainers = pod.spec?.initContainers ?? [];
    this.model = {
      startTime: new Date(),
      phase: 'Pending',
      initialized: initContainers.length === 0,
      initContainers: new Map(
        initContainers.map((container) => [container.name, waiting('PodInitializing')]),
      ),
      containers: new Map(
        (pod.spec?.containers ?? []).map((container) => [
          container.name,
          waiting(initContainers.length ? 'PodInitializing' : 'ContainerCreating'),
        ]),
      ),
    };
    this.done = this.run().catch((error: unknown) =>
      this.context.onError(`pod ${this.key} failed`, error),
    );
  }

  get key(): string {
    return `${this.pod.metadata?.namespace}/${this.pod.metadata?.name}`;
  }

  /** A newer version of the pod from the watch: notices graceful deletion. */
  update(pod: V1Pod): void {
    this.pod = pod;
    if (pod.metadata?.deletionTimestamp && !this.terminating) this.terminate();
  }

  /** The pod is gone from the API (force deletion) or the kubelet stops: kill without reporting. */
  kill(): void {
    this.killed = true;
    this.terminating = true;
    for (const child of this.processes.values()) child.signal('SIGKILL');
  }

  private terminate(): void {
    this.terminating = true;
    const graceSeconds =
      this.pod.metadata?.deletionGracePeriodSeconds ??
      this.pod.spec?.terminationGracePeriodSeconds ??
      DEFAULT_GRACE_SECONDS;
    for (const child of this.processes.values()) child.signal('SIGTERM');
    this.killTimer = setTimeout(() => {
      for (const child of this.processes.values()) child.signal('SIGKILL');
    }, graceSeconds * 1_000);
    this.killTimer.unref();
    if (this.finished) void this.removeFromApi();
  }

  private async run(): Promise<void> {
    this.report();
    const plans = await this.prepare();
    if (plans && (await this.runInitContainers(plans))) {
      this.model.initialized = true;
      await this.runContainers(this.pod.spec?.containers ?? [], plans);
    }
    this.finished = true;
    clearTimeout(this.killTimer);
    if (this.model.phase === 'Pending' || this.model.phase === 'Running')
      this.model.phase = 'Failed';
    this.report();
    await this.statusChain;
    if (this.terminating && !this.killed) await this.removeFromApi();
  }

  /** Volumes and launches for every container; waits (reporting why) until possible. */
  private async prepare(): Promise<Map<string, LaunchPlan> | undefined> {
    let lastMessage = '';
    while (!this.terminating) {
      try {
        mkdirSync(this.context.podDirectory, { recursive: true });
        const namespace = this.pod.metadata?.namespace ?? 'default';
        const lookups = objectLookups(this.context.kubeConfig, namespace);
        const volumeDirectories = await prepareVolumes(this.pod, {
          podDirectory: this.context.podDirectory,
          claimDirectory: this.context.claimDirectory,
          lookups,
        });
        const plans = new Map<string, LaunchPlan>();
        const containers = [
          ...(this.pod.spec?.initContainers ?? []),
          ...(this.pod.spec?.containers ?? []),
        ];
        for (const container of containers) {
          plans.set(
            container.name,
            await planContainerLaunch(this.pod, container, {
              podDirectory: this.context.podDirectory,
              volumeDirectories,
              lookups,
              pathMappings: this.context.pathMappings,
              baseEnvironment: this.context.baseEnvironment,
              logPath: this.context.logPath(container.name),
            }),
          );
        }
        return plans;
      } catch (error) {
        const reason = error instanceof PodNotReadyError ? error.reason : 'ContainerCreating';
        const message = errorMessage(error);
        if (message !== lastMessage) {
          lastMessage = message;
          const states = this.model.initialized ? this.model.containers : this.model.initContainers;
          for (const name of states.keys()) states.set(name, { kind: 'waiting', reason, message });
          this.report();
        }
        await sleep(this.context.retryIntervalMs);
      }
    }
    return undefined;
  }

  /** True when every init container succeeded. */
  private async runInitContainers(plans: Map<string, LaunchPlan>): Promise<boolean> {
    for (const container of this.pod.spec?.initContainers ?? []) {
      if (this.terminating) return false;
      const exit = await this.runContainer(container, plans, this.model.initContainers);
      if (exit !== 0) return false;
    }
    return !this.terminating;
  }

  private async runContainers(
    containers: V1Container[],
    plans: Map<string, LaunchPlan>,
  ): Promise<void> {
    const exits = await Promise.all(
      containers.map((container) => this.runContainer(container, plans, this.model.containers)),
    );
    this.model.phase = exits.every((code) => code === 0) ? 'Succeeded' : 'Failed';
  }

  /** Runs one container to its end, keeping its state (and the pod phase) reported; its exit code. */
  private async runContainer(
    container: V1Container,
    plans: Map<string, LaunchPlan>,
    states: Map<string, ContainerState>,
  ): Promise<number> {
    const plan = plans.get(container.name);
    if (!plan || 'cannotRun' in plan) {
      const message = plan && 'cannotRun' in plan ? plan.cannotRun : 'no launch plan';
      states.set(container.name, {
        kind: 'terminated',
        exitCode: 128,
        reason: 'ContainerCannotRun',
        message,
        finishedAt: new Date(),
      });
      this.report();
      return 128;
    }
    const child = startContainerProcess(plan.launch);
    this.processes.set(container.name, child);
    states.set(container.name, { kind: 'running', startedAt: child.startedAt, pid: child.pid });
    if (states === this.model.containers) this.model.phase = 'Running';
    this.report();
    const exit: ContainerExit = await child.exited;
    this.processes.delete(container.name);
    states.set(container.name, {
      kind: 'terminated',
      exitCode: exit.exitCode,
      signal: exit.signal,
      reason: exit.startError ? 'ContainerCannotRun' : exit.exitCode === 0 ? 'Completed' : 'Error',
      message: exit.startError,
      startedAt: child.startedAt,
      finishedAt: exit.finishedAt,
      pid: child.pid,
    });
    this.report();
    return exit.exitCode;
  }

  /** Queues a status patch; patches go out one at a time, in order. */
  private report(): void {
    if (this.killed) return;
    const name = this.pod.metadata?.name ?? '';
    const namespace = this.pod.metadata?.namespace ?? 'default';
    const body = podStatus(this.pod, this.model, this.transitions);
    this.statusChain = this.statusChain
      .then(() => this.coreApi.patchNamespacedPodStatus({ name, namespace, body }, mergePatch))
      .then(
        () => undefined,
        (error: unknown) => {
          if (!isApiStatus(error, 404)) this.context.onError(`status of pod ${this.key}`, error);
        },
      );
  }

  private async removeFromApi(): Promise<void> {
    const name = this.pod.metadata?.name ?? '';
    const namespace = this.pod.metadata?.namespace ?? 'default';
    try {
      await this.coreApi.deleteNamespacedPod({
        name,
        namespace,
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, preconditions: { uid: this.pod.metadata?.uid } },
      });
    } catch (error) {
      if (!isApiStatus(error, 404) && !isApiStatus(error, 409))
        this.context.onError(`deleting pod ${this.key}`, error);
    }
  }
}
