/**
 * Cluster WorkloadRuntime: each session run is a batch/v1 Job with its credentials in a Secret and
 * the session's workspace on a PVC (objects: job-manifests.ts; status: workload-status.ts).
 *
 * Semantics match the embedded ProcessWorkloadRuntime (the shared contract suite checks both):
 * - `ensure` is idempotent by name: the Job name is the run name, and every create tolerates 409;
 *   an existing Job is never touched;
 * - the deadline is the Job's activeDeadlineSeconds (the Job controller kills the pod and reports
 *   DeadlineExceeded);
 * - `delete` deletes the Job in the foreground (the Job controller creates no pod for a Job being
 *   deleted, and the Job stays visible until its pod is gone) and the pods with the requested grace
 *   period, so the runner gets SIGTERM and time to flush its outbox;
 * - the workspace outlives runs and goes with the session (ownerReference), or with
 *   `deleteWorkspace`;
 * - a run and the session's workspace viewer never share the volume: `ensure` evicts the viewer
 *   after creating the run's Job, and `deleteWorkspace` evicts it too (workspace-viewer-launcher.ts).
 */
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1OwnerReference, V1ResourceRequirements } from '@kubernetes/client-node';
import type { Unsubscribe, WorkloadRuntime, WorkloadSpec, WorkloadStatus } from '@ambient/core';
import {
  AGENTIC_SESSION_OWNER,
  claimNameOf,
  DEFAULT_RUNNER_COMMAND,
  DEFAULT_RUNNER_IMAGE,
  DEFAULT_RUNNER_RESOURCES,
  JOB_NAME_LABEL,
  runnerJob,
  runnerSecret,
  secretNameOf,
  sessionOwnerReference,
} from './job-manifests.ts';
import type { RunnerPodSettings, SessionOwnerKind, WorkspaceSettings } from './job-manifests.ts';
import { isHttpStatus, kubeCall, kubeRead, toPlatformError } from './kube-errors.ts';
import { copyWorkspaceWithJob, ensureClaim, MERGE_PATCH } from './workload-copy.ts';
import { evictWorkspaceViewer } from './workspace-viewer.ts';
import { workloadStatusOf } from './workload-status.ts';
import { WorkloadWatch } from './workload-watch.ts';

export interface JobRuntimeOptions {
  kubeConfig: KubeConfig;
  /** Runner image and command (default: the published runner image and its bundled entry point). */
  image?: string;
  command?: string[];
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  resources?: V1ResourceRequirements;
  /** Default 1001 (the images' user); `null` on OpenShift, whose SCC picks the UID. */
  runAsUser?: number | null;
  serviceAccountName?: string;
  workspaceSize?: string;
  storageClassName?: string;
  /** Grace period of `delete` when the caller gives none, and of pods Kubernetes stops itself. */
  defaultGracePeriodMs?: number;
  /** Watch only this namespace; by default all namespaces (the operator's ClusterRole allows it). */
  watchNamespace?: string;
  /** The kind owning a session's objects (default AgenticSession, vteam.ambient-code/v1alpha1). */
  owner?: SessionOwnerKind;
  copyTimeoutMs?: number;
  onError?: (message: string) => void;
}

const DEFAULT_GRACE_PERIOD_MS = 15_000;
const DEFAULT_WORKSPACE_SIZE = '10Gi';
const DEFAULT_COPY_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_RUNNER_USER_ID = 1001;

export class JobWorkloadRuntime implements WorkloadRuntime {
  private readonly batchApi: BatchV1Api;
  private readonly coreApi: CoreV1Api;
  private readonly pod: RunnerPodSettings;
  private readonly workspace: WorkspaceSettings;
  private readonly owner: SessionOwnerKind;
  private readonly changes: WorkloadWatch;

  constructor(private readonly options: JobRuntimeOptions) {
    this.batchApi = options.kubeConfig.makeApiClient(BatchV1Api);
    this.coreApi = options.kubeConfig.makeApiClient(CoreV1Api);
    this.owner = options.owner ?? AGENTIC_SESSION_OWNER;
    this.pod = {
      image: options.image ?? DEFAULT_RUNNER_IMAGE,
      command: options.command ?? DEFAULT_RUNNER_COMMAND,
      imagePullPolicy: options.imagePullPolicy,
      resources: options.resources ?? DEFAULT_RUNNER_RESOURCES,
      runAsUser:
        options.runAsUser === null ? undefined : (options.runAsUser ?? DEFAULT_RUNNER_USER_ID),
      serviceAccountName: options.serviceAccountName,
      terminationGracePeriodSeconds: Math.ceil(this.gracePeriodMs() / 1000),
    };
    this.workspace = {
      size: options.workspaceSize ?? DEFAULT_WORKSPACE_SIZE,
      storageClassName: options.storageClassName,
    };
    this.changes = new WorkloadWatch({
      kubeConfig: options.kubeConfig,
      namespace: options.watchNamespace,
      onError: options.onError,
    });
  }

