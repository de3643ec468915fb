/**
 * The operator killed in the middle of its work, on the real test cluster: ten sessions are created
 * at once, the operator (its own process) is killed with SIGKILL as soon as its first runner Job
 * exists — other reconciles are cut off anywhere between the workspace claim, the runner Secret, the
 * Job and the status write, and the Lease is not released — then a new operator takes over.
 * Every session must end with exactly one Job for its one run (created once: no duplicate, no
 * second run) and converge to Completed.
 */
import { BatchV1Api, CoreV1Api, Watch } from '@kubernetes/client-node';
import type { V1Job } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@ambient/kube-testing';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { secretNameOf } from '@ambient/runtime-kube';
import { PLATFORM_START_TIMEOUT_MS, startClusterPlatform } from './support/cluster-platform.ts';
import type { ClusterPlatform } from './support/cluster-platform.ts';
import { createProject, createSession, inPhase, runnerJobNames, waitForSession } from './support/session-helpers.ts';

const PROJECT = 'operator-crash';
const SESSION_COUNT = 10;

describe.skipIf(kubeTestsSkipped)('cluster mode: the operator killed mid-reconcile', () => {
  let platform: ClusterPlatform;
  let alice: string;
  let stopWatch: (() => void) | undefined;

  beforeAll(async () => {
    platform = await startClusterPlatform({ name: 'cluster-operator-crash', startOperator: false });
    alice = platform.cluster.userToken('alice');
    await createProject(platform, alice, PROJECT);
  }, PLATFORM_START_TIMEOUT_MS);

  afterAll(async () => {
    stopWatch?.();
    await platform?.stop();
  });

  /** Every Job creation in the project, as the API server reports it (a re-creation shows twice). */
  async function recordJobCreations(): Promise<string[]> {
    const created: string[] = [];
    const watch = new Watch(platform.cluster.kubeConfig);
    const request = await watch.watch(
      `/apis/batch/v1/namespaces/${PROJECT}/jobs`,
      {},
      (type: string, job: V1Job) => {
        if (type === 'ADDED') created.push(job.metadata?.name ?? '');
      },
      () => undefined,
    );
    stopWatch = () => request.abort();
    return created;
  }

  it('converges after a SIGKILL: one Job per session run, every session Completed', async () => {
    const jobCreations = await recordJobCreations();
    const batch = platform.cluster.kubeConfig.makeApiClient(BatchV1Api);
    const firstOperator = await platform.startOperatorProcess();

    const names = await Promise.all(
      Array.from({ length: SESSION_COUNT }, (_unused, index) =>
        createSession(platform, alice, PROJECT, { prompt: `WRITE_FILE file-${index}.txt number ${index}`, interactive: false }),
      ),
    );
    await waitUntil('the first runner Job', async () => (await batch.listNamespacedJob({ namespace: PROJECT })).items.length > 0, {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    await firstOperator.kill();

    // The successor waits for the dead operator's Lease to expire, then looks at every session.
    await platform.startOperator();
    for (const name of names) {
      const done = await waitForSession(platform, alice, PROJECT, name, 'finished', inPhase('Completed', 'Failed', 'Stopped'), 180_000);
      expect(done.status, name).toMatchObject({ phase: 'Completed', runCount: 1 });
      expect(done.status?.result?.isError, name).toBe(false);
    }

    for (const name of names) {
      expect(await runnerJobNames(platform, PROJECT, name)).toEqual([`${name}-run-1`]);
    }
    // Each Job was created exactly once: nothing was deleted and made again, nothing else was made.
    const expectedJobs = names.map((name) => `${name}-run-1`).sort();
    expect([...jobCreations].sort()).toEqual(expectedJobs);
    // One runner Secret per run, too.
    const secrets = await platform.cluster.kubeConfig.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: PROJECT });
    const runnerSecrets = secrets.items.map((secret) => secret.metadata?.name ?? '').filter((secretName) => secretName.endsWith('-env'));
    expect(runnerSecrets.sort()).toEqual(expectedJobs.map(secretNameOf).sort());
  }, 300_000);
});
