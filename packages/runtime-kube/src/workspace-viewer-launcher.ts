/**
 * Starts a session's workspace viewer on request (docs/adr/0010); the operator calls `ensure` when
 * an API replica asks (a workspace request found no runner). Idempotent by the Job's fixed name.
 *
 * A viewer and a run must not use the (ReadWriteOnce) volume together; the run wins:
 * - no viewer is started while a run Job of the session has not finished;
 * - JobWorkloadRuntime.ensure creates the run's Job, then evicts the viewer;
 * - `ensure` here creates the viewer's Job, then looks for a run Job again and evicts its own viewer
 *   if one appeared.
 * Each side writes its own object before it looks for the other's, so whatever the interleaving, at
 * least one of them sees the other: a viewer never outlives the start of a run by more than its stop.
 */
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import { AgenticSessionKind } from '@ambient/contracts';
import { mintWorkspaceViewerToken, systemClock } from '@ambient/core';
import type { Clock, ResourceStore } from '@ambient/core';
import {
  AGENTIC_SESSION_OWNER,
  claimNameOf,
  DEFAULT_RUNNER_COMMAND,
  DEFAULT_RUNNER_IMAGE,
  RUNNER_APP_LABEL,
} from './job-manifests.ts';
import { DEFAULT_RUNNER_USER_ID } from './job-runtime.ts';
import type { RunnerPodSettings, SessionOwnerKind } from './job-manifests.ts';
import { isHttpStatus, kubeCall, kubeRead, toPlatformError } from './kube-errors.ts';
import {
  evictWorkspaceViewer,
  isJobFinished,
  WORKSPACE_VIEWER_RESOURCES,
  workspaceViewerJob,
  workspaceViewerNameOf,
  workspaceViewerSecret,
} from './workspace-viewer.ts';
import type { WorkspaceViewerSpec } from './workspace-viewer.ts';

export interface WorkspaceViewerLauncherOptions {
  kubeConfig: KubeConfig;
  /** Reads the session (uid, run count) with the operator's identity. */
  store: ResourceStore;
  /** Where the viewer reaches the runner channel (the operator's AMBIENT_SERVER_URL). */
  serverUrl: string;
  /** The HMAC key runner credentials are signed with; the API server verifies with the same. */
  tokenSecret: string;
  /** As for runs (JobRuntimeOptions): the same image and command, in serve-workspace mode. */
  image?: string;
  command?: string[];
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  runAsUser?: number | null;
  serviceAccountName?: string;
  /** The viewer exits after this long without a request (default 5 minutes). */
  idleSeconds?: number;
  /** ...and after this long in any case (default 1 hour). */
  lifetimeSeconds?: number;
  owner?: SessionOwnerKind;
  clock?: Clock;
}

export type WorkspaceViewerOutcome =
  | 'started'
  | 'running'
  /** A run of the session has not finished: its runner serves the files. */
  | 'run-active'
  /** The previous viewer is still going away; the next request starts a new one. */
  | 'stopping'
  | 'no-session'
  /** The session never ran (no volume yet) or its volume is being deleted. */
  | 'no-workspace';

const DEFAULT_IDLE_SECONDS = 300;
const DEFAULT_LIFETIME_SECONDS = 3600;
/** The credential outlives the viewer's deadline a little, never by much. */
const TOKEN_MARGIN_SECONDS = 600;

export class WorkspaceViewerLauncher {
  private readonly batchApi: BatchV1Api;
  private readonly coreApi: CoreV1Api;
  private readonly pod: RunnerPodSettings;
  private readonly owner: SessionOwnerKind;
  private readonly clock: Clock;

  constructor(private readonly options: WorkspaceViewerLauncherOptions) {
    this.batchApi = options.kubeConfig.makeApiClient(BatchV1Api);
    this.coreApi = options.kubeConfig.makeApiClient(CoreV1Api);
    this.owner = options.owner ?? AGENTIC_SESSION_OWNER;
    this.clock = options.clock ?? systemClock;
    this.pod = {
      image: options.image ?? DEFAULT_RUNNER_IMAGE,
      command: options.command ?? DEFAULT_RUNNER_COMMAND,
      imagePullPolicy: options.imagePullPolicy,
      resources: WORKSPACE_VIEWER_RESOURCES,
      runAsUser: options.runAsUser === null ? undefined : (options.runAsUser ?? DEFAULT_RUNNER_USER_ID),
      serviceAccountName: options.serviceAccountName,
      terminationGracePeriodSeconds: 5,
    };
  }

