import { describe, expect, it } from 'vitest';
import { EventType, GROUP_VERSION, RUNNER_EXIT, SESSION_ANNOTATIONS } from '@ambient/contracts';
import type { AgenticSession, AgenticSessionStatus } from '@ambient/contracts';
import { EMPTY_SUMMARY } from '@ambient/core';
import type { SessionSummary, WorkloadStatus } from '@ambient/core';
import { decideSession } from './decisions.ts';
import type { SessionObservation } from './decisions.ts';

const NOW = new Date('2026-01-01T00:10:00.000Z');

function session(status?: AgenticSessionStatus, options: { desired?: string; timeout?: number; inactivity?: number; interactive?: boolean } = {}): AgenticSession {
  return {
    apiVersion: GROUP_VERSION,
    kind: 'AgenticSession',
    metadata: {
      name: 's1',
      namespace: 'p1',
      uid: 'u1',
      generation: 1,
      annotations: options.desired ? { [SESSION_ANNOTATIONS.desiredPhase]: options.desired } : {},
    },
    spec: {
      initialPrompt: 'hi',
      interactive: options.interactive ?? false,
      timeout: options.timeout,
      inactivityTimeout: options.inactivity,
    },
    status,
  };
}

function workload(phase: WorkloadStatus['phase'], extra: Partial<WorkloadStatus> = {}): WorkloadStatus {
  return { name: 's1-run-1', namespace: 'p1', phase, startedAt: '2026-01-01T00:09:00.000Z', ...extra };
}

function observe(
  sessionObject: AgenticSession,
  workloadStatus?: WorkloadStatus,
  summary: Partial<SessionSummary> = {},
): SessionObservation {
  return { session: sessionObject, workload: workloadStatus, summary: { ...EMPTY_SUMMARY, ...summary }, now: NOW, defaults: {} };
}

