/**
 * Status mapping with Job and Pod objects shaped as kube-apiserver and a kubelet report them.
 * Image pulls, scheduling failures and crash loops cannot happen on the process kubelet (it ignores
 * images and runs every pod it is given), so they are pinned down here.
 */
import type { V1ContainerStatus, V1Job, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { WorkloadStatus } from '@ambient/core';
import { workloadStatusOf } from './workload-status.ts';

const CREATED = new Date('2026-11-24T10:00:00Z');
const STARTED = new Date('2026-11-24T10:00:03Z');
const FINISHED = new Date('2026-11-24T10:05:00Z');

function job(conditions: V1Job['status'] = {}): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 's1-run-1', namespace: 'p1', uid: 'job-uid', creationTimestamp: CREATED },
    spec: { backoffLimit: 0, template: {} },
    status: { startTime: CREATED, ...conditions },
  };
}

function pod(
  phase: string,
  container: V1ContainerStatus['state'],
  extra: { conditions?: V1PodCondition[]; deleting?: boolean } = {},
): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 's1-run-1-abcde',
      namespace: 'p1',
      labels: { 'job-name': 's1-run-1' },
      creationTimestamp: CREATED,
      deletionTimestamp: extra.deleting ? FINISHED : undefined,
    },
    status: {
      phase,
      startTime: CREATED,
      conditions: extra.conditions,
      containerStatuses: container
        ? [
            {
              name: 'runner',
              image: 'runner:1',
              imageID: '',
              ready: phase === 'Running',
              restartCount: 0,
              state: container,
            },
          ]
        : undefined,
    },
  };
}

const unschedulable: V1PodCondition = {
  type: 'PodScheduled',
  status: 'False',
  reason: 'Unschedulable',
  message: '0/3 nodes are available: 3 Insufficient memory.',
};

const waiting = (reason: string, message?: string): V1ContainerStatus['state'] => ({
  waiting: { reason, message },
});
const running: V1ContainerStatus['state'] = { running: { startedAt: STARTED } };
const terminated = (exitCode: number, reason: string): V1ContainerStatus['state'] => ({
  terminated: { exitCode, reason, startedAt: STARTED, finishedAt: FINISHED },
});

const failedCondition = (reason: string, message: string) => ({
  conditions: [{ type: 'Failed', status: 'True', reason, message, lastTransitionTime: FINISHED }],
});
const completeCondition = {
  completionTime: FINISHED,
  conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: FINISHED }],
};

type Expected = Partial<WorkloadStatus>;

