/**
 * Seeding a continuation session's workspace from its parent's (WorkloadRuntime.copyWorkspace) in
 * cluster mode, where the files live on PVCs the controller cannot read directly:
 *
 * 1. nothing to do when the parent's PVC is gone, or the child's PVC says it was already seeded
 *    (annotation `ambient-code.io/copied-from`);
 * 2. create the child's PVC if missing (without an owner: copyWorkspace does not know the session's
 *    uid; `ensure` adopts it for the session right after);
 * 3. run a one-off Job `<child>-workspace-copy` that mounts both PVCs (the parent's read-only) and
 *    copies everything except the runner's bookkeeping (`.ambient`), unless the child already has
 *    content, with the runner image and the same restricted security context as a run;
 * 4. wait for it, record the annotation, delete the Job.
 * The Job is owned by the child's PVC, so it goes with the session if anything is left behind. Its
 * name is deterministic: a controller that crashes mid-copy waits for the same Job next time.
 * Both PVCs are ReadWriteOnce; the pod may run anywhere only because the parent's run has ended
 * (a continuation starts from a finished session).
 */
import { BatchV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeConfig, V1Job, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { claimNameOf, restrictedPodSecurity, workspaceClaim } from './job-manifests.ts';
import type { RunnerPodSettings, WorkspaceSettings } from './job-manifests.ts';
import { isHttpStatus, kubeCall, kubeRead, toPlatformError } from './kube-errors.ts';

export const COPIED_FROM_ANNOTATION = 'ambient-code.io/copied-from';
export const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Paths reach the script through env variables (a kubelet maps env values, not script text). */
const COPY_SCRIPT = [
  'set -eu',
  'if find "$TARGET_DIR" -mindepth 1 -maxdepth 1 ! -name .ambient | grep -q .; then',
  '  echo "the target workspace already has content; nothing copied"',
  '  exit 0',
  'fi',
  'find "$SOURCE_DIR" -mindepth 1 -maxdepth 1 ! -name .ambient -exec cp -a {} "$TARGET_DIR"/ \\;',
].join('\n');

export interface WorkspaceCopyContext {
  kubeConfig: KubeConfig;
  pod: RunnerPodSettings;
  workspace: WorkspaceSettings;
  timeoutMs: number;
  pollIntervalMs: number;
}

export function copyJobNameOf(toWorkspace: string): string {
  return `${claimNameOf(toWorkspace)}-copy`;
}

export function workspaceCopyJob(
  namespace: string,
  fromWorkspace: string,
  target: V1PersistentVolumeClaim,
  pod: RunnerPodSettings,
  timeoutMs: number,
): V1Job {
  const security = restrictedPodSecurity(pod.runAsUser);
  const toWorkspace = target.metadata?.labels?.['ambient-code.io/workspace'] ?? '';
  const labels = { 'ambient-code.io/workspace-copy': toWorkspace };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: copyJobNameOf(toWorkspace),
      namespace,
      labels,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: target.metadata?.name ?? '',
          uid: target.metadata?.uid ?? '',
        },
      ],
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: Math.ceil(timeoutMs / 1000),
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: security.pod,
          containers: [
            {
              name: 'copy',
              image: pod.image,
              imagePullPolicy: pod.imagePullPolicy,
              command: ['sh', '-c', COPY_SCRIPT],
              env: [
                { name: 'SOURCE_DIR', value: '/source' },
                { name: 'TARGET_DIR', value: '/target' },
              ],
              resources: {
                requests: { cpu: '100m', memory: '64Mi' },
                limits: { cpu: '1', memory: '256Mi' },
              },
              securityContext: security.container,
              volumeMounts: [
                { name: 'source', mountPath: '/source', readOnly: true },
                { name: 'target', mountPath: '/target' },
              ],
            },
          ],
          volumes: [
            {
              name: 'source',
              persistentVolumeClaim: { claimName: claimNameOf(fromWorkspace), readOnly: true },
            },
            { name: 'target', persistentVolumeClaim: { claimName: target.metadata?.name ?? '' } },
          ],
        },
      },
    },
  };
}

