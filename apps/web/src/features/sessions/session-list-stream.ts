/**
 * The sessions table fed by two sources: the REST list (whole AgenticSession objects, fetched now
 * and then) and the project event stream (one list entry per change, live). The stream's knowledge
 * is kept here, by session name, with the resourceVersion each change reflects, and every list the
 * table shows is the REST list reconciled with it: a row the stream saw change later than the REST
 * copy takes the stream's fields, a session the stream saw deleted is dropped, one it saw created
 * (not in the REST copy yet) is added from its entry. So a REST answer that was served before a
 * change but arrives after it can never undo the change (list-then-watch without the race).
 *
 * Versions are compared as numbers: the API's resourceVersions are store-wide counters (digits).
 * The knowledge is dropped whenever the stream is down (`clear`): a deletion it missed would leave a
 * row it added standing. Polled lists are shown as they are then, and a reconnection replays what
 * was missed (or starts with a reset).
 */
import type { ProjectEvent, SessionListEntry } from '@ambient/client';
import { GROUP_VERSION } from '@ambient/contracts';
import type { AgenticSession, AgenticSessionStatus } from '@ambient/contracts';

/** What the stream last said about one session; `entry` undefined: deleted. */
interface Observation {
  version: bigint | undefined;
  entry: SessionListEntry | undefined;
}

export interface ReconciledList {
  sessions: AgenticSession[];
  /** Rows built from a stream entry alone (no spec details such as the model): refetch to complete them. */
  partial: boolean;
}

function toVersion(value: string | undefined): bigint | undefined {
  return value !== undefined && /^\d+$/.test(value) ? BigInt(value) : undefined;
}

/** Unknown versions (old servers, tests) count as newest: the stream is the fresher source. */
function isAtLeast(observed: bigint | undefined, other: bigint | undefined): boolean {
  return observed === undefined || other === undefined || observed >= other;
}

export class SessionListOverlay {
  readonly #observations = new Map<string, Observation>();
  /** The version of the last `reset`: sessions at or below it that it did not list are gone. */
  #resetVersion: bigint | undefined;

  /** Forgets everything the stream said (it went down). */
  clear(): void {
    this.#observations.clear();
    this.#resetVersion = undefined;
  }

  apply(event: ProjectEvent): void {
    const version = toVersion(event.resourceVersion);
    if (event.type === 'reset') {
      this.#observations.clear();
      this.#resetVersion = version;
      for (const entry of event.sessions) this.#observations.set(entry.name, { version, entry });
      return;
    }
    const previous = this.#observations.get(event.session.name);
    if (previous && !isAtLeast(version, previous.version)) return; // a repeat of older news
    this.#observations.set(event.session.name, { version, entry: event.action === 'DELETED' ? undefined : event.session });
  }

  reconcile(sessions: readonly AgenticSession[]): ReconciledList {
    const result: AgenticSession[] = [];
    const listed = new Set<string>();
    let partial = false;
    for (const session of sessions) {
      const name = session.metadata.name;
      listed.add(name);
      const version = toVersion(session.metadata.resourceVersion);
      const observed = this.#observations.get(name);
      if (observed && isAtLeast(observed.version, version)) {
        if (!observed.entry) continue;
        // Same name, another session (deleted and created again): nothing of the old spec applies.
        if (session.metadata.uid && observed.entry.uid !== session.metadata.uid) {
          result.push(sessionFromEntry(observed.entry));
          partial = true;
        } else {
          result.push(withEntry(session, observed.entry));
        }
        continue;
      }
      const goneAtReset = !observed && this.#resetVersion !== undefined && version !== undefined && version <= this.#resetVersion;
      if (!goneAtReset) result.push(session);
    }
    for (const [name, observed] of this.#observations) {
      if (listed.has(name) || !observed.entry) continue;
      result.push(sessionFromEntry(observed.entry));
      partial = true;
    }
    return { sessions: sortNewestFirst(result), partial };
  }
}

/** The server's order (session-service.ts listSessions): newest first, then by name. */
export function sortNewestFirst(sessions: AgenticSession[]): AgenticSession[] {
  return sessions.sort(
    (a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
}

/** The status fields a list entry carries; absent ones are cleared (the entry is the whole truth about them). */
function statusFromEntry(entry: SessionListEntry, previous: AgenticSessionStatus | undefined): AgenticSessionStatus {
  const result = entry.result && {
    ...previous?.result,
    subtype: entry.result.subtype,
    isError: entry.result.isError,
    totalCostUsd: entry.result.totalCostUsd,
    numTurns: entry.result.numTurns,
    durationMs: entry.result.durationMs,
  };
  return {
    ...previous,
    phase: entry.phase,
    runCount: entry.runCount,
    startTime: entry.startTime,
    completionTime: entry.completionTime,
    lastActivityTime: entry.lastActivityTime,
    stoppedReason: entry.stoppedReason,
    message: entry.message,
    result,
  };
}

/** The REST copy with what the stream says has changed since. */
export function withEntry(session: AgenticSession, entry: SessionListEntry): AgenticSession {
  return {
    ...session,
    spec: { ...session.spec, displayName: entry.displayName, interactive: entry.interactive },
    status: statusFromEntry(entry, session.status),
  };
}

/** A session known only from its list entry (created after the REST copy was read). */
export function sessionFromEntry(entry: SessionListEntry): AgenticSession {
  return {
    apiVersion: GROUP_VERSION,
    kind: 'AgenticSession',
    metadata: { name: entry.name, uid: entry.uid, creationTimestamp: entry.createdAt },
    spec: {
      interactive: entry.interactive,
      displayName: entry.displayName,
      ...(entry.createdBy ? { userContext: { userId: entry.createdBy } } : {}),
    },
    status: statusFromEntry(entry, undefined),
  };
}

/** One overlay per project and query cache: the stream writes it, the list's queryFn reads it. */
const overlays = new WeakMap<object, Map<string, SessionListOverlay>>();

export function sessionListOverlay(cache: object, project: string): SessionListOverlay {
  let byProject = overlays.get(cache);
  if (!byProject) overlays.set(cache, (byProject = new Map()));
  let overlay = byProject.get(project);
  if (!overlay) byProject.set(project, (overlay = new SessionListOverlay()));
  return overlay;
}
