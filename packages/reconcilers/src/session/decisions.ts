/**
 * Pure decisions of the session controller: given what is observed now (the session, its current
 * run's workload, the event-log summary and the time), return what should change. No I/O here, so
 * every branch of the phase machine is table-tested; manager.ts carries the plan out.
 *
 * Phase machine (design §4):
 *   Pending ──start run──► Creating ──runner up──► Running ──exit 0──► Completed
 *      │                      │                      ├──exit≠0──► Failed
 *      │                      │                      └──stop/timeout/idle──► Stopping ──gone──► Stopped
 *      └──desired Stopped──► Stopped        terminal + desired Running ──► Pending (next run)
 */
import { EventType, RUNNER_EXIT, SESSION_ANNOTATIONS, TERMINAL_SESSION_PHASES } from '@ambient/contracts';
import type {
  AgenticSession,
  AgenticSessionStatus,
  AgUiEvent,
  StoppedReason,
} from '@ambient/contracts';
import { setCondition } from '@ambient/core';
import type { SessionSummary, WorkloadStatus } from '@ambient/core';
import { idleDeadlineOf, nextPollMs, runDeadlineOf } from './run-deadlines.ts';

export const CONDITION = {
  ready: 'Ready',
  workloadCreated: 'WorkloadCreated',
  runnerStarted: 'RunnerStarted',
} as const;

/** How often a Running session is looked at even without events (timeouts, idleness). */
export const RUNNING_POLL_MS = 30_000;
export const STOPPING_POLL_MS = 1_000;
/** How often a session queued behind the project's concurrency limit looks again. */
export const QUEUED_POLL_MS = 2_000;
/** The runner needs this long to interrupt Claude Code and flush its last events. */
export const STOP_GRACE_PERIOD_MS = 15_000;

export interface SessionObservation {
  session: AgenticSession;
  /** The workload of the current run (status.runCount), if it exists. */
  workload: WorkloadStatus | undefined;
  summary: SessionSummary;
  now: Date;
  /** Project defaults, applied when the session does not set its own. */
  defaults: { timeoutSeconds?: number; inactivityTimeoutSeconds?: number; concurrencyLimit?: number };
  /** Other sessions of the project that hold a runner (Creating, Running, Stopping). */
  activeSessionsInProject?: number;
  /** For a continuation (spec.parentSessionName) before its first run: the parent, if it exists. */
  parent?: { exists: boolean; sdkSessionId?: string };
}

export interface SessionPlan {
  /** Start (ensure) the workload for this run number before writing status. */
  startRun?: number;
  /** Before the first run of a continuation: seed the workspace from the parent and fork its conversation. */
  continueFrom?: { parentSessionName: string; sdkSessionId?: string };
  /** Ask the current run's workload to end. */
  stopWorkload?: boolean;
  status?: AgenticSessionStatus;
  /** Remove the desired-phase annotation once acted on. */
  clearDesiredPhase?: boolean;
  /** Platform events to record in the session's stream (e.g. a RUN_ERROR for a crashed run). */
  events?: AgUiEvent[];
  requeueAfterMs?: number;
}

type Status = AgenticSessionStatus;

export function desiredPhase(session: AgenticSession): string | undefined {
  return session.metadata.annotations?.[SESSION_ANNOTATIONS.desiredPhase];
}

export function decideSession(observation: SessionObservation): SessionPlan {
  const status: Status = observation.session.status ?? { phase: 'Pending' };
  switch (status.phase) {
    case 'Pending':
      return decidePending(observation, status);
    case 'Creating':
    case 'Running':
      return decideActive(observation, status);
    case 'Stopping':
      return decideStopping(observation, status);
    default:
      return decideTerminal(observation, status);
  }
}

function nowIso(observation: SessionObservation): string {
  return observation.now.toISOString();
}

function generationOf(observation: SessionObservation): number | undefined {
  return observation.session.metadata.generation;
}

