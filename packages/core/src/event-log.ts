/**
 * EventLog: the durable, ordered record of everything that happened in a session.
 *
 * `seq` is assigned by the log: per session, gapless, starting at 1. Runner events also carry the
 * runner's own `producerSeq`; the log ignores any producerSeq it already holds, which makes resends
 * after a reconnect or restart idempotent (no event lost, none stored twice).
 */
import type {
  AgUiEvent,
  RunnerCommand,
  SessionEvent,
  SessionRepoStatus,
  SessionResult,
} from '@ambient/contracts';
import type { Unsubscribe } from './resource-store.ts';

export interface AppendInput {
  event: AgUiEvent;
  /** Present for runner-produced events; absent for events the platform itself records. */
  producerSeq?: number;
}

export interface AppendResult {
  /** Events actually stored (duplicates skipped), with their seq. */
  appended: SessionEvent[];
  lastSeq: number;
  lastProducerSeq: number;
}

/** Facts folded from the events as they are appended, so readers never scan the log. */
export interface SessionSummary {
  lastSeq: number;
  lastProducerSeq: number;
  lastEventAt?: string;
  sdkSessionId?: string;
  lastResult?: SessionResult;
  runsStarted: number;
  runsFinished: number;
  lastRunError?: string;
  /**
   * The workspace's repositories as the runner last reported them (CUSTOM `ambient.repos`), in
   * status.repos form: credential-free URLs; the controller copies them into status.repos.
   */
  repos?: SessionRepoStatus[];
}

export interface ReadOptions {
  afterSeq?: number;
  limit?: number;
}

/** A session is addressed by its uid, so a deleted and re-created name never sees old events. */
export interface EventLog {
  append(sessionUid: string, inputs: AppendInput[]): Promise<AppendResult>;
  read(sessionUid: string, options?: ReadOptions): Promise<SessionEvent[]>;
  summary(sessionUid: string): Promise<SessionSummary>;
  /** Calls `onEvents` with every event after `afterSeq`, in order, first the stored ones, then live. */
  follow(
    sessionUid: string,
    afterSeq: number,
    onEvents: (events: SessionEvent[]) => void,
  ): Unsubscribe;
  deleteSession(sessionUid: string): Promise<void>;
}

/** Commands for the runner (user messages, interrupt, stop), durable until acknowledged. */
export interface CommandQueue {
  push(sessionUid: string, command: RunnerCommand): Promise<number>;
  /** Commands with cursor > afterCursor, oldest first. */
  readAfter(
    sessionUid: string,
    afterCursor: number,
  ): Promise<{ cursor: number; command: RunnerCommand }[]>;
  acknowledge(sessionUid: string, cursor: number): Promise<void>;
  lastAcknowledged(sessionUid: string): Promise<number>;
  /** Notified when a command is pushed for the session. */
  onPush(sessionUid: string, listener: () => void): Unsubscribe;
  deleteSession(sessionUid: string): Promise<void>;
}