  async ensure(namespace: string, sessionName: string): Promise<WorkspaceViewerOutcome> {
    const session = await this.options.store.get(AgenticSessionKind, namespace, sessionName);
    if (!session) return 'no-session';
    const blocked = await this.blocker(namespace, sessionName, session.status?.runCount ?? 0);
    if (blocked) return blocked;
    const existing = await kubeRead('workspace viewer Job', () =>
      this.batchApi.readNamespacedJob({ namespace, name: workspaceViewerNameOf(sessionName) }),
    );
    if (existing?.metadata?.deletionTimestamp) return 'stopping';
    if (existing && !isJobFinished(existing)) return 'running';
    // A finished viewer (idle exit) keeps its name until deleted: make room for the new one.
    if (existing) await evictWorkspaceViewer(this.batchApi, namespace, sessionName);

    const lifetimeSeconds = this.options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const spec: WorkspaceViewerSpec = {
      namespace,
      sessionName,
      sessionUid: session.metadata.uid,
      workspaceName: sessionName,
      serverUrl: this.options.serverUrl,
      token: mintWorkspaceViewerToken(
        { project: namespace, sessionName, sessionUid: session.metadata.uid, exp: nowSeconds + lifetimeSeconds + TOKEN_MARGIN_SECONDS },
        this.options.tokenSecret,
      ),
      idleSeconds: this.options.idleSeconds ?? DEFAULT_IDLE_SECONDS,
      lifetimeSeconds,
    };
    await this.putSecret(namespace, workspaceViewerSecret(spec, this.owner));
    try {
      await this.batchApi.createNamespacedJob({ namespace, body: workspaceViewerJob(spec, this.pod, this.owner) });
    } catch (error) {
      // 409: a concurrent ensure created it, or the finished one is not gone yet.
      if (isHttpStatus(error, 409)) return existing ? 'stopping' : 'running';
      throw toPlatformError(error, 'workspace viewer Job');
    }
    if (await this.hasActiveRun(namespace, sessionName)) {
      await evictWorkspaceViewer(this.batchApi, namespace, sessionName);
      return 'run-active';
    }
    return 'started';
  }

  /** Why no viewer may start now, if there is a reason. */
  private async blocker(namespace: string, sessionName: string, runCount: number): Promise<WorkspaceViewerOutcome | undefined> {
    if (runCount === 0) return 'no-workspace';
    if (await this.hasActiveRun(namespace, sessionName)) return 'run-active';
    // The workspace name is the session's (reconcilers' workspaceNameOf).
    const claim = await kubeRead('workspace claim', () =>
      this.coreApi.readNamespacedPersistentVolumeClaim({ namespace, name: claimNameOf(sessionName) }),
    );
    if (!claim || claim.metadata?.deletionTimestamp) return 'no-workspace';
    return undefined;
  }

  private async hasActiveRun(namespace: string, sessionName: string): Promise<boolean> {
    const jobs = await kubeCall('runner Jobs', () =>
      this.batchApi.listNamespacedJob({ namespace, labelSelector: `app=${RUNNER_APP_LABEL},agentic-session=${sessionName}` }),
    );
    return jobs.items.some((job) => !isJobFinished(job));
  }

  /** A fresh credential for every viewer: create, or replace the previous viewer's. */
  private async putSecret(namespace: string, secret: V1Secret): Promise<void> {
    const name = secret.metadata?.name ?? '';
    try {
      await this.coreApi.createNamespacedSecret({ namespace, body: secret });
    } catch (error) {
      if (!isHttpStatus(error, 409)) throw toPlatformError(error, 'workspace viewer Secret');
      await kubeCall('workspace viewer Secret', () => this.coreApi.replaceNamespacedSecret({ namespace, name, body: secret }));
    }
  }
}
