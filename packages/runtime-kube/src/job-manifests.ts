/**
 * The Kubernetes objects of one session run, as pure functions of the WorkloadSpec (unit-tested
 * without a cluster):
 * - Secret `<run>-env`: the spec's secretEnv (runner token, API keys), read by the container through
 *   envFrom, so no secret value ever sits in the Job or Pod spec;
 * - PVC `<workspace>-workspace`: the session's workspace, kept across runs (resume, continuation);
 * - Job `<run>`: one pod, never restarted by Kubernetes (backoffLimit 0, restartPolicy Never: the
 *   controller decides about another run), a hard deadline, and a restricted security context.
 * All three are owned by the AgenticSession, so deleting the session removes them.
 */
import type {
  V1Job,
  V1OwnerReference,
  V1PersistentVolumeClaim,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1Secret,
  V1SecurityContext,
} from '@kubernetes/client-node';
import type { WorkloadSpec } from '@ambient/core';

export const RUNNER_APP_LABEL = 'ambient-code-runner';
export const RUNNER_CONTAINER_NAME = 'runner';
export const WORKSPACE_MOUNT_PATH = '/workspace';
/** Set by the Job controller on the pods of a Job (Kubernetes 1.20 and later). */
export const JOB_NAME_LABEL = 'job-name';

export interface RunnerPodSettings {
  image: string;
  command: string[];
  imagePullPolicy?: string;
  resources: V1ResourceRequirements;
  /**
   * Undefined on OpenShift: its restricted SCC assigns the UID, groups and seccomp profile (and
   * before 4.11 rejects pods that set a seccomp profile themselves).
   */
  runAsUser?: number;
  serviceAccountName?: string;
  /** How long Kubernetes waits after SIGTERM when it deletes the pod on its own (deadline, GC). */
  terminationGracePeriodSeconds: number;
}

export interface WorkspaceSettings {
  size: string;
  storageClassName?: string;
}

/** The kind that owns a session's objects (the AgenticSession custom resource). */
export interface SessionOwnerKind {
  apiVersion: string;
  kind: string;
}

export const AGENTIC_SESSION_OWNER: SessionOwnerKind = {
  apiVersion: 'vteam.ambient-code/v1alpha1',
  kind: 'AgenticSession',
};

export const DEFAULT_RUNNER_IMAGE = 'quay.io/ambient_code/ambient-runner:latest';
export const DEFAULT_RUNNER_COMMAND = ['node', '/app/apps/runner/dist/main.mjs'];
export const DEFAULT_RUNNER_RESOURCES: V1ResourceRequirements = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '2', memory: '4Gi' },
};

export function secretNameOf(runName: string): string {
  return `${runName}-env`;
}

export function claimNameOf(workspaceName: string): string {
  return `${workspaceName}-workspace`;
}

export function sessionOwnerReference(
  spec: Pick<WorkloadSpec, 'sessionName' | 'sessionUid'>,
  owner: SessionOwnerKind,
): V1OwnerReference {
  // No blockOwnerDeletion: it would only matter for a foreground deletion of the session, and it
  // needs `update agenticsessions/finalizers` where OwnerReferencesPermissionEnforcement is on
  // (OpenShift).
  return { ...owner, name: spec.sessionName, uid: spec.sessionUid, controller: true };
}

export function runLabels(spec: WorkloadSpec): Record<string, string> {
  return { ...spec.labels, app: RUNNER_APP_LABEL, 'agentic-session': spec.sessionName };
}

export function runnerSecret(spec: WorkloadSpec, owner: SessionOwnerKind): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secretNameOf(spec.name),
      namespace: spec.namespace,
      labels: { 'agentic-session': spec.sessionName, 'ambient-code.io/run': spec.name },
      ownerReferences: [sessionOwnerReference(spec, owner)],
    },
    type: 'Opaque',
    stringData: { ...spec.secretEnv },
  };
}

export function workspaceClaim(
  namespace: string,
  workspaceName: string,
  settings: WorkspaceSettings,
  ownerReference?: V1OwnerReference,
): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimNameOf(workspaceName),
      namespace,
      labels: { 'ambient-code.io/workspace': workspaceName },
      ownerReferences: ownerReference ? [ownerReference] : undefined,
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: settings.size } },
      storageClassName: settings.storageClassName,
    },
  };
}

/** Pod- and container-level settings shared by the runner and the workspace copy Job. */
export function restrictedPodSecurity(runAsUser: number | undefined): {
  pod: V1PodSecurityContext;
  container: V1SecurityContext;
} {
  return {
    pod: {
      runAsNonRoot: true,
      runAsUser,
      runAsGroup: runAsUser,
      // The PVC's files belong to this group, so the runner can write a freshly provisioned volume.
      fsGroup: runAsUser,
      seccompProfile: runAsUser === undefined ? undefined : { type: 'RuntimeDefault' },
    },
    container: {
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      // Claude Code, git and npm write to HOME and caches; HOME lives on the PVC, the rest in /tmp.
      readOnlyRootFilesystem: false,
      runAsNonRoot: true,
    },
  };
}

export function runnerJob(
  spec: WorkloadSpec,
  settings: RunnerPodSettings,
  owner: SessionOwnerKind,
): V1Job {
  const labels = runLabels(spec);
  const security = restrictedPodSecurity(settings.runAsUser);
  // A key in both maps comes from the Secret, as in embedded mode (secretEnv wins); Kubernetes
  // would let `env` win over `envFrom`, so such keys are left out of `env`.
  const plainEnv = Object.entries(spec.env)
    .filter(([name]) => !(name in spec.secretEnv))
    .map(([name, value]) => ({ name, value }));
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels,
      ownerReferences: [sessionOwnerReference(spec, owner)],
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: spec.activeDeadlineSeconds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          serviceAccountName: settings.serviceAccountName,
          // Service links would add an env variable per Service in the project: noise, and a leak of topology.
          enableServiceLinks: false,
          terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
          securityContext: security.pod,
          containers: [
            {
              name: RUNNER_CONTAINER_NAME,
              image: settings.image,
              imagePullPolicy: settings.imagePullPolicy,
              command: settings.command,
              workingDir: WORKSPACE_MOUNT_PATH,
              env: [
                ...plainEnv,
                { name: 'AMBIENT_WORKSPACE_DIR', value: WORKSPACE_MOUNT_PATH },
                { name: 'HOME', value: `${WORKSPACE_MOUNT_PATH}/.ambient/home` },
              ],
              envFrom: [{ secretRef: { name: secretNameOf(spec.name) } }],
              resources: settings.resources,
              securityContext: security.container,
              volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE_MOUNT_PATH }],
            },
          ],
          volumes: [
            {
              name: 'workspace',
              persistentVolumeClaim: { claimName: claimNameOf(spec.workspaceName) },
            },
          ],
        },
      },
    },
  };
}
