/**
 * The effectful half of the session controller: observe, ask decisions.ts for a plan, carry it out.
 * Each step is idempotent (deterministic workload names, resourceVersion preconditions), so a crash
 * anywhere is repaired by the next reconcile of the same key.
 */
import { AgenticSessionKind, CUSTOM_EVENT, EventType, SESSION_ANNOTATIONS } from '@ambient/contracts';
import type { AgenticSession, AgenticSessionStatus, AgUiEvent } from '@ambient/contracts';
import { runWorkloadName } from '@ambient/core';
import type {
  Clock,
  EventLog,
  ResourceStore,
  Stored,
  WorkloadRuntime,
  WorkloadSpec,
} from '@ambient/core';
import type { ReconcileResult } from '@ambient/controller-kit';
import { decideSession, STOP_GRACE_PERIOD_MS } from './decisions.ts';
import type { SessionObservation } from './decisions.ts';

export interface RunnerLaunch {
  env: Record<string, string>;
  secretEnv: Record<string, string>;
  activeDeadlineSeconds?: number;
}

export interface SessionReconcilerDeps {
  store: ResourceStore;
  runtime: WorkloadRuntime;
  events: EventLog;
  clock: Clock;
  /** Builds the runner's environment for a run (server URL, scoped token, model settings). */
  launchRunner(
    session: Stored<AgenticSession>,
    runNumber: number,
    options?: { forkFromSdkSessionId?: string },
  ): Promise<RunnerLaunch>;
  projectDefaults(namespace: string): Promise<SessionObservation['defaults']>;
}

export function sessionKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function parseSessionKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The workspace outlives runs: resume and continuation reuse it. */
export function workspaceNameOf(session: AgenticSession): string {
  return session.metadata.name;
}

export function createSessionReconciler(deps: SessionReconcilerDeps) {
  return async function reconcileSession(key: string): Promise<ReconcileResult> {
    const { namespace, name } = parseSessionKey(key);
    const session = await deps.store.get(AgenticSessionKind, namespace, name);
    if (!session) return {};
    const runCount = session.status?.runCount ?? 0;
    const workload =
      runCount > 0 ? await deps.runtime.get(namespace, runWorkloadName(name, runCount)) : undefined;
    const summary = await deps.events.summary(session.metadata.uid);
    const parentName = session.spec.parentSessionName;
    const parent =
      parentName && runCount === 0 ? await deps.store.get(AgenticSessionKind, namespace, parentName) : undefined;
    const defaults = await deps.projectDefaults(namespace);
    const phase = session.status?.phase ?? 'Pending';
    const activeSessionsInProject =
      defaults.concurrencyLimit !== undefined && phase === 'Pending'
        ? await countActiveSessions(deps.store, namespace, name)
        : undefined;
    const plan = decideSession({
      session,
      workload,
      summary,
      now: deps.clock.now(),
      defaults,
      activeSessionsInProject,
      parent: parentName && runCount === 0 ? { exists: parent !== undefined, sdkSessionId: parent?.status?.sdkSessionId } : undefined,
    });

    if (plan.continueFrom) {
      await deps.runtime.copyWorkspace?.(namespace, plan.continueFrom.parentSessionName, workspaceNameOf(session));
    }
    if (plan.startRun !== undefined) {
      await deps.runtime.ensure(await workloadSpecFor(deps, session, plan.startRun, plan.continueFrom?.sdkSessionId));
    }
    if (plan.stopWorkload && workload) {
      await deps.runtime.delete(namespace, workload.name, { gracePeriodMs: STOP_GRACE_PERIOD_MS });
    }
    if (plan.events?.length) {
      await deps.events.append(
        session.metadata.uid,
        plan.events.map((event) => ({ event })),
      );
    }
    let current = session;
    if (plan.status) {
      current = await deps.store.patchStatus(AgenticSessionKind, namespace, name, plan.status, {
        resourceVersion: session.metadata.resourceVersion,
      });
      const lifecycle = lifecycleEvent(session.status?.phase, plan.status, deps.clock.now().getTime());
      // After the status write, so a conflict-and-retry never records a transition twice.
      if (lifecycle) await deps.events.append(session.metadata.uid, [{ event: lifecycle }]);
    }
    if (plan.clearDesiredPhase) await clearDesiredPhase(deps.store, current);
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : {};
  };
}

async function workloadSpecFor(
  deps: SessionReconcilerDeps,
  session: Stored<AgenticSession>,
  runNumber: number,
  forkFromSdkSessionId?: string,
): Promise<WorkloadSpec> {
  const launch = await deps.launchRunner(session, runNumber, { forkFromSdkSessionId });
  return {
    name: runWorkloadName(session.metadata.name, runNumber),
    namespace: session.metadata.namespace ?? '',
    sessionName: session.metadata.name,
    sessionUid: session.metadata.uid,
    workspaceName: workspaceNameOf(session),
    env: launch.env,
    secretEnv: launch.secretEnv,
    activeDeadlineSeconds: launch.activeDeadlineSeconds,
    labels: { 'agentic-session': session.metadata.name, app: 'ambient-code-runner' },
  };
}

async function clearDesiredPhase(
  store: ResourceStore,
  session: Stored<AgenticSession>,
): Promise<void> {
  const annotations = { ...session.metadata.annotations };
  if (!(SESSION_ANNOTATIONS.desiredPhase in annotations)) return;
  delete annotations[SESSION_ANNOTATIONS.desiredPhase];
  await store.update(AgenticSessionKind, {
    ...session,
    metadata: { ...session.metadata, annotations },
  });
}

const HOLDS_A_RUNNER = new Set(['Creating', 'Running', 'Stopping']);

async function countActiveSessions(store: ResourceStore, namespace: string, except: string): Promise<number> {
  const { items } = await store.list(AgenticSessionKind, namespace);
  return items.filter((item) => item.metadata.name !== except && HOLDS_A_RUNNER.has(item.status?.phase ?? 'Pending')).length;
}

/**
 * A phase change as a CUSTOM event in the session's own stream, so a watcher (CLI, UI) learns that a
 * session ended without polling its status.
 */
export function lifecycleEvent(previous: string | undefined, status: AgenticSessionStatus, timestamp: number): AgUiEvent | undefined {
  if ((previous ?? 'Pending') === status.phase) return undefined;
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  return {
    type: EventType.CUSTOM,
    name: CUSTOM_EVENT.lifecycle,
    value: { phase: status.phase, reason: ready?.reason, message: status.message ?? ready?.message, stoppedReason: status.stoppedReason },
    timestamp,
  } as AgUiEvent;
}
