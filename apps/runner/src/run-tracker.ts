/**
 * The AG-UI run in progress: RUN_STARTED (with the echoed user message), the mapped SDK messages,
 * then exactly one RUN_FINISHED (outcome success, or cancelled when interrupted) or RUN_ERROR.
 * Runs without a user message are turns Claude Code started by itself (a background sub-agent
 * reporting back, for example).
 */
import { randomUUID } from 'node:crypto';
import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { createEventMapper, SubagentTracker, truncateText } from '@ambient/agent-driver';
import type { EventMapper } from '@ambient/agent-driver';
import { EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import type { UserTurn } from './turn-queue.ts';

export interface ActiveRun {
  runId: string;
  mapper: EventMapper;
  /** Set when the user (or stop) interrupted it: its error result means "cancelled". */
  interrupted: boolean;
}

export interface RunOutcome {
  failed: boolean;
  interrupted: boolean;
}

const MAX_RUN_ERROR_MESSAGE_LENGTH = 2_000;

export class RunTracker {
  private current: ActiveRun | undefined;
  private idleWaiters: (() => void)[] = [];
  private userRuns = 0;
  private results = 0;
  private last: RunOutcome | undefined;
  /** Shared by the runs' mappers: a background sub-agent can report in a later run. */
  private readonly subagents = new SubagentTracker();

  constructor(
    private readonly threadId: string,
    private readonly emitEvent: (event: AgUiEvent) => void,
    private readonly now: () => number,
  ) {}

  get active(): ActiveRun | undefined {
    return this.current;
  }

  get userRunsStarted(): number {
    return this.userRuns;
  }

  /** How many results were seen; lets the driver tell "crashed at once" from "ran, then died". */
  get resultCount(): number {
    return this.results;
  }

  get lastOutcome(): RunOutcome | undefined {
    return this.last;
  }

  /** Resolves when no run is in progress (or `signal` aborts). */
  untilIdle(signal: AbortSignal): Promise<void> {
    if (!this.current || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      this.idleWaiters.push(resolve);
    });
  }

  /** Starts a run for a user message, or (turn undefined) for a turn Claude Code started itself. */
  begin(turn: UserTurn | undefined): ActiveRun {
    const runId = randomUUID();
    const threadId = this.threadId;
    const mapper = createEventMapper({ threadId, runId, now: this.now, subagents: this.subagents });
    const run: ActiveRun = { runId, mapper, interrupted: false };
    this.current = run;
    if (!turn) {
      this.emit(EventType.RUN_STARTED, { threadId, runId, metadata: { initiatedBy: 'agent' } });
      return run;
    }
    this.userRuns += 1;
    this.emit(EventType.RUN_STARTED, { threadId, runId });
    this.emit(EventType.TEXT_MESSAGE_START, { messageId: turn.messageId, role: 'user' });
    if (turn.text) {
      this.emit(EventType.TEXT_MESSAGE_CONTENT, { messageId: turn.messageId, delta: turn.text });
    }
    this.emit(EventType.TEXT_MESSAGE_END, { messageId: turn.messageId });
    return run;
  }

  /** Maps one SDK message into the current run (opening one if Claude Code started a turn). */
  handle(message: SDKMessage): void {
    let run = this.current;
    if (!run) {
      if (!startsTurn(message)) return; // housekeeping between turns (task progress, status…)
      run = this.begin(undefined);
    }
    for (const event of run.mapper.map(message)) this.emitEvent(event);
    if (message.type === 'result') {
      this.results += 1;
      this.finishWithResult(run);
    }
  }

  /** Ends the current run when Claude Code went away before its result. */
  endWithoutResult(message: string, stopping: boolean): void {
    const run = this.current;
    if (!run) return;
    for (const event of run.mapper.finish()) this.emitEvent(event);
    const cancelled = run.interrupted || stopping;
    if (cancelled) {
      this.emit(EventType.RUN_FINISHED, { ...this.ids(run), outcome: { type: 'cancelled' } });
    } else {
      this.emit(EventType.RUN_ERROR, {
        ...this.ids(run),
        message: truncateText(message, MAX_RUN_ERROR_MESSAGE_LENGTH),
        code: 'claude_code_exited',
      });
    }
    this.end({ failed: !cancelled, interrupted: cancelled });
  }

  private finishWithResult(run: ActiveRun): void {
    const result = run.mapper.result;
    const isError = result?.isError ?? true;
    // An interrupt ends the turn with error_during_execution: the user's choice, not a failure.
    const interrupted = run.interrupted && isError;
    if (interrupted) {
      this.emit(EventType.RUN_FINISHED, {
        ...this.ids(run),
        result,
        outcome: { type: 'cancelled' },
      });
    } else if (isError) {
      const text = result?.text || `the run failed (${result?.subtype})`;
      this.emit(EventType.RUN_ERROR, {
        ...this.ids(run),
        message: truncateText(text, MAX_RUN_ERROR_MESSAGE_LENGTH),
        code: result?.subtype,
      });
    } else {
      this.emit(EventType.RUN_FINISHED, { ...this.ids(run), result, outcome: { type: 'success' } });
    }
    this.end({ failed: isError && !interrupted, interrupted });
  }

  private end(outcome: RunOutcome): void {
    this.last = outcome;
    this.current = undefined;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private ids(run: ActiveRun): { threadId: string; runId: string } {
    return { threadId: this.threadId, runId: run.runId };
  }

  private emit(type: EventType, fields: Record<string, unknown>): void {
    this.emitEvent({ type, timestamp: this.now(), ...fields });
  }
}

/** Messages that belong to a conversation turn (as opposed to housekeeping between turns). */
function startsTurn(message: SDKMessage): boolean {
  if (message.type === 'system') return message.subtype === 'init';
  if (message.type === 'user') return !('isReplay' in message && message.isReplay);
  return message.type === 'stream_event' || message.type === 'assistant';
}
