/**
 * The two clocks of a running session (pure): the run's timeout and the inactivity timeout, and when
 * the controller must look again so that neither is enforced late.
 */
import type { AgenticSession } from '@ambient/contracts';

/** When the run's timeout ends it: counted from the runner's start, once it has started. */
export function runDeadlineOf(timeoutSeconds: number | undefined, startedAt: string | undefined): number | undefined {
  if (!timeoutSeconds || !startedAt) return undefined;
  const startedAtMs = Date.parse(startedAt);
  return Number.isNaN(startedAtMs) ? undefined : startedAtMs + timeoutSeconds * 1000;
}

/**
 * When an idle session is stopped: only interactive sessions (a one-shot run is busy, not idle,
 * while a long tool call produces no events; its run timeout bounds it), counted from the last
 * activity (the last event, else the runner's start).
 */
export function idleDeadlineOf(
  session: AgenticSession,
  defaults: { inactivityTimeoutSeconds?: number },
  now: Date,
  lastActivityTime: string | undefined,
): { seconds: number; at: number } | undefined {
  const seconds = session.spec.inactivityTimeout ?? defaults.inactivityTimeoutSeconds;
  if (!seconds || !session.spec.interactive) return undefined;
  const lastActivity = lastActivityTime ? Date.parse(lastActivityTime) : now.getTime();
  return { seconds, at: lastActivity + seconds * 1000 };
}

/** The next look: the regular poll, or a deadline (run timeout, idle) that comes before it. */
export function nextPollMs(now: Date, regularPollMs: number, deadlines: readonly (number | undefined)[]): number {
  const remaining = deadlines.filter((deadline) => deadline !== undefined).map((deadline) => deadline - now.getTime());
  return Math.max(50, Math.min(regularPollMs, ...remaining));
}