function decidePending(observation: SessionObservation, status: Status): SessionPlan {
  const now = nowIso(observation);
  if (desiredPhase(observation.session) === 'Stopped') {
    return {
      clearDesiredPhase: true,
      status: finish(observation, status, 'Stopped', 'user', 'StoppedByUser', 'stopped before it started'),
    };
  }
  const runNumber = (status.runCount ?? 0) + 1;
  const parentName = observation.session.spec.parentSessionName;
  if (parentName && runNumber === 1 && observation.parent && !observation.parent.exists) {
    return {
      clearDesiredPhase: desiredPhase(observation.session) !== undefined,
      status: finish(observation, status, 'Failed', 'error', 'ParentNotFound', `the parent session "${parentName}" does not exist`),
    };
  }
  const limit = observation.defaults.concurrencyLimit;
  const active = observation.activeSessionsInProject ?? 0;
  if (limit !== undefined && active >= limit) {
    const message = `queued: ${active} of ${limit} sessions of this project are running`;
    const queued = setCondition(status.conditions, { type: CONDITION.ready, status: 'False', reason: 'Queued', message }, nowIso(observation));
    const next: Status = { ...status, phase: 'Pending', message, conditions: queued };
    return { status: changed(status, next) ? next : undefined, requeueAfterMs: QUEUED_POLL_MS };
  }
  const continueFrom =
    parentName && runNumber === 1 ? { parentSessionName: parentName, sdkSessionId: observation.parent?.sdkSessionId } : undefined;
  const conditions = setCondition(
    status.conditions,
    {
      type: CONDITION.workloadCreated,
      status: 'True',
      reason: 'RunnerCreated',
      message: `runner for run ${runNumber} created`,
      observedGeneration: generationOf(observation),
    },
    now,
  );
  return {
    startRun: runNumber,
    continueFrom,
    clearDesiredPhase: desiredPhase(observation.session) !== undefined,
    status: {
      ...status,
      phase: 'Creating',
      runCount: runNumber,
      startTime: status.startTime ?? now,
      completionTime: undefined,
      stoppedReason: undefined,
      message: undefined,
      observedGeneration: generationOf(observation),
      conditions: setCondition(
        conditions,
        { type: CONDITION.ready, status: 'False', reason: 'Creating', message: 'starting the runner' },
        now,
      ),
    },
    requeueAfterMs: STOPPING_POLL_MS,
  };
}

/** Copies what the runner reported (through the event log) into status. */
function withReportedFacts(status: Status, summary: SessionSummary): Status {
  return {
    ...status,
    sdkSessionId: summary.sdkSessionId ?? status.sdkSessionId,
    result: summary.lastResult ?? status.result,
    lastActivityTime: summary.lastEventAt ?? status.lastActivityTime,
    repos: summary.repos ?? status.repos,
  };
}

function decideActive(observation: SessionObservation, status: Status): SessionPlan {
  const { workload, session } = observation;
  const now = nowIso(observation);
  const reported = withReportedFacts(status, observation.summary);

  if (desiredPhase(session) === 'Stopped') {
    return stopping(observation, reported, 'user', 'StopRequested', 'stop requested by a user');
  }
  if (!workload) {
    // The runner vanished (server restart, node loss): start the next run; it resumes the
    // conversation from sdkSessionId.
    return decidePending(observation, { ...reported, phase: 'Pending' });
  }
  if (workload.phase === 'Succeeded' || workload.phase === 'Failed') {
    return decideExited(observation, reported, workload);
  }
  const timeoutSeconds = session.spec.timeout ?? observation.defaults.timeoutSeconds;
  const runDeadline = runDeadlineOf(timeoutSeconds, workload.startedAt);
  if (runDeadline !== undefined && observation.now.getTime() >= runDeadline) {
    return stopping(observation, reported, 'timeout', 'Timeout', `run exceeded its timeout of ${timeoutSeconds}s`);
  }
  const idleDeadline = idleDeadlineOf(session, observation.defaults, observation.now, reported.lastActivityTime ?? workload.startedAt);
  if (idleDeadline && observation.now.getTime() >= idleDeadline.at) {
    return stopping(observation, reported, 'inactivity', 'Inactive', `no activity for ${idleDeadline.seconds}s`);
  }
  const pollMs = nextPollMs(observation.now, RUNNING_POLL_MS, [runDeadline, idleDeadline?.at]);
  if (workload.phase === 'Pending' && workload.reason) {
    return decideStuckWorkload(observation, reported, workload);
  }
  if (workload.phase === 'Running' && status.phase === 'Creating') {
    let conditions = setCondition(
      reported.conditions,
      { type: CONDITION.runnerStarted, status: 'True', reason: 'RunnerRunning', message: 'runner process is running' },
      now,
    );
    conditions = setCondition(conditions, { type: CONDITION.ready, status: 'True', reason: 'Running', message: 'session is running' }, now);
    return { status: { ...reported, phase: 'Running', conditions }, requeueAfterMs: pollMs };
  }
  return {
    status: changed(status, reported) ? reported : undefined,
    requeueAfterMs: pollMs,
  };
}

/** Pod problems that cannot fix themselves: the session fails at once instead of waiting for its timeout. */
const HOPELESS_WORKLOAD_REASONS = new Set(['InvalidImageName', 'ErrImageNeverPull']);
/** Problems that may clear (a Secret created later, a node freed): shown as a condition, kept waiting. */
const WAITING_POLL_MS = 5_000;

/** A runner that cannot start yet (image pull, scheduling, config): say why on the session. */
function decideStuckWorkload(observation: SessionObservation, status: Status, workload: WorkloadStatus): SessionPlan {
  const reason = workload.reason ?? 'Waiting';
  const message = workload.message ?? reason;
  if (HOPELESS_WORKLOAD_REASONS.has(reason)) {
    return { ...finishPlan(observation, status, 'Failed', 'error', reason, `the runner cannot start: ${message}`), stopWorkload: true };
  }
  const conditions = setCondition(
    status.conditions,
    { type: CONDITION.runnerStarted, status: 'False', reason, message, observedGeneration: generationOf(observation) },
    nowIso(observation),
  );
  const next: Status = { ...status, conditions };
  return { status: changed(status, next) ? next : undefined, requeueAfterMs: WAITING_POLL_MS };
}