describe('decideSession', () => {
  it('starts run 1 of a new session and moves it to Creating', () => {
    const plan = decideSession(observe(session()));
    expect(plan.startRun).toBe(1);
    expect(plan.status?.phase).toBe('Creating');
    expect(plan.status?.runCount).toBe(1);
    expect(plan.status?.startTime).toBe(NOW.toISOString());
    expect(plan.status?.conditions?.find((c) => c.type === 'WorkloadCreated')?.status).toBe('True');
  });

  it('goes straight to Stopped when stopped before it started', () => {
    const plan = decideSession(observe(session(undefined, { desired: 'Stopped' })));
    expect(plan.startRun).toBeUndefined();
    expect(plan.status?.phase).toBe('Stopped');
    expect(plan.status?.stoppedReason).toBe('user');
    expect(plan.clearDesiredPhase).toBe(true);
  });

  it('marks Running once the runner runs', () => {
    const plan = decideSession(observe(session({ phase: 'Creating', runCount: 1 }), workload('Running')));
    expect(plan.status?.phase).toBe('Running');
    expect(plan.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it.each([
    [RUNNER_EXIT.success, 'Completed', undefined],
    [RUNNER_EXIT.stopped, 'Stopped', 'user'],
    [RUNNER_EXIT.prerequisiteFailed, 'Failed', 'error'],
    [RUNNER_EXIT.crash, 'Failed', 'error'],
    [137, 'Failed', 'error'],
  ])('maps runner exit code %s to %s', (exitCode, phase, stoppedReason) => {
    const exitedPhase = exitCode === 0 ? 'Succeeded' : 'Failed';
    const plan = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }), workload(exitedPhase, { exitCode })),
    );
    expect(plan.status?.phase).toBe(phase);
    expect(plan.status?.stoppedReason).toBe(stoppedReason);
    expect(plan.status?.completionTime).toBe(NOW.toISOString());
  });

  it('explains a failed prerequisite with the runner message and reason PrerequisiteFailed', () => {
    const plan = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }), workload('Failed', { exitCode: 2 }), {
        lastRunError: 'ANTHROPIC_API_KEY is not set',
      }),
    );
    const ready = plan.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.reason).toBe('PrerequisiteFailed');
    expect(ready?.message).toContain('ANTHROPIC_API_KEY');
  });

  it('records a RUN_ERROR when the runner dies in the middle of a run', () => {
    const plan = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }), workload('Failed', { exitCode: 137, reason: 'Killed' }), {
        runsStarted: 1,
        runsFinished: 0,
      }),
    );
    expect(plan.events?.[0]?.type).toBe(EventType.RUN_ERROR);
  });

  it('stops a running session on user request', () => {
    const plan = decideSession(observe(session({ phase: 'Running', runCount: 1 }, { desired: 'Stopped' }), workload('Running')));
    expect(plan.stopWorkload).toBe(true);
    expect(plan.status?.phase).toBe('Stopping');
    expect(plan.status?.stoppedReason).toBe('user');
    expect(plan.clearDesiredPhase).toBe(true);
  });

  it('enforces the timeout', () => {
    const plan = decideSession(observe(session({ phase: 'Running', runCount: 1 }, { timeout: 30 }), workload('Running')));
    expect(plan.status?.phase).toBe('Stopping');
    expect(plan.status?.stoppedReason).toBe('timeout');
  });

  it('polls a running session no later than its timeout', () => {
    const plan = decideSession(observe(session({ phase: 'Running', runCount: 1 }, { timeout: 65 }), workload('Running')));
    expect(plan.status).toBeUndefined();
    expect(plan.requeueAfterMs).toBe(5_000);
  });

  it('stops an idle interactive session', () => {
    const plan = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }, { inactivity: 60, interactive: true }), workload('Running'), {
        lastEventAt: '2026-01-01T00:08:00.000Z',
      }),
    );
    expect(plan.status?.stoppedReason).toBe('inactivity');
  });

  it('polls an interactive session no later than its idle deadline', () => {
    const plan = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }, { inactivity: 80, interactive: true }), workload('Running'), {
        lastEventAt: '2026-01-01T00:09:00.000Z',
      }),
    );
    expect(plan.stopWorkload).toBeUndefined();
    expect(plan.requeueAfterMs).toBe(20_000);
    const soon = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }, { inactivity: 65, interactive: true, timeout: 600 }), workload('Running'), {
        lastEventAt: '2026-01-01T00:09:00.000Z',
      }),
    );
    expect(soon.requeueAfterMs).toBe(5_000);
  });

  it('never stops a one-shot session for inactivity: a long tool call is busy, not idle', () => {
    const plan = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }, { inactivity: 60, interactive: false }), workload('Running'), {
        lastEventAt: '2026-01-01T00:08:00.000Z',
      }),
    );
    expect(plan.stopWorkload).toBeUndefined();
    expect(plan.status?.phase ?? 'Running').toBe('Running');
  });

  it.each([
    ['timeout', 'Timeout'],
    ['inactivity', 'Inactive'],
    ['user', 'Stopped'],
  ] as const)('finishes Stopping (%s) once the workload is gone, with the Ready reason %s', (stoppedReason, readyReason) => {
    const plan = decideSession(observe(session({ phase: 'Stopping', runCount: 1, stoppedReason, message: 'why' }), undefined));
    expect(plan.status).toMatchObject({ phase: 'Stopped', stoppedReason, message: 'why' });
    expect(plan.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: readyReason });
  });

  it('keeps asking the workload to stop while it still runs', () => {
    const plan = decideSession(observe(session({ phase: 'Stopping', runCount: 1 }), workload('Running')));
    expect(plan.stopWorkload).toBe(true);
    expect(plan.status).toBeUndefined();
  });

  it('restarts a terminal session when asked, as the next run', () => {
    const plan = decideSession(observe(session({ phase: 'Stopped', runCount: 2 }, { desired: 'Running' })));
    expect(plan.startRun).toBe(3);
    expect(plan.status?.phase).toBe('Creating');
  });

  it('starts a new run when the runner vanished while Running (resume)', () => {
    const plan = decideSession(observe(session({ phase: 'Running', runCount: 1, sdkSessionId: 'abc' }), undefined));
    expect(plan.startRun).toBe(2);
    expect(plan.status?.sdkSessionId).toBe('abc');
  });

  it('copies the repos the runner reported into status', () => {
    const repos = [{ name: 'app', url: 'https://example.com/app.git', branch: 'ambient/s1', status: 'Ready' as const }];
    const plan = decideSession(observe(session({ phase: 'Running', runCount: 1 }), workload('Running'), { repos }));
    expect(plan.status?.repos).toEqual(repos);
  });

  it('copies reported facts into status and is idempotent when nothing changed', () => {
    const result = { subtype: 'success', isError: false, numTurns: 2 };
    const first = decideSession(
      observe(session({ phase: 'Running', runCount: 1 }), workload('Running'), { sdkSessionId: 'sdk-1', lastResult: result }),
    );
    expect(first.status?.sdkSessionId).toBe('sdk-1');
    expect(first.status?.result).toEqual(result);
    const second = decideSession(observe(session(first.status), workload('Running'), { sdkSessionId: 'sdk-1', lastResult: result }));
    expect(second.status).toBeUndefined();
  });

  it('starts a continuation from its parent: seed the workspace and fork the conversation', () => {
    const child = session();
    child.spec.parentSessionName = 'parent-1';
    const plan = decideSession({ ...observe(child), parent: { exists: true, sdkSessionId: 'sdk-parent' } });
    expect(plan.startRun).toBe(1);
    expect(plan.continueFrom).toEqual({ parentSessionName: 'parent-1', sdkSessionId: 'sdk-parent' });
  });

  it('fails a continuation whose parent is gone, saying so', () => {
    const child = session();
    child.spec.parentSessionName = 'parent-1';
    const plan = decideSession({ ...observe(child), parent: { exists: false } });
    expect(plan.startRun).toBeUndefined();
    expect(plan.status?.phase).toBe('Failed');
    expect(plan.status?.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('ParentNotFound');
  });

  it('does not seed again on later runs of a continuation', () => {
    const child = session({ phase: 'Stopped', runCount: 1, sdkSessionId: 'own' }, { desired: 'Running' });
    child.spec.parentSessionName = 'parent-1';
    const plan = decideSession(observe(child));
    expect(plan.startRun).toBe(2);
    expect(plan.continueFrom).toBeUndefined();
  });

  it('queues a new session while the project is at its concurrency limit, then starts it', () => {
    const waiting = decideSession({ ...observe(session()), defaults: { concurrencyLimit: 2 }, activeSessionsInProject: 2 });
    expect(waiting.startRun).toBeUndefined();
    expect(waiting.status?.phase).toBe('Pending');
    expect(waiting.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'Queued', message: expect.stringContaining('2 of 2') });
    expect(waiting.requeueAfterMs).toBeGreaterThan(0);
    const again = decideSession({ ...observe(session(waiting.status)), defaults: { concurrencyLimit: 2 }, activeSessionsInProject: 2 });
    expect(again.status).toBeUndefined();
    const started = decideSession({ ...observe(session(waiting.status)), defaults: { concurrencyLimit: 2 }, activeSessionsInProject: 1 });
    expect(started.startRun).toBe(1);
  });

  it.each([
    ['ImagePullBackOff', 'Back-off pulling image "quay.io/x/runner:bad"'],
    ['Unschedulable', '0/3 nodes are available: insufficient memory'],
    ['CreateContainerConfigError', 'secret "s1-run-1-env" not found'],
  ])('shows a runner stuck in %s as a condition and keeps waiting', (reason, message) => {
    const plan = decideSession(observe(session({ phase: 'Creating', runCount: 1 }), workload('Pending', { reason, message })));
    expect(plan.status?.phase).toBe('Creating');
    expect(plan.status?.conditions?.find((c) => c.type === 'RunnerStarted')).toMatchObject({ status: 'False', reason, message });
    expect(plan.requeueAfterMs).toBeGreaterThan(0);
  });

  it('fails at once when the runner image name is invalid', () => {
    const plan = decideSession(observe(session({ phase: 'Creating', runCount: 1 }), workload('Pending', { reason: 'InvalidImageName', message: 'bad ref' })));
    expect(plan.status?.phase).toBe('Failed');
    expect(plan.status?.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('InvalidImageName');
  });
});