  async ensure(spec: WorkloadSpec): Promise<WorkloadStatus> {
    const existing = await this.get(spec.namespace, spec.name);
    if (existing) {
      // Again, in case an earlier ensure stopped between creating the Job and evicting the viewer.
      if (existing.phase === 'Pending' || existing.phase === 'Running') await evictWorkspaceViewer(this.batchApi, spec.namespace, spec.sessionName);
      return existing;
    }
    await this.ensureSessionClaim(spec);
    // The Secret before the Job: the pod would wait for it anyway (CreateContainerConfigError).
    await this.createToleratingConflict('runner Secret', () =>
      this.coreApi.createNamespacedSecret({
        namespace: spec.namespace,
        body: runnerSecret(spec, this.owner),
      }),
    );
    await this.createToleratingConflict('runner Job', () =>
      this.batchApi.createNamespacedJob({
        namespace: spec.namespace,
        body: runnerJob(spec, this.pod, this.owner),
      }),
    );
    // After the Job exists: a viewer starting concurrently then sees the run and stops itself.
    await evictWorkspaceViewer(this.batchApi, spec.namespace, spec.sessionName);
    return (
      (await this.get(spec.namespace, spec.name)) ?? {
        name: spec.name,
        namespace: spec.namespace,
        phase: 'Pending',
      }
    );
  }

  async get(namespace: string, name: string): Promise<WorkloadStatus | undefined> {
    const [job, pods] = await Promise.all([
      kubeRead('runner Job', () => this.batchApi.readNamespacedJob({ namespace, name })),
      kubeCall('runner pods', () =>
        this.coreApi.listNamespacedPod({ namespace, labelSelector: `${JOB_NAME_LABEL}=${name}` }),
      ),
    ]);
    return workloadStatusOf(namespace, name, job, pods.items);
  }

  async delete(
    namespace: string,
    name: string,
    options: { gracePeriodMs?: number } = {},
  ): Promise<void> {
    const gracePeriodSeconds = Math.ceil((options.gracePeriodMs ?? this.gracePeriodMs()) / 1000);
    await this.deleteToleratingAbsence('runner Job', () =>
      this.batchApi.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Foreground' }),
    );
    // The garbage collector would delete the pod with the template's grace period; this one wins.
    await kubeCall('runner pods', () =>
      this.coreApi.deleteCollectionNamespacedPod({
        namespace,
        labelSelector: `${JOB_NAME_LABEL}=${name}`,
        gracePeriodSeconds,
      }),
    );
    // The run's credential is of no use to anyone after the run.
    await this.deleteToleratingAbsence('runner Secret', () =>
      this.coreApi.deleteNamespacedSecret({ namespace, name: secretNameOf(name) }),
    );
  }

  async copyWorkspace(
    namespace: string,
    fromWorkspace: string,
    toWorkspace: string,
  ): Promise<void> {
    await copyWorkspaceWithJob(
      {
        kubeConfig: this.options.kubeConfig,
        pod: this.pod,
        workspace: this.workspace,
        timeoutMs: this.options.copyTimeoutMs ?? DEFAULT_COPY_TIMEOUT_MS,
        pollIntervalMs: 500,
      },
      namespace,
      fromWorkspace,
      toWorkspace,
    );
  }

  async deleteWorkspace(namespace: string, workspaceName: string): Promise<void> {
    // The viewer is named after the session, whose workspace name is its own name.
    await evictWorkspaceViewer(this.batchApi, namespace, workspaceName);
    // A pod still using the claim holds it (pvc-protection finalizer) until the pod is gone.
    await this.deleteToleratingAbsence('workspace claim', () =>
      this.coreApi.deleteNamespacedPersistentVolumeClaim({
        namespace,
        name: claimNameOf(workspaceName),
      }),
    );
  }

  watch(onChange: (namespace: string, name: string) => void): Unsubscribe {
    return this.changes.subscribe(onChange);
  }

  private gracePeriodMs(): number {
    return this.options.defaultGracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
  }

  /** Creates the workspace PVC if missing; adopts one made by copyWorkspace (no owner yet). */
  private async ensureSessionClaim(spec: WorkloadSpec): Promise<void> {
    const ownerReference = sessionOwnerReference(spec, this.owner);
    const claim = await ensureClaim(
      this.coreApi,
      spec.namespace,
      spec.workspaceName,
      this.workspace,
      ownerReference,
    );
    const owners = claim.metadata?.ownerReferences ?? [];
    if (owners.some((owner) => owner.uid === spec.sessionUid)) return;
    // Only an unowned claim is adopted: never take over another session's workspace.
    if (owners.length > 0) return;
    const adopted: V1OwnerReference[] = [ownerReference];
    await kubeCall('workspace claim', () =>
      this.coreApi.patchNamespacedPersistentVolumeClaim(
        {
          namespace: spec.namespace,
          name: claimNameOf(spec.workspaceName),
          body: { metadata: { ownerReferences: adopted } },
        },
        MERGE_PATCH,
      ),
    );
  }

  private async createToleratingConflict(
    what: string,
    create: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await create();
    } catch (error) {
      // Another ensure of the same run (or an earlier, interrupted one) created it first.
      if (!isHttpStatus(error, 409)) throw toPlatformError(error, what);
    }
  }

  private async deleteToleratingAbsence(
    what: string,
    remove: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await remove();
    } catch (error) {
      if (!isHttpStatus(error, 404)) throw toPlatformError(error, what);
    }
  }
}