function decideExited(observation: SessionObservation, status: Status, workload: WorkloadStatus): SessionPlan {
  const exitCode = workload.exitCode;
  const events = unfinishedRunEvents(observation, workload);
  if (workload.reason === 'DeadlineExceeded') {
    return { ...finishPlan(observation, status, 'Stopped', 'timeout', 'Timeout', 'run exceeded its timeout'), events };
  }
  if (exitCode === RUNNER_EXIT.success) {
    return finishPlan(observation, status, 'Completed', undefined, 'Completed', 'the agent finished');
  }
  if (exitCode === RUNNER_EXIT.stopped) {
    const reason = status.stoppedReason ?? 'user';
    return finishPlan(observation, status, 'Stopped', reason, STOPPED_CONDITION_REASONS[reason], 'the runner stopped');
  }
  if (exitCode === RUNNER_EXIT.prerequisiteFailed) {
    const message = observation.summary.lastRunError ?? workload.message ?? 'a prerequisite of the session is missing';
    return { ...finishPlan(observation, status, 'Failed', 'error', 'PrerequisiteFailed', message), events };
  }
  const message =
    observation.summary.lastRunError ??
    workload.message ??
    `the runner exited with code ${exitCode ?? 'unknown'}${workload.reason ? ` (${workload.reason})` : ''}`;
  return { ...finishPlan(observation, status, 'Failed', 'error', 'RunnerFailed', message), events };
}

/** A run that started but never finished gets a RUN_ERROR, so stream readers are not left waiting. */
function unfinishedRunEvents(observation: SessionObservation, workload: WorkloadStatus): AgUiEvent[] | undefined {
  const { runsStarted, runsFinished } = observation.summary;
  if (runsStarted <= runsFinished) return undefined;
  return [
    {
      type: EventType.RUN_ERROR,
      message: workload.message ?? `the runner ended (${workload.reason ?? `exit code ${workload.exitCode ?? 'unknown'}`}) before the run finished`,
      code: workload.reason ?? 'RunnerExited',
      timestamp: observation.now.getTime(),
    },
  ];
}

function stopping(observation: SessionObservation, status: Status, reason: StoppedReason, conditionReason: string, message: string): SessionPlan {
  const now = nowIso(observation);
  return {
    stopWorkload: true,
    clearDesiredPhase: desiredPhase(observation.session) !== undefined,
    status: {
      ...status,
      phase: 'Stopping',
      stoppedReason: reason,
      message,
      conditions: setCondition(status.conditions, { type: CONDITION.ready, status: 'False', reason: conditionReason, message }, now),
    },
    requeueAfterMs: STOPPING_POLL_MS,
  };
}

function decideStopping(observation: SessionObservation, status: Status): SessionPlan {
  const reported = withReportedFacts(status, observation.summary);
  const { workload } = observation;
  if (workload && workload.phase !== 'Succeeded' && workload.phase !== 'Failed') {
    return { stopWorkload: true, requeueAfterMs: STOPPING_POLL_MS };
  }
  const events = workload ? unfinishedRunEvents(observation, workload) : undefined;
  const reason = reported.stoppedReason ?? 'user';
  return { ...finishPlan(observation, reported, 'Stopped', reason, STOPPED_CONDITION_REASONS[reason], reported.message ?? 'stopped'), events };
}

/**
 * The Ready reason of a Stopped session says why it stopped, whichever way it got there: a timeout
 * ends through Stopping when the controller sees it first, or through the Job's DeadlineExceeded.
 */
const STOPPED_CONDITION_REASONS: Record<StoppedReason, string> = {
  user: 'Stopped',
  timeout: 'Timeout',
  inactivity: 'Inactive',
  error: 'Stopped',
};

function decideTerminal(observation: SessionObservation, status: Status): SessionPlan {
  if (desiredPhase(observation.session) === 'Running') {
    return decidePending(observation, { ...status, phase: 'Pending' });
  }
  if (desiredPhase(observation.session) === 'Stopped') return { clearDesiredPhase: true };
  const reported = withReportedFacts(status, observation.summary);
  return { status: changed(status, reported) ? reported : undefined };
}

function finish(observation: SessionObservation, status: Status, phase: 'Stopped' | 'Completed' | 'Failed', stoppedReason: StoppedReason | undefined, reason: string, message: string): Status {
  const now = nowIso(observation);
  return {
    ...status,
    phase,
    stoppedReason,
    message,
    completionTime: now,
    conditions: setCondition(status.conditions, { type: CONDITION.ready, status: 'False', reason, message }, now),
  };
}

function finishPlan(observation: SessionObservation, status: Status, phase: 'Stopped' | 'Completed' | 'Failed', stoppedReason: StoppedReason | undefined, reason: string, message: string): SessionPlan {
  return { status: finish(observation, status, phase, stoppedReason, reason, message) };
}

function changed(before: Status, after: Status): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}

export function isTerminal(status: Status | undefined): boolean {
  return status !== undefined && TERMINAL_SESSION_PHASES.includes(status.phase);
}