describe('workloadStatusOf', () => {
  it('is undefined when neither the Job nor a pod exists', () => {
    expect(workloadStatusOf('p1', 's1-run-1', undefined, [])).toBeUndefined();
  });

  it.each<[string, V1Job | undefined, V1Pod[], Expected]>([
    [
      'a Job whose pod does not exist yet',
      job(),
      [],
      { phase: 'Pending', startedAt: undefined, reason: undefined },
    ],
    [
      'a pod being created',
      job(),
      [pod('Pending', waiting('ContainerCreating'))],
      { phase: 'Pending', reason: undefined },
    ],
    [
      'an image that cannot be pulled (back-off)',
      job(),
      [
        pod(
          'Pending',
          waiting('ImagePullBackOff', 'Back-off pulling image "quay.io/x/runner:nope"'),
        ),
      ],
      {
        phase: 'Pending',
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "quay.io/x/runner:nope"',
      },
    ],
    [
      'an image pull error',
      job(),
      [pod('Pending', waiting('ErrImagePull', 'rpc error: manifest unknown'))],
      { phase: 'Pending', reason: 'ErrImagePull', message: 'rpc error: manifest unknown' },
    ],
    [
      'a missing Secret',
      job(),
      [pod('Pending', waiting('CreateContainerConfigError', 'secret "s1-run-1-env" not found'))],
      {
        phase: 'Pending',
        reason: 'CreateContainerConfigError',
        message: 'secret "s1-run-1-env" not found',
      },
    ],
    [
      'a pod no node can take',
      job(),
      [pod('Pending', undefined, { conditions: [unschedulable] })],
      {
        phase: 'Pending',
        reason: 'Unschedulable',
        message: '0/3 nodes are available: 3 Insufficient memory.',
      },
    ],
    [
      'a crash loop (a restarting container)',
      job(),
      [pod('Running', waiting('CrashLoopBackOff', 'back-off 40s restarting failed container'))],
      {
        phase: 'Pending',
        reason: 'CrashLoopBackOff',
        message: 'back-off 40s restarting failed container',
      },
    ],
    [
      'a pending pod in crash loop back-off',
      job(),
      [pod('Pending', waiting('CrashLoopBackOff', 'back-off 10s'))],
      { phase: 'Pending', reason: 'CrashLoopBackOff', message: 'back-off 10s' },
    ],
    [
      'a running runner',
      job({ active: 1 }),
      [pod('Running', running)],
      { phase: 'Running', startedAt: STARTED.toISOString() },
    ],
    [
      'a runner being stopped',
      job({ active: 1 }),
      [pod('Running', running, { deleting: true })],
      { phase: 'Running', reason: 'Stopping' },
    ],
    [
      'a stopped runner whose pod reported its exit before the Job settled',
      job(),
      [pod('Failed', terminated(143, 'Error'), { deleting: true })],
      { phase: 'Running', reason: 'Stopping' },
    ],
    [
      'a finished runner the Job controller has not recorded yet',
      job({ active: 1 }),
      [pod('Succeeded', terminated(0, 'Completed'))],
      { phase: 'Succeeded', exitCode: 0, reason: 'Completed', finishedAt: FINISHED.toISOString() },
    ],
    [
      'a completed Job',
      job(completeCondition),
      [pod('Succeeded', terminated(0, 'Completed'))],
      { phase: 'Succeeded', exitCode: 0, reason: 'Completed', finishedAt: FINISHED.toISOString() },
    ],
    [
      'a completed Job whose pod is already gone',
      job(completeCondition),
      [],
      { phase: 'Succeeded', exitCode: 0, reason: 'Completed' },
    ],
    [
      'a runner that failed',
      job(failedCondition('BackoffLimitExceeded', 'Job has reached the specified backoff limit')),
      [pod('Failed', terminated(3, 'Error'))],
      { phase: 'Failed', exitCode: 3, reason: 'Error' },
    ],
    [
      'a runner killed for memory',
      job(failedCondition('BackoffLimitExceeded', 'Job has reached the specified backoff limit')),
      [pod('Failed', terminated(137, 'OOMKilled'))],
      { phase: 'Failed', exitCode: 137, reason: 'OOMKilled' },
    ],
    [
      'a runner past its deadline',
      job(failedCondition('DeadlineExceeded', 'Job was active longer than specified deadline')),
      [pod('Running', running, { deleting: true })],
      {
        phase: 'Failed',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
        exitCode: undefined,
      },
    ],
    [
      'a runner past its deadline, pod gone',
      job(failedCondition('DeadlineExceeded', 'Job was active longer than specified deadline')),
      [],
      { phase: 'Failed', reason: 'DeadlineExceeded', finishedAt: FINISHED.toISOString() },
    ],
    [
      'a deleted Job whose pod still terminates',
      undefined,
      [pod('Running', running, { deleting: true })],
      { phase: 'Running', reason: 'Stopping' },
    ],
  ])('maps %s', (_description, recordedJob, pods, expected) => {
    const status = workloadStatusOf('p1', 's1-run-1', recordedJob, pods);
    expect(status).toMatchObject({ name: 's1-run-1', namespace: 'p1' });
    for (const [field, value] of Object.entries(expected)) {
      expect(status?.[field as keyof WorkloadStatus], field).toEqual(value);
    }
  });

  it('reads the newest pod when an older one is still listed', () => {
    const older = pod('Failed', terminated(1, 'Error'));
    const newer = {
      ...pod('Running', running),
      metadata: { ...pod('Running', running).metadata, name: 'newer', creationTimestamp: STARTED },
    };
    expect(workloadStatusOf('p1', 's1-run-1', job({ active: 1 }), [older, newer])?.phase).toBe(
      'Running',
    );
  });
});
