/**
 * Drives ONE Claude Code conversation through a long-lived streaming-input `query()`.
 *
 * Every user message is one AG-UI run (see run-tracker.ts). The prompt stream hands Claude Code the
 * next message only after the previous turn's result, so runs never merge (the CLI would fold
 * messages queued during a turn into it). If the CLI dies while the session should go on, a new
 * query resumes the same conversation (same Claude Code session id), a bounded number of times.
 */
import { randomUUID } from 'node:crypto';
import { query as sdkQuery } from '@anthropic-ai/claude-agent-sdk';
import type { Options, Query, SDKMessage, SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import type { AgUiEvent } from '@ambient/contracts';
import type { Logger } from './log.ts';
import { describeError } from './redact.ts';
import { RunTracker } from './run-tracker.ts';
import { TailBuffer } from './tail-buffer.ts';
import { TurnQueue } from './turn-queue.ts';
import type { UserTurn } from './turn-queue.ts';

export type QueryFunction = (params: {
  prompt: AsyncIterable<SDKUserMessage>;
  options: Options;
}) => Query;

export interface SessionDriverOptions {
  /** AG-UI thread id: the session name. */
  threadId: string;
  interactive: boolean;
  initialPrompt?: string;
  /**
   * Continue this Claude Code conversation instead of starting one. An interactive session then
   * waits for a message; a one-shot session runs its initial prompt again.
   */
  resumeSdkSessionId?: string;
  /** Options of each query(); `resume` is set when a new query must continue the conversation. */
  queryOptions: (resume: string | undefined, stderr: (data: string) => void, forkSession?: boolean) => Options;
  /** Continuation: start from a fork of this conversation (the initial prompt still runs). */
  forkFromSdkSessionId?: string;
  emit: (event: AgUiEvent) => void;
  log: Logger;
  query?: QueryFunction;
  now?: () => number;
  /** How long `stop` waits for the CLI to wind down before closing it (default 10 s). */
  stopGraceMs?: number;
  /** Give up after this many queries in a row ended without any result (default 3). */
  maxConsecutiveFailures?: number;
  /** File keeping the messages that wait for their turn, so a restarted runner still has them. */
  pendingTurnsPath?: string;
}

/** A fixed id: a restarted runner recognises the initial prompt it already queued. */
export const INITIAL_PROMPT_MESSAGE_ID = 'user-initial-prompt';

export type DriverOutcome =
  | { kind: 'finished'; failed: boolean; interrupted: boolean }
  | { kind: 'stopped' }
  | { kind: 'crashed'; message: string };

const DEFAULT_STOP_GRACE_MS = 10_000;
const DEFAULT_MAX_CONSECUTIVE_FAILURES = 3;
const RESTART_DELAY_MS = 500;
const STDERR_TAIL_BYTES = 4_096;

export class SessionDriver {
  private readonly queue: TurnQueue;
  private readonly runs: RunTracker;
  private readonly query: QueryFunction;
  private currentQuery: Query | undefined;
  private stopping = false;
  private sdkSessionId: string | undefined;

  constructor(private readonly options: SessionDriverOptions) {
    this.queue = new TurnQueue({ persistPath: options.pendingTurnsPath });
    this.query = options.query ?? sdkQuery;
    this.runs = new RunTracker(options.threadId, options.emit, options.now ?? Date.now);
    this.sdkSessionId = options.resumeSdkSessionId;
    if (options.initialPrompt && !options.resumeSdkSessionId) {
      this.queue.push({ messageId: INITIAL_PROMPT_MESSAGE_ID, text: options.initialPrompt });
    } else if (options.initialPrompt && !options.interactive) {
      // A one-shot session takes no messages, so a resumed run of it (started again, or after its
      // runner was lost) would wait forever: it runs its prompt again, in the same conversation, as
      // a message of its own (the conversation fold keys messages by id).
      this.queue.push({ messageId: `${INITIAL_PROMPT_MESSAGE_ID}-${randomUUID()}`, text: options.initialPrompt });
    }
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  enqueue(turn: UserTurn): void {
    if (this.stopping) {
      this.options.log.warn(`user message ${turn.messageId} ignored: the session is stopping`);
      return;
    }
    this.queue.push(turn);
  }

  /** Ends the current turn early; the session stays usable. Without a turn in progress, a no-op. */
  async interrupt(): Promise<void> {
    const run = this.runs.active;
    const query = this.currentQuery;
    if (!run || !query) {
      this.options.log.info('interrupt ignored: no turn in progress');
      return;
    }
    run.interrupted = true;
    try {
      await query.interrupt();
    } catch (error) {
      this.options.log.warn(`interrupt failed: ${describeError(error)}`);
    }
  }

  /** Ends the session: the current turn is interrupted, queued messages are dropped. */
  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.options.log.info(`stopping (${reason})`);
    this.queue.close();
    if (this.runs.active) void this.interrupt();
    // Bounded: a CLI that does not wind down in time is closed (killed) by the SDK.
    const graceMs = this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    setTimeout(() => this.currentQuery?.close(), graceMs).unref();
  }

  async run(): Promise<DriverOutcome> {
    let consecutiveFailures = 0;
    for (;;) {
      const before = this.outcomeIfDone();
      if (before) return before;
      const resultsBefore = this.runs.resultCount;
      const failure = await this.runOneQuery();
      const after = this.outcomeIfDone();
      if (after) return after;

      // The query ended although the session goes on: the CLI exited or crashed.
      const producedResults = this.runs.resultCount > resultsBefore;
      consecutiveFailures = producedResults ? 1 : consecutiveFailures + 1;
      const message = failure ?? 'Claude Code exited unexpectedly';
      const limit = this.options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
      if (consecutiveFailures >= limit) return { kind: 'crashed', message };
      this.options.log.warn(`Claude Code ended (${message}); resuming the conversation`);
      await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS * consecutiveFailures));
    }
  }

  private outcomeIfDone(): DriverOutcome | undefined {
    if (this.stopping || this.queue.isClosed) return { kind: 'stopped' };
    const last = this.runs.lastOutcome;
    // A non-interactive session is done after its one run.
    if (!this.options.interactive && last) return { kind: 'finished', ...last };
    return undefined;
  }

  /** Runs one query() until it ends; returns the failure message if it threw. */
  private async runOneQuery(): Promise<string | undefined> {
    const abort = new AbortController();
    const stderrTail = new TailBuffer(STDERR_TAIL_BYTES);
    let failure: string | undefined;
    try {
      const query = this.query({
        prompt: this.promptStream(abort.signal),
        // Until this session has a conversation of its own, a continuation forks its parent's.
        options: this.sdkSessionId
          ? this.options.queryOptions(this.sdkSessionId, (data) => stderrTail.push(data))
          : this.options.queryOptions(this.options.forkFromSdkSessionId, (data) => stderrTail.push(data), this.options.forkFromSdkSessionId !== undefined),
      });
      this.currentQuery = query;
      for await (const message of query) this.onMessage(message);
    } catch (error) {
      failure = describeError(error);
      // When we ended the input (stop, or a non-interactive run done) after an error or
      // interrupted result, the SDK throws as the CLI exits: expected, not worth a warning.
      const inputEnded =
        this.stopping || (!this.options.interactive && this.runs.lastOutcome !== undefined);
      if (!inputEnded || this.runs.active) {
        this.options.log.warn(`Claude Code failed: ${failure}\n${stderrTail.text()}`);
      }
    } finally {
      abort.abort(); // releases a prompt stream still waiting, so it takes no message with it
      this.currentQuery = undefined;
    }
    this.runs.endWithoutResult(
      failure ?? 'Claude Code ended before the turn finished',
      this.stopping,
    );
    return failure;
  }

  private async *promptStream(signal: AbortSignal): AsyncGenerator<SDKUserMessage> {
    for (;;) {
      await this.runs.untilIdle(signal);
      if (signal.aborted) return;
      // A non-interactive session runs exactly one turn; ending the input lets the CLI exit.
      if (!this.options.interactive && this.runs.userRunsStarted > 0) return;
      const turn = await this.queue.next(signal);
      if (!turn) return;
      this.runs.begin(turn);
      yield {
        type: 'user',
        message: { role: 'user', content: turn.text },
        parent_tool_use_id: null,
        session_id: this.sdkSessionId ?? '',
      };
    }
  }

  private onMessage(message: SDKMessage): void {
    if (message.type === 'system' && message.subtype === 'init') {
      this.sdkSessionId = message.session_id; // a resumed query continues this conversation
    }
    this.runs.handle(message);
  }
}
