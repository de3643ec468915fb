/**
 * Compaction of a session's event stream: what a reader needs instead of every stored event.
 *
 * The compacted span is seq 1..C, where C is the seq of the LAST RUN_FINISHED or RUN_ERROR in the
 * log: every run up to it is finished (a run left dangling by a crash before it is covered too,
 * which is what the reconciler's RUN_ERROR says anyway). Events after C (the run in progress, and
 * any platform notices after the last run) are never compacted and travel raw.
 *
 * The span is replaced by these frames, in strictly increasing seq order:
 *   1. the last CUSTOM event of each name (e.g. `ambient.sdk_session`, `ambient.run_result`,
 *      `ambient.lifecycle`), unchanged, with its own seq; transient progress notices
 *      (`ambient.api_retry`) are dropped;
 *   2. one STATE_SNAPSHOT of the folded agent state (STATE_SNAPSHOT/STATE_DELTA events), with the
 *      seq of the last state event it covers (only when the span has state events);
 *   3. one MESSAGES_SNAPSHOT of every message (conversation-fold.ts), with seq C. Its
 *      `metadata.ambient` says what it covers: {compactedThroughSeq, finishedRuns, lastRun} and,
 *      when runs were interrupted or failed, `runOutcomes`: each such run with the number of
 *      messages before its end, so readers keep every run's marker where it happened.
 * Every frame keeps the seq of the last event it stands for, and those seqs are distinct (the
 * kept and folded events are different events, and C is a run end), so a reader's cursor keeps its
 * exact meaning: "I have everything up to and including seq N".
 *
 * Resume rule (planResume), for a reader asking for `after = k`:
 *   - k >= C: raw events after k only; its view already includes the whole span.
 *   - k < C: the frames above with seq > k (the snapshots replace what it had: AG-UI
 *     MESSAGES_SNAPSHOT/STATE_SNAPSHOT semantics; kept CUSTOM events at or before k it already
 *     saw), then raw events after C.
 * Either way the reader ends with the same messages and state as a reader of every raw event, and
 * no seq is delivered twice: the property the stream tests check from every cursor.
 *
 * Incremental: a SessionCompactor folds runs as they finish and can drop the in-progress tail
 * (`forgetPending`), so a cache extends it by reading only events after its last compaction.
 */
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { COMPACTION_METADATA_KEY, ConversationFold } from './conversation-fold.ts';

/** CUSTOM events that only matter while they happen: compaction drops them. */
export const TRANSIENT_CUSTOM_EVENTS: ReadonlySet<string> = new Set([CUSTOM_EVENT.apiRetry]);

export function isRunEnd(event: { type: string }): boolean {
  return event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR;
}

export class SessionCompactor {
  readonly #fold = new ConversationFold();
  #pending: SessionEvent[] = [];
  #lastSeenSeq = 0;
  #compactedThroughSeq = 0;

  /** C: the seq of the last run end folded (0 while no run has finished). */
  get compactedThroughSeq(): number {
    return this.#compactedThroughSeq;
  }
  /** Run ends folded: compare with the EventLog summary's `runsFinished` to know if C moved. */
  get finishedRuns(): number {
    return this.#fold.finishedRuns;
  }
  /** The highest seq pushed (and not forgotten). */
  get lastSeenSeq(): number {
    return this.#lastSeenSeq;
  }
  /** Events after C, held raw until their run ends. */
  get pending(): readonly SessionEvent[] {
    return this.#pending;
  }

  /** Feeds events in seq order; events at or below `lastSeenSeq` are skipped (overlapping reads). */
  push(events: Iterable<SessionEvent>): void {
    for (const event of events) {
      if (event.seq <= this.#lastSeenSeq) continue;
      this.#lastSeenSeq = event.seq;
      this.#pending.push(event);
      if (!isRunEnd(event)) continue;
      this.#fold.applyAll(this.#pending);
      this.#pending = [];
      this.#compactedThroughSeq = event.seq;
    }
  }

  /** Drops the raw tail to save memory; the next `push` must start again after C. */
  forgetPending(): void {
    this.#pending = [];
    this.#lastSeenSeq = this.#compactedThroughSeq;
  }

  /** The frames that stand for seq 1..C (empty while nothing is compacted); fresh copies. */
  prefix(): SessionEvent[] {
    const throughSeq = this.#compactedThroughSeq;
    if (throughSeq === 0) return [];
    const fold = this.#fold;
    const frames: SessionEvent[] = fold
      .customEvents()
      .filter((event) => !TRANSIENT_CUSTOM_EVENTS.has(String(event['name'])))
      .map((event) => structuredClone(event));
    if (fold.stateSeq > 0 && fold.state !== undefined) {
      frames.push({ type: EventType.STATE_SNAPSHOT, seq: fold.stateSeq, snapshot: structuredClone(fold.state) });
    }
    frames.sort((a, b) => a.seq - b.seq);
    frames.push({
      type: EventType.MESSAGES_SNAPSHOT,
      seq: throughSeq,
      messages: structuredClone(fold.messages),
      metadata: {
        [COMPACTION_METADATA_KEY]: {
          compactedThroughSeq: throughSeq,
          finishedRuns: fold.finishedRuns,
          ...(fold.lastRun ? { lastRun: fold.lastRun } : {}),
          ...(fold.runOutcomes.length > 0 ? { runOutcomes: structuredClone(fold.runOutcomes) } : {}),
        },
      },
    });
    return frames;
  }
}

export interface ResumePlan<T> {
  /** Compacted frames the reader gets first. */
  replay: T[];
  /** Then raw events with seq greater than this. */
  rawAfterSeq: number;
}

/** The resume rule of the header comment; `prefix` is SessionCompactor.prefix() (or its encoding). */
export function planResume<T extends { seq: number }>(
  prefix: readonly T[],
  compactedThroughSeq: number,
  afterSeq: number,
): ResumePlan<T> {
  if (afterSeq >= compactedThroughSeq) return { replay: [], rawAfterSeq: afterSeq };
  return { replay: prefix.filter((frame) => frame.seq > afterSeq), rawAfterSeq: compactedThroughSeq };
}

/** What a reader at `after = afterSeq` receives from a log holding exactly `events` (reference). */
export function compactEvents(events: Iterable<SessionEvent>, afterSeq = 0): SessionEvent[] {
  const compactor = new SessionCompactor();
  compactor.push(events);
  const plan = planResume(compactor.prefix(), compactor.compactedThroughSeq, afterSeq);
  return [...plan.replay, ...compactor.pending.filter((event) => event.seq > plan.rawAfterSeq)];
}
