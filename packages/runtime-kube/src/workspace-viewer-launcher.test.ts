/**
 * WorkspaceViewerLauncher on a real kube-apiserver 1.20 + controller-manager: when a viewer may
 * start (a session that ran, its volume, no unfinished run Job), that starting is idempotent and
 * replaces a finished viewer with a fresh credential, and that a run evicts the viewer. No kubelet:
 * the launcher decides from objects, so pods may stay Pending; "finished" is written into Job status.
 */
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { V1Job } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgenticSessionKind, RUNNER_ENV } from '@ambient/contracts';
import { verifyWorkspaceViewerToken } from '@ambient/core';
import { createTestNamespace, waitUntil } from '@ambient/kube-testing';
import type { TestNamespace } from '@ambient/kube-testing';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { claimNameOf, RUNNER_APP_LABEL } from './job-manifests.ts';
import { JobWorkloadRuntime } from './job-runtime.ts';
import { kubeRead } from './kube-errors.ts';
import { KubeResourceStore } from './kube-resource-store.ts';
import { installPlatformCrds } from './workload-test-support.ts';
import { WorkspaceViewerLauncher } from './workspace-viewer-launcher.ts';
import { workspaceViewerNameOf, workspaceViewerSecretNameOf } from './workspace-viewer.ts';

const TOKEN_SECRET = 'launcher-test-runner-token-key';

describe.skipIf(kubeTestsSkipped)('WorkspaceViewerLauncher on a real cluster', () => {
  let cluster: AcquiredTestCluster;
  let namespace: TestNamespace;
  let batch: BatchV1Api;
  let core: CoreV1Api;
  let store: KubeResourceStore;
  let launcher: WorkspaceViewerLauncher;
  /** The launcher's clock: moved forward so that two credentials differ by their expiry. */
  let nowMs = Date.now();

  beforeAll(async () => {
    cluster = await acquireTestCluster();
    await installPlatformCrds(cluster.connection.kubeconfigPath);
    namespace = await createTestNamespace(cluster.kubeConfig, { prefix: 'viewer' });
    batch = cluster.kubeConfig.makeApiClient(BatchV1Api);
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    store = new KubeResourceStore({ kubeConfig: cluster.kubeConfig });
    launcher = new WorkspaceViewerLauncher({
      kubeConfig: cluster.kubeConfig,
      store,
      serverUrl: 'http://ambient-api:8080',
      tokenSecret: TOKEN_SECRET,
      image: 'runner:test',
      command: ['node', '/app/main.mjs'],
      clock: { now: () => new Date(nowMs) },
    });
  }, 30 * 60_000);

  afterAll(async () => {
    await namespace?.delete().catch(() => undefined);
    await cluster?.release();
  });

  async function createSession(name: string, runCount: number): Promise<string> {
    const created = await store.create(AgenticSessionKind, { metadata: { name, namespace: namespace.name }, spec: { interactive: false } });
    if (runCount > 0) await store.patchStatus(AgenticSessionKind, namespace.name, name, { phase: 'Completed', runCount });
    return created.metadata.uid;
  }

  async function createClaim(sessionName: string): Promise<void> {
    await core.createNamespacedPersistentVolumeClaim({
      namespace: namespace.name,
      body: { metadata: { name: claimNameOf(sessionName) }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    });
  }

  async function createRunJob(sessionName: string, runNumber: number): Promise<void> {
    await batch.createNamespacedJob({
      namespace: namespace.name,
      body: {
        metadata: { name: `${sessionName}-run-${runNumber}`, labels: { app: RUNNER_APP_LABEL, 'agentic-session': sessionName } },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'runner', image: 'runner:test', command: ['true'] }] } } },
      },
    });
  }

  /** Writes a Complete condition (the Job controller leaves a finished Job alone). */
  async function finish(jobName: string): Promise<void> {
    await waitUntil(`Job ${jobName} marked Complete`, async () => {
      const job = await batch.readNamespacedJob({ namespace: namespace.name, name: jobName });
      const body: V1Job = { ...job, status: { ...job.status, conditions: [{ type: 'Complete', status: 'True' }], completionTime: new Date() } };
      await batch.replaceNamespacedJobStatus({ namespace: namespace.name, name: jobName, body });
      return true;
    }, { timeoutMs: 10_000, intervalMs: 100 });
  }

  const viewerJob = (sessionName: string) => kubeRead('viewer', () => batch.readNamespacedJob({ namespace: namespace.name, name: workspaceViewerNameOf(sessionName) }));
  const viewerToken = async (sessionName: string) => {
    const secret = await core.readNamespacedSecret({ namespace: namespace.name, name: workspaceViewerSecretNameOf(sessionName) });
    return Buffer.from(secret.data?.[RUNNER_ENV.token] ?? '', 'base64').toString('utf8');
  };

  it('starts nothing for a missing session, one that never ran, or one without its volume', async () => {
    expect(await launcher.ensure(namespace.name, 'missing')).toBe('no-session');
    await createSession('fresh', 0);
    expect(await launcher.ensure(namespace.name, 'fresh')).toBe('no-workspace');
    await createSession('no-volume', 1);
    expect(await launcher.ensure(namespace.name, 'no-volume')).toBe('no-workspace');
    expect(await viewerJob('fresh')).toBeUndefined();
    expect(await viewerJob('no-volume')).toBeUndefined();
  });

  it('waits for an unfinished run, then starts once, and replaces a finished viewer with a fresh credential', async () => {
    const uid = await createSession('done', 1);
    await createClaim('done');
    await createRunJob('done', 1);
    expect(await launcher.ensure(namespace.name, 'done')).toBe('run-active');
    expect(await viewerJob('done')).toBeUndefined();

    await finish('done-run-1');
    expect(await launcher.ensure(namespace.name, 'done')).toBe('started');
    expect(await launcher.ensure(namespace.name, 'done')).toBe('running');
    const first = await viewerJob('done');
    const firstToken = await viewerToken('done');
    expect(verifyWorkspaceViewerToken(firstToken, TOKEN_SECRET, Math.floor(nowMs / 1000))).toMatchObject({ project: namespace.name, sessionName: 'done', sessionUid: uid });
    expect(JSON.stringify(first)).not.toContain(firstToken);

    await finish(workspaceViewerNameOf('done'));
    nowMs += 60_000;
    expect(await launcher.ensure(namespace.name, 'done')).toBe('started');
    const second = await viewerJob('done');
    expect(second?.metadata?.uid).not.toBe(first?.metadata?.uid);
    expect(await viewerToken('done')).not.toBe(firstToken);
  });

  it('is evicted when a run of the session starts', async () => {
    const uid = await createSession('resumed', 1);
    await createClaim('resumed');
    expect(await launcher.ensure(namespace.name, 'resumed')).toBe('started');
    const runtime = new JobWorkloadRuntime({ kubeConfig: cluster.kubeConfig, image: 'runner:test', command: ['true'], workspaceSize: '1Gi' });
    await runtime.ensure({
      name: 'resumed-run-2',
      namespace: namespace.name,
      sessionName: 'resumed',
      sessionUid: uid,
      workspaceName: 'resumed',
      env: {},
      secretEnv: { [RUNNER_ENV.token]: 'art1.test.token' },
    });
    await waitUntil('the viewer Job gone', async () => (await viewerJob('resumed')) === undefined, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await launcher.ensure(namespace.name, 'resumed')).toBe('run-active');
    expect(await viewerJob('resumed')).toBeUndefined();
  });
});
