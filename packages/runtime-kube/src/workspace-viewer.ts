/**
 * The workspace viewer's objects (docs/adr/0010), as pure functions like job-manifests.ts:
 * - Secret `<session>-workspace-viewer-env`: its channel credential (a workspace viewer token,
 *   scoped to the session), read through envFrom so the Job spec holds no secret;
 * - Job `<session>-workspace-viewer`: the runner image and command in serve-workspace mode, with the
 *   session's workspace PVC mounted read-write, one attempt, small resources, a hard deadline
 *   a little past the viewer's own lifetime, and the same restricted security context as a run.
 * The names cannot collide with a run's (`<session>-run-<n>`, `<run>-env`) or the workspace copy's
 * (`<session>-workspace-copy`). Both objects are owned by the AgenticSession, so they go with it.
 */
import { createHash } from 'node:crypto';
import type { BatchV1Api, V1Job, V1ResourceRequirements, V1Secret } from '@kubernetes/client-node';
import { RUNNER_ENV, RUNNER_MODE } from '@ambient/contracts';
import { claimNameOf, restrictedPodSecurity, sessionOwnerReference, WORKSPACE_MOUNT_PATH } from './job-manifests.ts';
import type { RunnerPodSettings, SessionOwnerKind } from './job-manifests.ts';
import { isHttpStatus, toPlatformError } from './kube-errors.ts';

export const WORKSPACE_VIEWER_APP_LABEL = 'ambient-code-workspace-viewer';
export const WORKSPACE_VIEWER_CONTAINER_NAME = 'workspace-viewer';
export const WORKSPACE_VIEWER_RESOURCES: V1ResourceRequirements = {
  requests: { cpu: '50m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};
/** The Job deadline beyond the viewer's own lifetime (it normally ends itself first). */
const DEADLINE_MARGIN_SECONDS = 120;
/** A viewer only answers requests: it may stop at once. */
const TERMINATION_GRACE_PERIOD_SECONDS = 5;
/** Pods carry their Job's name in a label, at most 63 characters. */
const MAX_JOB_NAME_LENGTH = 63;
const NAME_SUFFIX = '-workspace-viewer';

export interface WorkspaceViewerSpec {
  namespace: string;
  sessionName: string;
  sessionUid: string;
  /** The session's workspace (its PVC is `<workspaceName>-workspace`). */
  workspaceName: string;
  /** Where the viewer reaches the API server's runner channel. */
  serverUrl: string;
  /** The viewer's credential (core/workspace-viewer-token.ts); goes into the Secret only. */
  token: string;
  idleSeconds: number;
  lifetimeSeconds: number;
}

/** Deterministic per session; a long session name is shortened with a hash to stay a valid label. */
export function workspaceViewerNameOf(sessionName: string): string {
  const name = `${sessionName}${NAME_SUFFIX}`;
  if (name.length <= MAX_JOB_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(sessionName).digest('hex').slice(0, 8);
  const prefix = sessionName.slice(0, MAX_JOB_NAME_LENGTH - NAME_SUFFIX.length - hash.length - 1).replace(/-+$/, '');
  return `${prefix}-${hash}${NAME_SUFFIX}`;
}

export function workspaceViewerSecretNameOf(sessionName: string): string {
  return `${workspaceViewerNameOf(sessionName)}-env`;
}

function viewerLabels(spec: WorkspaceViewerSpec): Record<string, string> {
  return { app: WORKSPACE_VIEWER_APP_LABEL, 'agentic-session': spec.sessionName, 'ambient-code.io/workspace': spec.workspaceName };
}

export function workspaceViewerSecret(spec: WorkspaceViewerSpec, owner: SessionOwnerKind): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: workspaceViewerSecretNameOf(spec.sessionName),
      namespace: spec.namespace,
      labels: viewerLabels(spec),
      ownerReferences: [sessionOwnerReference(spec, owner)],
    },
    type: 'Opaque',
    stringData: { [RUNNER_ENV.token]: spec.token },
  };
}

export function workspaceViewerJob(spec: WorkspaceViewerSpec, pod: RunnerPodSettings, owner: SessionOwnerKind): V1Job {
  const labels = viewerLabels(spec);
  const security = restrictedPodSecurity(pod.runAsUser);
  const env: Record<string, string> = {
    [RUNNER_ENV.mode]: RUNNER_MODE.serveWorkspace,
    [RUNNER_ENV.serverUrl]: spec.serverUrl,
    [RUNNER_ENV.project]: spec.namespace,
    [RUNNER_ENV.sessionName]: spec.sessionName,
    [RUNNER_ENV.workspaceDir]: WORKSPACE_MOUNT_PATH,
    [RUNNER_ENV.viewerIdleSeconds]: String(spec.idleSeconds),
    [RUNNER_ENV.viewerLifetimeSeconds]: String(spec.lifetimeSeconds),
    // Not the run's HOME on the volume: the viewer leaves the runner's state alone.
    HOME: '/tmp',
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: workspaceViewerNameOf(spec.sessionName),
      namespace: spec.namespace,
      labels,
      ownerReferences: [sessionOwnerReference(spec, owner)],
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: spec.lifetimeSeconds + DEADLINE_MARGIN_SECONDS,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          serviceAccountName: pod.serviceAccountName,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
          securityContext: security.pod,
          containers: [
            {
              name: WORKSPACE_VIEWER_CONTAINER_NAME,
              image: pod.image,
              imagePullPolicy: pod.imagePullPolicy,
              command: pod.command,
              workingDir: WORKSPACE_MOUNT_PATH,
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              envFrom: [{ secretRef: { name: workspaceViewerSecretNameOf(spec.sessionName) } }],
              resources: WORKSPACE_VIEWER_RESOURCES,
              securityContext: security.container,
              volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE_MOUNT_PATH }],
            },
          ],
          volumes: [{ name: 'workspace', persistentVolumeClaim: { claimName: claimNameOf(spec.workspaceName) } }],
        },
      },
    },
  };
}

/** Whether a Job has ended (Complete or Failed). */
export function isJobFinished(job: V1Job): boolean {
  return (job.status?.conditions ?? []).some(
    (condition) => (condition.type === 'Complete' || condition.type === 'Failed') && condition.status === 'True',
  );
}

/**
 * Ends a session's workspace viewer, if any: a run is about to use the (ReadWriteOnce) volume, or
 * the workspace goes. Background propagation: the Job goes at once, its pod (5 s grace) right after.
 * Needs only `delete jobs`, which both the operator and the API server hold.
 */
export async function evictWorkspaceViewer(batchApi: BatchV1Api, namespace: string, sessionName: string): Promise<void> {
  try {
    await batchApi.deleteNamespacedJob({ namespace, name: workspaceViewerNameOf(sessionName), propagationPolicy: 'Background' });
  } catch (error) {
    if (!isHttpStatus(error, 404)) throw toPlatformError(error, 'workspace viewer Job');
  }
}
