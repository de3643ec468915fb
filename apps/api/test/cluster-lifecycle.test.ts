/**
 * The session lifecycle in cluster mode, on the real test cluster (support/cluster-platform.ts):
 * stop, start again (a new Job on the same workspace, the same conversation), continuation from a
 * parent (a workspace copy Job), and the run and inactivity timeouts. Every runner is the real
 * runner with the real Claude Code CLI, run by the process kubelet as the Job's pod.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT } from '@ambient/contracts';
import { waitUntil } from '@ambient/kube-testing';
import { kubeTestsSkipped } from '@ambient/kube-testing/shared-cluster';
import { claimNameOf, COPIED_FROM_ANNOTATION, secretNameOf } from '@ambient/runtime-kube';
import { PLATFORM_START_TIMEOUT_MS, startClusterPlatform } from './support/cluster-platform.ts';
import type { ClusterPlatform } from './support/cluster-platform.ts';
import {
  collectEvents,
  createProject,
  createSession,
  inPhase,
  isRunEnd,
  readyCondition,
  runnerJobNames,
  waitForSession,
} from './support/session-helpers.ts';
import type { StreamedEvent } from './support/session-helpers.ts';

const PROJECT = 'lifecycle';

describe.skipIf(kubeTestsSkipped)('cluster mode: the session lifecycle', () => {
  let platform: ClusterPlatform;
  let alice: string;
  const sessionPath = (name: string): string => `/api/projects/${PROJECT}/agentic-sessions/${name}`;
  const eventsPath = (name: string): string => `${sessionPath(name)}/agui/events?compact=false`;
  const post = (path: string, body?: unknown): Promise<Response> =>
    platform.call(alice, path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  const modelRequestContaining = (text: string): string | undefined =>
    platform.model.requests.map((request) => JSON.stringify(request.body)).find((body) => body.includes(text));
  const lifecyclePhases = (events: StreamedEvent[]): string[] =>
    events
      .filter((event) => event.type === 'CUSTOM' && event.name === CUSTOM_EVENT.lifecycle)
      .map((event) => (event.value as { phase: string }).phase);

  beforeAll(async () => {
    platform = await startClusterPlatform({ name: 'cluster-lifecycle' });
    alice = platform.cluster.userToken('alice');
    await createProject(platform, alice, PROJECT);
  }, PLATFORM_START_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.stop();
  });

  describe('an interactive session', () => {
    let name = '';
    let lastSeq = 0;

    it('stops on request: the run’s Job and Secret go, the workspace stays, phase Stopped (user)', async () => {
      name = await createSession(platform, alice, PROJECT, { initialPrompt: 'Remember the word PINEAPPLE' });
      const firstRun = await collectEvents(platform, alice, eventsPath(name), isRunEnd);
      expect(firstRun.at(-1)?.type).toBe('RUN_FINISHED');
      await waitForSession(platform, alice, PROJECT, name, 'Running', inPhase('Running'));
      expect(await runnerJobNames(platform, PROJECT, name)).toEqual([`${name}-run-1`]);

      expect((await post(`${sessionPath(name)}/stop`)).status).toBe(202);
      const stopped = await waitForSession(platform, alice, PROJECT, name, 'Stopped', inPhase('Stopped'));
      expect(stopped.status).toMatchObject({ phase: 'Stopped', stoppedReason: 'user', runCount: 1 });
      expect(stopped.status?.completionTime).toBeTruthy();
      expect(readyCondition(stopped)).toMatchObject({ status: 'False', reason: 'Stopped' });
      // The desired-phase annotation is consumed, so it cannot stop a later run.
      expect(stopped.metadata.annotations?.['ambient-code.io/desired-phase']).toBeUndefined();

      // Stopped is written when the Job's verdict is final; its foreground deletion (and the Secret's)
      // may take a moment longer.
      const core = platform.cluster.kubeConfig.makeApiClient(CoreV1Api);
      await waitUntil("the run's Job and Secret are gone", async () => {
        const secrets = await core.listNamespacedSecret({ namespace: PROJECT });
        return (await runnerJobNames(platform, PROJECT, name)).length === 0
          && !secrets.items.some((secret) => secret.metadata?.name === secretNameOf(`${name}-run-1`));
      }, { timeoutMs: 30_000, intervalMs: 200 });
      const claim = await core.readNamespacedPersistentVolumeClaim({ namespace: PROJECT, name: claimNameOf(name) });
      expect(claim.metadata?.deletionTimestamp).toBeUndefined();

      const events = await collectEvents(platform, alice, eventsPath(name), (event) => lifecyclePhases([event]).includes('Stopped'));
      expect(lifecyclePhases(events)).toEqual(expect.arrayContaining(['Stopping', 'Stopped']));
      // The run had finished before the stop: no RUN_ERROR is made up for it.
      expect(events.filter((event) => event.type === 'RUN_ERROR')).toEqual([]);
      lastSeq = events.at(-1)!.seq;
      expect((await post(`${sessionPath(name)}/agui/run`, { message: 'more' })).status).toBe(409);
    }, 120_000);

    it('starts again: Job run-2 on the same workspace resumes the conversation', async () => {
      expect(name).not.toBe('');
      expect((await post(`${sessionPath(name)}/start`)).status).toBe(202);
      const running = await waitForSession(platform, alice, PROJECT, name, 'Running in run 2', (session) => session.status?.phase === 'Running' && session.status.runCount === 2);
      expect(running.status?.stoppedReason).toBeUndefined();
      expect(await runnerJobNames(platform, PROJECT, name)).toEqual([`${name}-run-2`]);
      const job = await platform.cluster.kubeConfig.makeApiClient(BatchV1Api).readNamespacedJob({ namespace: PROJECT, name: `${name}-run-2` });
      expect(job.spec?.template.spec?.volumes?.map((volume) => volume.persistentVolumeClaim?.claimName)).toEqual([claimNameOf(name)]);

      expect((await post(`${sessionPath(name)}/agui/run`, { message: 'Which word did I ask you to remember?' })).status).toBe(202);
      const secondRun = await collectEvents(platform, alice, eventsPath(name), isRunEnd, { afterSeq: lastSeq });
      expect(secondRun.at(-1)?.type).toBe('RUN_FINISHED');
      // The new runner continued the conversation: the model sees the first turn again.
      expect(modelRequestContaining('Which word did I ask you to remember?')).toContain('PINEAPPLE');

      expect((await post(`${sessionPath(name)}/stop`)).status).toBe(202);
      await waitForSession(platform, alice, PROJECT, name, 'Stopped again', inPhase('Stopped'));
    }, 120_000);
  });

  it('runs a completed one-shot session again: run 2 resumes its conversation and Completes', async () => {
    const name = await createSession(platform, alice, PROJECT, { prompt: 'WRITE_FILE first.txt one', interactive: false });
    const first = await waitForSession(platform, alice, PROJECT, name, 'Completed', inPhase('Completed', 'Failed'));
    expect(first.status?.phase).toBe('Completed');

    expect((await post(`${sessionPath(name)}/start`)).status).toBe(202);
    await waitForSession(platform, alice, PROJECT, name, 'run 2 started', (session) => session.status?.runCount === 2);
    const again = await waitForSession(platform, alice, PROJECT, name, 'Completed again', (session) => session.status?.runCount === 2 && inPhase('Completed', 'Failed', 'Stopped')(session));
    expect(again.status).toMatchObject({ phase: 'Completed', sdkSessionId: first.status?.sdkSessionId });
    expect(again.status?.result?.isError).toBe(false);
    expect(await runnerJobNames(platform, PROJECT, name)).toEqual([`${name}-run-1`, `${name}-run-2`]);
  }, 120_000);

  it('continues a parent session: its workspace is copied by a Job, and the child sees its files', async () => {
    const parent = await createSession(platform, alice, PROJECT, { prompt: 'WRITE_FILE notes.txt MANGO', interactive: false });
    const parentDone = await waitForSession(platform, alice, PROJECT, parent, 'Completed', inPhase('Completed', 'Failed'));
    expect(parentDone.status?.phase).toBe('Completed');

    const child = await createSession(platform, alice, PROJECT, {
      prompt: 'RUN_BASH cat notes.txt > seen.txt',
      interactive: false,
      parentSessionName: parent,
    });
    const childDone = await waitForSession(platform, alice, PROJECT, child, 'Completed', inPhase('Completed', 'Failed'));
    expect(childDone.status?.phase, JSON.stringify(childDone.status)).toBe('Completed');

    const childArtifacts = join(platform.kubelet.claimDirectory(PROJECT, claimNameOf(child)), 'artifacts');
    expect(readFileSync(join(childArtifacts, 'notes.txt'), 'utf8')).toContain('MANGO');
    // The child's agent read the copied file in its own run.
    expect(readFileSync(join(childArtifacts, 'seen.txt'), 'utf8')).toContain('MANGO');
    // The parent's workspace is untouched by the child.
    expect(existsSync(join(platform.kubelet.claimDirectory(PROJECT, claimNameOf(parent)), 'artifacts', 'seen.txt'))).toBe(false);

    const core = platform.cluster.kubeConfig.makeApiClient(CoreV1Api);
    const claim = await core.readNamespacedPersistentVolumeClaim({ namespace: PROJECT, name: claimNameOf(child) });
    expect(claim.metadata?.annotations?.[COPIED_FROM_ANNOTATION]).toBe(parent);
    // Adopted by the child session, so it goes with it.
    expect(claim.metadata?.ownerReferences?.map((owner) => owner.name)).toEqual([child]);
    expect(await runnerJobNames(platform, PROJECT, child)).toEqual([`${child}-run-1`]);

    // The conversation is a fork: a new id that remembers the parent's turn.
    expect(childDone.status?.sdkSessionId).toBeTruthy();
    expect(childDone.status?.sdkSessionId).not.toBe(parentDone.status?.sdkSessionId);
    expect(modelRequestContaining('RUN_BASH cat notes.txt > seen.txt')).toContain('WRITE_FILE notes.txt MANGO');
  }, 120_000);

  it('stops a run at its timeout: the Job’s deadline is set, phase Stopped (timeout)', async () => {
    const name = await createSession(platform, alice, PROJECT, { prompt: 'RUN_BASH tail -f /dev/null', interactive: false, timeout: 5 });
    await waitForSession(platform, alice, PROJECT, name, 'Running', inPhase('Running'));
    const job = await platform.cluster.kubeConfig.makeApiClient(BatchV1Api).readNamespacedJob({ namespace: PROJECT, name: `${name}-run-1` });
    expect(job.spec?.activeDeadlineSeconds).toBe(5);

    const stopped = await waitForSession(platform, alice, PROJECT, name, 'ended', inPhase('Stopped', 'Failed', 'Completed'));
    expect(stopped.status).toMatchObject({ phase: 'Stopped', stoppedReason: 'timeout' });
    expect(readyCondition(stopped)).toMatchObject({ status: 'False', reason: 'Timeout' });
    expect(readyCondition(stopped)?.message).toMatch(/timeout/);
    // The run never finished by itself, yet its stream ends, so readers stop waiting: cancelled by the
    // runner on SIGTERM, or a RUN_ERROR from the controller when the runner could not say so itself.
    const events = await collectEvents(platform, alice, eventsPath(name), isRunEnd);
    const runEnd = events.at(-1);
    if (runEnd?.type === 'RUN_FINISHED') expect(runEnd.outcome).toEqual({ type: 'cancelled' });
    else expect(runEnd?.type).toBe('RUN_ERROR');
  }, 120_000);

  it('stops an idle interactive session at its inactivity timeout: phase Stopped (inactivity)', async () => {
    // Idle from the runner's start or its last event; on a busy machine the clock may run out during
    // the first turn already, which is still inactivity by that definition.
    const name = await createSession(platform, alice, PROJECT, { initialPrompt: 'Say hello', inactivityTimeout: 5 });
    const stopped = await waitForSession(platform, alice, PROJECT, name, 'Stopped', inPhase('Stopped', 'Failed', 'Completed'));
    expect(stopped.status).toMatchObject({ phase: 'Stopped', stoppedReason: 'inactivity' });
    expect(readyCondition(stopped)).toMatchObject({ status: 'False', reason: 'Inactive', message: 'no activity for 5s' });
    await waitUntil("the run's Job is gone", async () => (await runnerJobNames(platform, PROJECT, name)).length === 0, { timeoutMs: 30_000, intervalMs: 200 });
  }, 120_000);
});
