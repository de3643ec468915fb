/** The workspace viewer's objects: names apart from runs, serve-workspace mode, no secret in the Job. */
import { describe, expect, it } from 'vitest';
import { RUNNER_ENV, RUNNER_MODE } from '@ambient/contracts';
import { AGENTIC_SESSION_OWNER, DEFAULT_RUNNER_RESOURCES, runnerJob, secretNameOf } from './job-manifests.ts';
import type { RunnerPodSettings } from './job-manifests.ts';
import { copyJobNameOf } from './workload-copy.ts';
import { isJobFinished, workspaceViewerJob, workspaceViewerNameOf, workspaceViewerSecret, workspaceViewerSecretNameOf } from './workspace-viewer.ts';
import type { WorkspaceViewerSpec } from './workspace-viewer.ts';

const spec: WorkspaceViewerSpec = {
  namespace: 'p1',
  sessionName: 's1',
  sessionUid: 'uid-1',
  workspaceName: 's1',
  serverUrl: 'http://ambient-api:8080',
  token: 'awv1.payload.signature',
  idleSeconds: 300,
  lifetimeSeconds: 3600,
};

const pod: RunnerPodSettings = {
  image: 'quay.io/ambient_code/ambient-runner:latest',
  command: ['node', '/app/apps/runner/dist/main.mjs'],
  resources: DEFAULT_RUNNER_RESOURCES,
  runAsUser: 1001,
  terminationGracePeriodSeconds: 15,
};

describe('workspace viewer objects', () => {
  const job = workspaceViewerJob(spec, pod, AGENTIC_SESSION_OWNER);
  const podSpec = job.spec?.template.spec;
  const container = podSpec?.containers[0];
  const env = Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value]));

  it('has names of its own, never a run\'s or the workspace copy\'s', () => {
    const run = runnerJob({ name: 's1-run-1', namespace: 'p1', sessionName: 's1', sessionUid: 'uid-1', workspaceName: 's1', env: {}, secretEnv: {} }, pod, AGENTIC_SESSION_OWNER);
    expect(job.metadata?.name).toBe('s1-workspace-viewer');
    expect([run.metadata?.name, copyJobNameOf('s1')]).not.toContain(job.metadata?.name);
    expect(workspaceViewerSecretNameOf('s1')).not.toBe(secretNameOf('s1-run-1'));
    expect(job.metadata?.labels?.['app']).not.toBe(run.metadata?.labels?.['app']);
  });

  it('keeps long session names within the 63 characters of a label, deterministically', () => {
    const long = `session-${'x'.repeat(55)}`;
    const name = workspaceViewerNameOf(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toBe(workspaceViewerNameOf(long));
    expect(name).not.toBe(workspaceViewerNameOf(`${long.slice(0, -1)}y`));
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('runs the runner command in serve-workspace mode on the session\'s volume, as its owner\'s', () => {
    expect(container?.command).toEqual(pod.command);
    expect(env).toMatchObject({
      [RUNNER_ENV.mode]: RUNNER_MODE.serveWorkspace,
      [RUNNER_ENV.serverUrl]: 'http://ambient-api:8080',
      [RUNNER_ENV.workspaceDir]: '/workspace',
      [RUNNER_ENV.viewerIdleSeconds]: '300',
    });
    expect(podSpec?.volumes).toEqual([{ name: 'workspace', persistentVolumeClaim: { claimName: 's1-workspace' } }]);
    expect(container?.volumeMounts).toEqual([{ name: 'workspace', mountPath: '/workspace' }]);
    expect(job.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'AgenticSession', name: 's1', uid: 'uid-1', controller: true })]);
    expect(job.spec?.backoffLimit).toBe(0);
    expect(job.spec?.activeDeadlineSeconds).toBeGreaterThan(spec.lifetimeSeconds);
    expect(podSpec?.automountServiceAccountToken).toBe(false);
    expect(container?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  it('keeps its credential in the Secret only', () => {
    expect(JSON.stringify(job)).not.toContain(spec.token);
    expect(container?.envFrom).toEqual([{ secretRef: { name: workspaceViewerSecretNameOf('s1') } }]);
    const secret = workspaceViewerSecret(spec, AGENTIC_SESSION_OWNER);
    expect(secret.stringData).toEqual({ [RUNNER_ENV.token]: spec.token });
    expect(secret.metadata?.ownerReferences?.[0]?.uid).toBe('uid-1');
  });

  it('tells a finished Job from one still going', () => {
    expect(isJobFinished({ status: { conditions: [{ type: 'Complete', status: 'True' }] } })).toBe(true);
    expect(isJobFinished({ status: { conditions: [{ type: 'Failed', status: 'True' }] } })).toBe(true);
    expect(isJobFinished({ status: { active: 1 } })).toBe(false);
  });
});