export async function copyWorkspaceWithJob(
  context: WorkspaceCopyContext,
  namespace: string,
  fromWorkspace: string,
  toWorkspace: string,
): Promise<void> {
  const coreApi = context.kubeConfig.makeApiClient(CoreV1Api);
  const batchApi = context.kubeConfig.makeApiClient(BatchV1Api);
  const source = await kubeRead('source workspace', () =>
    coreApi.readNamespacedPersistentVolumeClaim({ namespace, name: claimNameOf(fromWorkspace) }),
  );
  if (!source) return;
  const target = await ensureClaim(coreApi, namespace, toWorkspace, context.workspace);
  if (target.metadata?.annotations?.[COPIED_FROM_ANNOTATION]) return;

  const jobName = copyJobNameOf(toWorkspace);
  try {
    await batchApi.createNamespacedJob({
      namespace,
      body: workspaceCopyJob(namespace, fromWorkspace, target, context.pod, context.timeoutMs),
    });
  } catch (error) {
    // 409: an earlier attempt's Job (a crashed controller); wait for that one.
    if (!isHttpStatus(error, 409)) throw toPlatformError(error, 'workspace copy Job');
  }
  const outcome = await waitForJob(batchApi, namespace, jobName, context);
  await batchApi
    .deleteNamespacedJob({ namespace, name: jobName, propagationPolicy: 'Background' })
    .catch(() => undefined);
  if (outcome !== 'Complete')
    throw new Error(`copying workspace ${fromWorkspace} to ${toWorkspace} failed: ${outcome}`);
  await kubeCall('workspace claim', () =>
    coreApi.patchNamespacedPersistentVolumeClaim(
      {
        namespace,
        name: target.metadata?.name ?? '',
        body: { metadata: { annotations: { [COPIED_FROM_ANNOTATION]: fromWorkspace } } },
      },
      MERGE_PATCH,
    ),
  );
}

export async function ensureClaim(
  coreApi: CoreV1Api,
  namespace: string,
  workspaceName: string,
  settings: WorkspaceSettings,
  owner?: Parameters<typeof workspaceClaim>[3],
): Promise<V1PersistentVolumeClaim> {
  const name = claimNameOf(workspaceName);
  const existing = await kubeRead('workspace claim', () =>
    coreApi.readNamespacedPersistentVolumeClaim({ namespace, name }),
  );
  if (existing) return existing;
  try {
    return await coreApi.createNamespacedPersistentVolumeClaim({
      namespace,
      body: workspaceClaim(namespace, workspaceName, settings, owner),
    });
  } catch (error) {
    if (!isHttpStatus(error, 409)) throw toPlatformError(error, 'workspace claim');
    return kubeCall('workspace claim', () =>
      coreApi.readNamespacedPersistentVolumeClaim({ namespace, name }),
    );
  }
}

/** 'Complete', or why not (the Job's Failed condition, or a timeout). */
async function waitForJob(
  batchApi: BatchV1Api,
  namespace: string,
  name: string,
  context: WorkspaceCopyContext,
): Promise<string> {
  const deadline = Date.now() + context.timeoutMs;
  while (Date.now() < deadline) {
    const job = await kubeRead('workspace copy Job', () =>
      batchApi.readNamespacedJob({ namespace, name }),
    );
    if (!job) return 'the copy Job disappeared';
    const conditions = job.status?.conditions ?? [];
    if (
      conditions.some((condition) => condition.type === 'Complete' && condition.status === 'True')
    )
      return 'Complete';
    const failed = conditions.find(
      (condition) => condition.type === 'Failed' && condition.status === 'True',
    );
    if (failed) return `${failed.reason ?? 'Failed'}: ${failed.message ?? 'the copy Job failed'}`;
    await new Promise((resolve) => setTimeout(resolve, context.pollIntervalMs));
  }
  return `timed out after ${context.timeoutMs} ms`;
}
