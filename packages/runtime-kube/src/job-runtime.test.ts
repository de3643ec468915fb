/**
 * JobWorkloadRuntime on a real kube-apiserver 1.20 + controller-manager + scheduler, with the process
 * kubelet running each runner pod's command as a local process: the shared WorkloadRuntime contract,
 * then what only the cluster has (object layout, garbage collection with the session, the copy Job).
 * Each test gets a namespace pinned to this file's dedicated kubelet.
 */
import { BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, startProcessKubelet, waitUntil } from '@ambient/kube-testing';
import type { ProcessKubelet, TestNamespace } from '@ambient/kube-testing';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { describeWorkloadRuntimeContract, writeWorkloadContractRunner } from '@ambient/testing';
import type { WorkloadSpec } from '@ambient/core';
import { JobWorkloadRuntime } from './job-runtime.ts';
import { isHttpStatus } from './kube-errors.ts';
import { installPlatformCrds } from './workload-test-support.ts';

/** Where the stand-in runner lives "in the image"; the kubelet maps it to a local directory. */
const IMAGE_RUNNER_DIRECTORY = '/contract';

describe.skipIf(kubeTestsSkipped)('JobWorkloadRuntime on a real cluster', () => {
  let cluster: AcquiredTestCluster;
  let kubelet: ProcessKubelet;
  let workDirectory: string;
  let runnerCommand: string[];
  const namespaces: TestNamespace[] = [];

  beforeAll(async () => {
    cluster = await acquireTestCluster();
    await installPlatformCrds(cluster.connection.kubeconfigPath);
    workDirectory = mkdtempSync(join(tmpdir(), 'job-runtime-'));
    const runnerDirectory = join(workDirectory, 'runner');
    mkdirSync(runnerDirectory);
    const script = writeWorkloadContractRunner(runnerDirectory);
    runnerCommand = [
      process.execPath,
      join(IMAGE_RUNNER_DIRECTORY, script.slice(runnerDirectory.length + 1)),
    ];
    kubelet = await startProcessKubelet({
      kubeConfig: cluster.kubeConfig,
      nodeName: `job-runtime-${Date.now().toString(36)}`,
      workDir: join(workDirectory, 'kubelet'),
      dedicated: true,
      pathMappings: { [IMAGE_RUNNER_DIRECTORY]: runnerDirectory },
      onError: () => undefined,
    });
  }, 30 * 60_000);

  afterAll(async () => {
    for (const namespace of namespaces.splice(0)) await namespace.delete().catch(() => undefined);
    await kubelet?.stop();
    await cluster?.release();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  async function newNamespace(): Promise<string> {
    const namespace = await createTestNamespace(cluster.kubeConfig, {
      prefix: 'workload',
      pinnedToNode: kubelet.nodeName,
    });
    namespaces.push(namespace);
    return namespace.name;
  }

  function newRuntime(namespace: string): JobWorkloadRuntime {
    return new JobWorkloadRuntime({
      kubeConfig: cluster.kubeConfig,
      image: 'contract-runner:test',
      command: runnerCommand,
      workspaceSize: '1Gi',
      defaultGracePeriodMs: 5_000,
      watchNamespace: namespace,
      copyTimeoutMs: 30_000,
    });
  }

  async function createSession(namespace: string, name: string): Promise<string> {
    const created = (await cluster.kubeConfig
      .makeApiClient(CustomObjectsApi)
      .createNamespacedCustomObject({
        group: 'vteam.ambient-code',
        version: 'v1alpha1',
        namespace,
        plural: 'agenticsessions',
        body: {
          apiVersion: 'vteam.ambient-code/v1alpha1',
          kind: 'AgenticSession',
          metadata: { name },
          spec: { initialPrompt: 'contract' },
        },
      })) as { metadata: { uid: string } };
    return created.metadata.uid;
  }

  describeWorkloadRuntimeContract(
    'JobWorkloadRuntime',
    async () => {
      const namespace = await newNamespace();
      const testNamespace = namespaces[namespaces.length - 1];
      const runtime = newRuntime(namespace);
      const batchApi = cluster.kubeConfig.makeApiClient(BatchV1Api);
      const coreApi = cluster.kubeConfig.makeApiClient(CoreV1Api);
      return {
        runtime,
        namespace,
        createSession: (name) => createSession(namespace, name),
        async visibleDefinition(name) {
          // What a project member who may read Jobs and Pods, but not Secrets, sees.
          const job = await batchApi.readNamespacedJob({ namespace, name });
          const pods = await coreApi.listNamespacedPod({
            namespace,
            labelSelector: `job-name=${name}`,
          });
          return JSON.stringify({ job, pods: pods.items });
        },
        // Deleting the namespace stops whatever still runs in it (the kubelet kills deleted pods).
        cleanup: async () => testNamespace?.delete(),
      };
    },
    // Scheduling, the Job controller and the kubelet's watch add seconds to every transition.
    { timeoutMs: 30_000, gracePeriodMs: 5_000 },
  );

  describe('cluster objects', () => {
    let coreApi: CoreV1Api;
    let batchApi: BatchV1Api;
    beforeAll(() => {
      coreApi = cluster.kubeConfig.makeApiClient(CoreV1Api);
      batchApi = cluster.kubeConfig.makeApiClient(BatchV1Api);
    });
    afterEach(async () => {
      for (const namespace of namespaces.splice(0)) await namespace.delete().catch(() => undefined);
    });

    function spec(
      namespace: string,
      sessionName: string,
      sessionUid: string,
      run: number,
      env: Record<string, string>,
    ): WorkloadSpec {
      const name = `${sessionName}-run-${run}`;
      return {
        name,
        namespace,
        sessionName,
        sessionUid,
        workspaceName: sessionName,
        env: { CONTRACT_RUN: name, CONTRACT_REPORT_DIR: workDirectory, ...env },
        secretEnv: { CONTRACT_SECRET: 'not-in-the-job' },
        labels: { 'agentic-session': sessionName, app: 'ambient-code-runner' },
      };
    }

    async function waitForTerminal(
      runtime: JobWorkloadRuntime,
      namespace: string,
      name: string,
    ): Promise<string> {
      let phase = '';
      await waitUntil(
        `${name} finished`,
        async () => {
          phase = (await runtime.get(namespace, name))?.phase ?? '';
          return phase === 'Succeeded' || phase === 'Failed';
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      return phase;
    }

    async function gone(read: () => Promise<unknown>): Promise<boolean> {
      try {
        await read();
        return false;
      } catch (error) {
        if (isHttpStatus(error, 404)) return true;
        throw error;
      }
    }

    it(
      'lays out Secret, PVC and Job owned by the session, and removes them with it',
      { timeout: 90_000 },
      async () => {
        const namespace = await newNamespace();
        const runtime = newRuntime(namespace);
        const uid = await createSession(namespace, 'owned');
        const workload = spec(namespace, 'owned', uid, 1, {
          CONTRACT_MODE: 'exit',
          CONTRACT_EXIT_CODE: '0',
        });
        await runtime.ensure(workload);
        expect(await waitForTerminal(runtime, namespace, workload.name)).toBe('Succeeded');

        const secret = await coreApi.readNamespacedSecret({ namespace, name: 'owned-run-1-env' });
        const claim = await coreApi.readNamespacedPersistentVolumeClaim({
          namespace,
          name: 'owned-workspace',
        });
        const job = await batchApi.readNamespacedJob({ namespace, name: 'owned-run-1' });
        for (const object of [secret, claim, job]) {
          expect(object.metadata?.ownerReferences).toEqual([
            expect.objectContaining({ kind: 'AgenticSession', name: 'owned', uid }),
          ]);
        }
        expect(Buffer.from(secret.data?.['CONTRACT_SECRET'] ?? '', 'base64').toString()).toBe(
          'not-in-the-job',
        );
        expect(JSON.stringify(job)).not.toContain('not-in-the-job');
        expect(job.spec).toMatchObject({ backoffLimit: 0 });

        await cluster.kubeConfig.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({
          group: 'vteam.ambient-code',
          version: 'v1alpha1',
          namespace,
          plural: 'agenticsessions',
          name: 'owned',
        });
        await waitUntil(
          "the session's objects are garbage-collected",
          async () => {
            const results = await Promise.all([
              gone(() => coreApi.readNamespacedSecret({ namespace, name: 'owned-run-1-env' })),
              gone(() =>
                coreApi.readNamespacedPersistentVolumeClaim({ namespace, name: 'owned-workspace' }),
              ),
              gone(() => batchApi.readNamespacedJob({ namespace, name: 'owned-run-1' })),
            ]);
            return results.every(Boolean);
          },
          { timeoutMs: 60_000, intervalMs: 250 },
        );
      },
    );

    it(
      'seeds a continuation workspace with a copy Job, without the runner bookkeeping',
      { timeout: 120_000 },
      async () => {
        const namespace = await newNamespace();
        const runtime = newRuntime(namespace);
        const parentUid = await createSession(namespace, 'parent');
        const parentRun = spec(namespace, 'parent', parentUid, 1, {
          CONTRACT_MODE: 'write-note',
          CONTRACT_NOTE: 'from the parent',
        });
        await runtime.ensure(parentRun);
        expect(await waitForTerminal(runtime, namespace, parentRun.name)).toBe('Succeeded');
        const parentDirectory = kubelet.claimDirectory(namespace, 'parent-workspace');
        mkdirSync(join(parentDirectory, '.ambient'), { recursive: true });
        writeFileSync(join(parentDirectory, '.ambient', 'outbox.jsonl'), 'parent bookkeeping');

        await runtime.copyWorkspace(namespace, 'parent', 'child');
        const childDirectory = kubelet.claimDirectory(namespace, 'child-workspace');
        expect(readFileSync(join(childDirectory, 'note.txt'), 'utf8')).toBe('from the parent');
        expect(existsSync(join(childDirectory, '.ambient', 'outbox.jsonl'))).toBe(false);
        expect(
          await gone(() => batchApi.readNamespacedJob({ namespace, name: 'child-workspace-copy' })),
        ).toBe(true);
        // Seeded once: a second call (a re-reconcile) changes nothing.
        writeFileSync(join(childDirectory, 'note.txt'), 'edited by the child');
        await runtime.copyWorkspace(namespace, 'parent', 'child');
        expect(readFileSync(join(childDirectory, 'note.txt'), 'utf8')).toBe('edited by the child');

        const childUid = await createSession(namespace, 'child');
        const childRun = spec(namespace, 'child', childUid, 1, { CONTRACT_MODE: 'read-note' });
        await runtime.ensure(childRun);
        expect(await waitForTerminal(runtime, namespace, childRun.name)).toBe('Succeeded');
        expect(readFileSync(join(workDirectory, 'child-run-1.note'), 'utf8')).toBe(
          'edited by the child',
        );
        const claim = await coreApi.readNamespacedPersistentVolumeClaim({
          namespace,
          name: 'child-workspace',
        });
        expect(claim.metadata?.ownerReferences).toEqual([
          expect.objectContaining({ kind: 'AgenticSession', uid: childUid }),
        ]);
      },
    );

    it('does nothing when the parent has no workspace', async () => {
      const namespace = await newNamespace();
      const runtime = newRuntime(namespace);
      await runtime.copyWorkspace(namespace, 'missing', 'orphan');
      expect(
        await gone(() =>
          coreApi.readNamespacedPersistentVolumeClaim({ namespace, name: 'orphan-workspace' }),
        ),
      ).toBe(true);
    });
  });
});
