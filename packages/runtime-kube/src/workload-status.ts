/**
 * A run's WorkloadStatus from its Job and Pods (pure; unit-tested with recorded objects).
 *
 * - The Job's terminal conditions are the verdict: Complete → Succeeded, Failed → Failed (reason
 *   DeadlineExceeded from the Job controller, else the container's own termination reason).
 * - Until then the newest Pod tells: Pending (with the reason it is stuck: ImagePullBackOff,
 *   ErrImagePull, CreateContainerConfigError, Unschedulable, …), Running, or already terminal
 *   (the Job controller records it a moment later).
 * - A Pod that is being deleted never counts as terminal on its own: it was stopped (delete,
 *   deadline), and the Job's condition or the Job's disappearance settles the outcome. That keeps a
 *   deadline from briefly looking like a plain crash.
 * - A Job already gone while its Pods still terminate (background deletion) is still reported, so
 *   the workload disappears only when its runner is really gone, as in embedded mode.
 */
import type { V1ContainerStatus, V1Job, V1JobCondition, V1Pod } from '@kubernetes/client-node';
import type { WorkloadStatus } from '@ambient/core';
import { RUNNER_CONTAINER_NAME } from './job-manifests.ts';

/** Waiting reasons that mean "stuck, a human should look", surfaced with the kubelet's message. */
const PROBLEM_WAITING_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'CrashLoopBackOff',
  'RunContainerError',
]);

function isoOf(time: Date | string | undefined): string | undefined {
  if (time === undefined) return undefined;
  return typeof time === 'string' ? time : time.toISOString();
}

function trueCondition(job: V1Job | undefined, type: string): V1JobCondition | undefined {
  return job?.status?.conditions?.find(
    (condition) => condition.type === type && condition.status === 'True',
  );
}

function newestPod(pods: readonly V1Pod[]): V1Pod | undefined {
  const created = (pod: V1Pod): number =>
    Date.parse(isoOf(pod.metadata?.creationTimestamp) ?? '') || 0;
  return [...pods].sort((left, right) => created(right) - created(left))[0];
}

function runnerContainer(pod: V1Pod | undefined): V1ContainerStatus | undefined {
  const statuses = pod?.status?.containerStatuses ?? [];
  return statuses.find((status) => status.name === RUNNER_CONTAINER_NAME) ?? statuses[0];
}

/** Why a pending Pod does not start, if it is stuck rather than merely on its way. */
function pendingProblem(pod: V1Pod): { reason: string; message?: string } | undefined {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const status of statuses) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && PROBLEM_WAITING_REASONS.has(waiting.reason))
      return { reason: waiting.reason, message: waiting.message };
  }
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False')
    return { reason: scheduled.reason ?? 'Unschedulable', message: scheduled.message };
  return undefined;
}

function startedAtOf(job: V1Job | undefined, pod: V1Pod | undefined): string | undefined {
  return (
    isoOf(runnerContainer(pod)?.state?.running?.startedAt) ??
    isoOf(job?.status?.startTime) ??
    isoOf(pod?.status?.startTime)
  );
}

function fromJobVerdict(
  job: V1Job,
  pod: V1Pod | undefined,
  base: WorkloadStatus,
): WorkloadStatus | undefined {
  const terminated = runnerContainer(pod)?.state?.terminated;
  const complete = trueCondition(job, 'Complete');
  if (complete) {
    return {
      ...base,
      phase: 'Succeeded',
      exitCode: terminated?.exitCode ?? 0,
      reason: 'Completed',
      finishedAt: isoOf(job.status?.completionTime) ?? isoOf(complete.lastTransitionTime),
    };
  }
  const failed = trueCondition(job, 'Failed');
  if (!failed) return undefined;
  const deadline = failed.reason === 'DeadlineExceeded';
  return {
    ...base,
    phase: 'Failed',
    exitCode: terminated?.exitCode,
    reason: deadline ? 'DeadlineExceeded' : (terminated?.reason ?? failed.reason ?? 'Failed'),
    message: deadline ? failed.message : (terminated?.message ?? failed.message),
    finishedAt: isoOf(failed.lastTransitionTime) ?? isoOf(terminated?.finishedAt),
  };
}

/** A pod that ended by itself (not being deleted): its own verdict, before the Job records it. */
function fromFinishedPod(
  pod: V1Pod,
  phase: 'Succeeded' | 'Failed',
  base: WorkloadStatus,
): WorkloadStatus {
  const terminated = runnerContainer(pod)?.state?.terminated;
  const fallbackReason = phase === 'Succeeded' ? 'Completed' : 'Error';
  return {
    ...base,
    phase,
    exitCode: terminated?.exitCode ?? (phase === 'Succeeded' ? 0 : undefined),
    reason: terminated?.reason ?? pod.status?.reason ?? fallbackReason,
    message: terminated?.message ?? pod.status?.message,
    finishedAt: isoOf(terminated?.finishedAt),
  };
}

function fromPod(pod: V1Pod, base: WorkloadStatus): WorkloadStatus {
  const phase = pod.status?.phase;
  const stopping = Boolean(pod.metadata?.deletionTimestamp);
  if (stopping) {
    // Still there until its processes are gone; a pod that never started stays Pending meanwhile.
    const stillPhase = phase === 'Pending' ? 'Pending' : 'Running';
    return {
      ...base,
      phase: stillPhase,
      reason: 'Stopping',
      message: 'the runner pod is being deleted',
    };
  }
  if (phase === 'Succeeded' || phase === 'Failed') return fromFinishedPod(pod, phase, base);
  const problem = pendingProblem(pod);
  // A Running pod whose container waits in a crash loop is not running the runner either.
  if (phase === 'Pending' || problem)
    return { ...base, phase: 'Pending', startedAt: undefined, ...problem };
  return { ...base, phase: 'Running' };
}

export function workloadStatusOf(
  namespace: string,
  name: string,
  job: V1Job | undefined,
  pods: readonly V1Pod[],
): WorkloadStatus | undefined {
  const pod = newestPod(pods);
  if (!job && !pod) return undefined;
  const base: WorkloadStatus = {
    name,
    namespace,
    phase: 'Pending',
    startedAt: startedAtOf(job, pod),
  };
  if (job) {
    const verdict = fromJobVerdict(job, pod, base);
    if (verdict) return verdict;
  }
  // No Pod yet: the Job controller has not created it (or quota refused it).
  if (!pod) return { ...base, phase: 'Pending', startedAt: undefined };
  return fromPod(pod, base);
}
