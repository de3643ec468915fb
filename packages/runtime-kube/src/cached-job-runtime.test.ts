/**
 * CachedJobWorkloadRuntime on a real cluster with a process kubelet: the whole WorkloadRuntime
 * contract with its informers running (so `get` answers from the cache), then what the cache
 * promises: no reads for runs it holds, absence confirmed with the API server, and an `ensure`
 * that trusts a stale "absent" still makes exactly one Job.
 */
import https from 'node:https';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { createTestNamespace, startProcessKubelet, waitUntil } from '@ambient/kube-testing';
import type { ProcessKubelet, TestNamespace } from '@ambient/kube-testing';
import { acquireTestCluster, kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import type { AcquiredTestCluster } from '@ambient/kube-testing/shared-cluster';
import { describeWorkloadRuntimeContract, writeWorkloadContractRunner } from '@ambient/testing';
import type { WorkloadSpec } from '@ambient/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CachedJobWorkloadRuntime } from './cached-job-runtime.ts';
import { JobWorkloadRuntime } from './job-runtime.ts';
import { installPlatformCrds } from './workload-test-support.ts';

const IMAGE_RUNNER_DIRECTORY = '/contract';

/** `METHOD path` of every request this process sends from now on. */
function recordRequests(): { requests: string[]; restore: () => void } {
  const original = https.request;
  const requests: string[] = [];
  https.request = ((...args: Parameters<typeof https.request>) => {
    const options = args[0] as https.RequestOptions;
    requests.push(`${options.method ?? 'GET'} ${options.path ?? ''}`);
    return (original as (...parameters: unknown[]) => ReturnType<typeof https.request>)(...args);
  }) as typeof https.request;
  return { requests, restore: () => void (https.request = original) };
}

describe.skipIf(kubeTestsSkipped)('CachedJobWorkloadRuntime on a real cluster', () => {
  let cluster: AcquiredTestCluster;
  let kubelet: ProcessKubelet;
  let workDirectory: string;
  let runnerCommand: string[];
  const namespaces: TestNamespace[] = [];
  const runtimes: CachedJobWorkloadRuntime[] = [];

  beforeAll(async () => {
    cluster = await acquireTestCluster();
    await installPlatformCrds(cluster.connection.kubeconfigPath);
    workDirectory = mkdtempSync(join(tmpdir(), 'cached-job-runtime-'));
    const runnerDirectory = join(workDirectory, 'runner');
    mkdirSync(runnerDirectory);
    const script = writeWorkloadContractRunner(runnerDirectory);
    runnerCommand = [process.execPath, join(IMAGE_RUNNER_DIRECTORY, script.slice(runnerDirectory.length + 1))];
    kubelet = await startProcessKubelet({
      kubeConfig: cluster.kubeConfig,
      nodeName: `cached-runtime-${Date.now().toString(36)}`,
      workDir: join(workDirectory, 'kubelet'),
      dedicated: true,
      pathMappings: { [IMAGE_RUNNER_DIRECTORY]: runnerDirectory },
      onError: () => undefined,
    });
  }, 30 * 60_000);

  afterAll(async () => {
    for (const runtime of runtimes.splice(0)) runtime.stop();
    for (const namespace of namespaces.splice(0)) await namespace.delete().catch(() => undefined);
    await kubelet?.stop();
    await cluster?.release();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  async function newNamespace(): Promise<string> {
    const namespace = await createTestNamespace(cluster.kubeConfig, { prefix: 'cached-workload', pinnedToNode: kubelet.nodeName });
    namespaces.push(namespace);
    return namespace.name;
  }

  const runtimeOptions = (namespace: string) => ({
    kubeConfig: cluster.kubeConfig,
    image: 'contract-runner:test',
    command: runnerCommand,
    workspaceSize: '1Gi',
    defaultGracePeriodMs: 5_000,
    watchNamespace: namespace,
    copyTimeoutMs: 30_000,
  });

  async function startedRuntime(namespace: string): Promise<CachedJobWorkloadRuntime> {
    const runtime = new CachedJobWorkloadRuntime(runtimeOptions(namespace));
    runtimes.push(runtime);
    await runtime.start();
    return runtime;
  }

  async function createSession(namespace: string, name: string): Promise<string> {
    const created = (await cluster.kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group: 'vteam.ambient-code',
      version: 'v1alpha1',
      namespace,
      plural: 'agenticsessions',
      body: { apiVersion: 'vteam.ambient-code/v1alpha1', kind: 'AgenticSession', metadata: { name }, spec: { initialPrompt: 'cached' } },
    })) as { metadata: { uid: string } };
    return created.metadata.uid;
  }

  describeWorkloadRuntimeContract(
    'CachedJobWorkloadRuntime',
    async () => {
      const namespace = await newNamespace();
      const testNamespace = namespaces[namespaces.length - 1];
      const runtime = await startedRuntime(namespace);
      const batchApi = cluster.kubeConfig.makeApiClient(BatchV1Api);
      return {
        runtime,
        namespace,
        createSession: (name) => createSession(namespace, name),
        visibleDefinition: async (name) => JSON.stringify(await batchApi.readNamespacedJob({ namespace, name })),
        cleanup: async () => {
          runtime.stop();
          await testNamespace?.delete();
        },
      };
    },
    { timeoutMs: 30_000, gracePeriodMs: 5_000 },
  );

  describe('cache', () => {
    let recorder: ReturnType<typeof recordRequests> | undefined;
    afterEach(() => {
      recorder?.restore();
      recorder = undefined;
    });

    function spec(namespace: string, sessionName: string, sessionUid: string): WorkloadSpec {
      const name = `${sessionName}-run-1`;
      return {
        name,
        namespace,
        sessionName,
        sessionUid,
        workspaceName: sessionName,
        env: { CONTRACT_RUN: name, CONTRACT_REPORT_DIR: workDirectory, CONTRACT_MODE: 'wait' },
        secretEnv: {},
        labels: { 'agentic-session': sessionName, app: 'ambient-code-runner' },
      };
    }

    it('ensures a new run without reading it first, then answers from the cache', { timeout: 60_000 }, async () => {
      const namespace = await newNamespace();
      const runtime = await startedRuntime(namespace);
      const workload = spec(namespace, 'fresh', await createSession(namespace, 'fresh'));
      recorder = recordRequests();
      await runtime.ensure(workload);
      expect(recorder.requests.filter((request) => request.startsWith(`GET /apis/batch/v1/namespaces/${namespace}/jobs/`))).toEqual([]);
      expect(recorder.requests.filter((request) => request.startsWith('POST') && request.includes('/jobs'))).toHaveLength(1);
      await waitUntil('the cache holds the run', async () => (await runtime.get(namespace, workload.name)) !== undefined, { timeoutMs: 10_000, intervalMs: 50 });
      const reads = recorder.requests.length;
      expect((await runtime.get(namespace, workload.name))?.name).toBe(workload.name);
      expect(recorder.requests.length).toBe(reads);
      await runtime.delete(namespace, workload.name, { gracePeriodMs: 1_000 });
    });

    it('confirms absence with the API server, and ensure then makes no second Job', { timeout: 60_000 }, async () => {
      // The cached runtime watches another namespace: for this one its cache always says "absent",
      // like a cache the watch has not reached yet.
      const [watched, elsewhere] = [await newNamespace(), await newNamespace()];
      const cached = await startedRuntime(watched);
      const direct = new JobWorkloadRuntime(runtimeOptions(elsewhere));
      const workload = spec(elsewhere, 'unseen', await createSession(elsewhere, 'unseen'));
      await direct.ensure(workload);
      const before = cached.stats();
      expect((await cached.get(elsewhere, workload.name))?.name).toBe(workload.name);
      expect(cached.stats().apiReads).toBe(before.apiReads + 1);
      // Inside ensure the stale "absent" stands: every create meets AlreadyExists and is tolerated.
      await cached.ensure(workload);
      const jobs = await cluster.kubeConfig.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: elsewhere, labelSelector: 'app=ambient-code-runner' });
      expect(jobs.items.map((job) => job.metadata?.name)).toEqual([workload.name]);
      await direct.delete(elsewhere, workload.name, { gracePeriodMs: 1_000 });
    });

    it('notifies subscribers after the cache holds the change', { timeout: 60_000 }, async () => {
      const namespace = await newNamespace();
      const runtime = await startedRuntime(namespace);
      const seen: string[] = [];
      const stop = runtime.watch((changedNamespace, name) => {
        // Read synchronously from the cache at notification time: it must already hold the run.
        void runtime.get(changedNamespace, name).then((status) => seen.push(status ? 'present' : 'absent'));
      });
      try {
        const workload = spec(namespace, 'notified', await createSession(namespace, 'notified'));
        const reads = runtime.stats().apiReads;
        await runtime.ensure(workload);
        await waitUntil('a notification', async () => seen.length > 0, { timeoutMs: 10_000, intervalMs: 20 });
        expect(seen.every((answer) => answer === 'present')).toBe(true);
        expect(runtime.stats().apiReads).toBe(reads);
        await runtime.delete(namespace, workload.name, { gracePeriodMs: 1_000 });
      } finally {
        stop();
      }
    });
  });
});
