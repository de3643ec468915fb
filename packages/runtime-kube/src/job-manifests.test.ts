/** The objects of one run: layout, ownership, security context, and no secret in the Job. */
import { describe, expect, it } from 'vitest';
import type { WorkloadSpec } from '@ambient/core';
import {
  AGENTIC_SESSION_OWNER,
  DEFAULT_RUNNER_RESOURCES,
  runnerJob,
  runnerSecret,
  workspaceClaim,
} from './job-manifests.ts';
import type { RunnerPodSettings } from './job-manifests.ts';
import { workspaceCopyJob } from './workload-copy.ts';

const spec: WorkloadSpec = {
  name: 's1-run-2',
  namespace: 'p1',
  sessionName: 's1',
  sessionUid: 'uid-1',
  workspaceName: 's1',
  env: { AMBIENT_SERVER_URL: 'http://api:8080', SHADOWED: 'plain' },
  secretEnv: { AMBIENT_RUNNER_TOKEN: 'token-value', SHADOWED: 'secret-value' },
  activeDeadlineSeconds: 600,
  labels: { 'agentic-session': 's1', app: 'ambient-code-runner' },
};

const pod: RunnerPodSettings = {
  image: 'quay.io/ambient_code/ambient-runner:latest',
  command: ['node', '/app/apps/runner/dist/main.mjs'],
  resources: DEFAULT_RUNNER_RESOURCES,
  runAsUser: 1001,
  terminationGracePeriodSeconds: 15,
};

describe('runner Job', () => {
  const job = runnerJob(spec, pod, AGENTIC_SESSION_OWNER);
  const podSpec = job.spec?.template.spec;
  const container = podSpec?.containers[0];

  it('is one attempt with a deadline, owned by the session', () => {
    expect(job.metadata?.name).toBe('s1-run-2');
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600 });
    expect(podSpec?.restartPolicy).toBe('Never');
    expect(job.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'vteam.ambient-code/v1alpha1',
        kind: 'AgenticSession',
        name: 's1',
        uid: 'uid-1',
        controller: true,
      },
    ]);
    expect(job.metadata?.labels).toMatchObject({
      app: 'ambient-code-runner',
      'agentic-session': 's1',
    });
    expect(job.spec?.template.metadata?.labels).toMatchObject({
      app: 'ambient-code-runner',
      'agentic-session': 's1',
    });
  });

  it('runs restricted: non-root, no privilege escalation, no capabilities, no API token', () => {
    expect(podSpec?.automountServiceAccountToken).toBe(false);
    expect(podSpec?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1001,
      fsGroup: 1001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: false,
    });
    expect(container?.resources).toEqual(DEFAULT_RUNNER_RESOURCES);
  });

  it('leaves the UID to the platform when runAsUser is unset (OpenShift SCC)', () => {
    const openshift = runnerJob(spec, { ...pod, runAsUser: undefined }, AGENTIC_SESSION_OWNER);
    expect(openshift.spec?.template.spec?.securityContext?.runAsUser).toBeUndefined();
    expect(openshift.spec?.template.spec?.securityContext).toEqual({ runAsNonRoot: true });
  });

  it('mounts the session workspace and takes secrets only through the run Secret', () => {
    expect(podSpec?.volumes).toEqual([
      { name: 'workspace', persistentVolumeClaim: { claimName: 's1-workspace' } },
    ]);
    expect(container?.volumeMounts).toEqual([{ name: 'workspace', mountPath: '/workspace' }]);
    expect(container?.workingDir).toBe('/workspace');
    expect(container?.envFrom).toEqual([{ secretRef: { name: 's1-run-2-env' } }]);
    const env = Object.fromEntries(
      (container?.env ?? []).map((variable) => [variable.name, variable.value]),
    );
    expect(env).toMatchObject({
      AMBIENT_SERVER_URL: 'http://api:8080',
      AMBIENT_WORKSPACE_DIR: '/workspace',
    });
    // A key in secretEnv comes from the Secret, as in embedded mode.
    expect(env).not.toHaveProperty('SHADOWED');
    const text = JSON.stringify(job);
    expect(text).not.toContain('token-value');
    expect(text).not.toContain('secret-value');
  });
});

describe('run Secret and workspace claim', () => {
  it('holds secretEnv in a Secret owned by the session', () => {
    const secret = runnerSecret(spec, AGENTIC_SESSION_OWNER);
    expect(secret.metadata?.name).toBe('s1-run-2-env');
    expect(secret.stringData).toEqual(spec.secretEnv);
    expect(secret.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'AgenticSession',
      uid: 'uid-1',
    });
  });

  it('claims the workspace ReadWriteOnce with the configured size', () => {
    const claim = workspaceClaim('p1', 's1', { size: '5Gi', storageClassName: 'fast' });
    expect(claim.metadata?.name).toBe('s1-workspace');
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
      storageClassName: 'fast',
    });
  });

  it('copies a workspace with a restricted Job mounting the parent read-only', () => {
    const target = {
      ...workspaceClaim('p1', 's2', { size: '5Gi' }),
      metadata: {
        name: 's2-workspace',
        uid: 'claim-uid',
        labels: { 'ambient-code.io/workspace': 's2' },
      },
    };
    const job = workspaceCopyJob('p1', 's1', target, pod, 60_000);
    expect(job.metadata?.name).toBe('s2-workspace-copy');
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'PersistentVolumeClaim',
      uid: 'claim-uid',
    });
    expect(job.spec?.template.spec?.volumes).toEqual([
      { name: 'source', persistentVolumeClaim: { claimName: 's1-workspace', readOnly: true } },
      { name: 'target', persistentVolumeClaim: { claimName: 's2-workspace' } },
    ]);
    expect(job.spec?.template.spec?.automountServiceAccountToken).toBe(false);
    expect(job.spec?.template.spec?.containers[0]?.securityContext?.capabilities?.drop).toEqual([
      'ALL',
    ]);
  });
});
