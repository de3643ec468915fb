/**
 * Builds session event logs shaped like the runner's (agent-driver/event-mapper.ts and
 * apps/runner/run-tracker.ts): user echo, reasoning, streamed assistant text, tool calls with
 * results, a Task sub-agent, the run result as CUSTOM + STATE_DELTA, and the run end. For tests and
 * benchmarks of compaction and streams; the ids follow the mapper's scheme.
 */
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { AgUiEvent, SessionEvent } from '@ambient/contracts';

export interface ScriptedTool {
  name: string;
  input: Record<string, unknown>;
  result: string;
  isError?: boolean;
}

export interface ScriptedRun {
  runId: string;
  /** The user's message; absent for a turn Claude Code started by itself. */
  user?: string;
  reasoning?: string;
  reply?: string;
  tools?: ScriptedTool[];
  subagent?: { name: string; reply: string; failed?: boolean };
  /** How the run ends; `open` leaves it in progress. */
  end?: 'success' | 'cancelled' | 'error' | 'open';
  costUsd?: number;
  /** Text is streamed in deltas of this many characters (default: one delta). */
  deltaLength?: number;
  /** Adds an `ambient.api_retry` notice (transient: compaction drops it). */
  retried?: boolean;
}

const BASE_TIMESTAMP = 1_800_000_000_000;

export function scriptRun(threadId: string, run: ScriptedRun): AgUiEvent[] {
  const events: AgUiEvent[] = [];
  const emit = (type: EventType, fields: Record<string, unknown>): void => {
    events.push({ type, timestamp: BASE_TIMESTAMP + events.length, ...fields });
  };
  const stream = (messageId: string, text: string, decoration: Record<string, unknown> = {}): void => {
    const length = run.deltaLength ?? Math.max(1, text.length);
    for (let offset = 0; offset < text.length; offset += length) {
      emit(EventType.TEXT_MESSAGE_CONTENT, { messageId, delta: text.slice(offset, offset + length), ...decoration });
    }
  };
  const ids = { threadId, runId: run.runId };
  emit(EventType.RUN_STARTED, run.user === undefined ? { ...ids, metadata: { initiatedBy: 'agent' } } : ids);
  if (run.user !== undefined) {
    const messageId = `${run.runId}-user`;
    emit(EventType.TEXT_MESSAGE_START, { messageId, role: 'user' });
    stream(messageId, run.user);
    emit(EventType.TEXT_MESSAGE_END, { messageId });
  }
  emit(EventType.CUSTOM, { name: CUSTOM_EVENT.sdkSession, value: { sdkSessionId: `sdk-${threadId}`, model: 'claude-test' } });
  if (run.retried) {
    emit(EventType.CUSTOM, { name: CUSTOM_EVENT.apiRetry, value: { attempt: 1, maxRetries: 3, retryDelayMs: 500, errorStatus: 529 } });
  }
  const messageId = `${run.runId}-msg-1`;
  if (run.reasoning) {
    const reasoningId = `${messageId}-reasoning-0`;
    emit(EventType.REASONING_START, { messageId: reasoningId });
    emit(EventType.REASONING_MESSAGE_START, { messageId: reasoningId, role: 'reasoning' });
    emit(EventType.REASONING_MESSAGE_CONTENT, { messageId: reasoningId, delta: run.reasoning });
    emit(EventType.REASONING_MESSAGE_END, { messageId: reasoningId });
    emit(EventType.REASONING_END, { messageId: reasoningId });
  }
  if (run.reply !== undefined) {
    emit(EventType.TEXT_MESSAGE_START, { messageId, role: 'assistant' });
    stream(messageId, run.reply);
    emit(EventType.TEXT_MESSAGE_END, { messageId });
  }
  (run.tools ?? []).forEach((tool, index) => {
    const toolCallId = `${run.runId}-tool-${index}`;
    emit(EventType.TOOL_CALL_START, { toolCallId, toolCallName: tool.name, parentMessageId: messageId });
    emit(EventType.TOOL_CALL_ARGS, { toolCallId, delta: JSON.stringify(tool.input) });
    emit(EventType.TOOL_CALL_END, { toolCallId });
    emit(EventType.TOOL_CALL_RESULT, {
      messageId: `${toolCallId}-result`,
      toolCallId,
      role: 'tool',
      content: tool.result,
      metadata: { isError: tool.isError === true },
    });
  });
  if (run.subagent) scriptSubagent(run, messageId, emit, stream);
  scriptEnd(run, ids, emit);
  return events;
}

type Emit = (type: EventType, fields: Record<string, unknown>) => void;

function scriptSubagent(
  run: ScriptedRun,
  parentMessageId: string,
  emit: Emit,
  stream: (messageId: string, text: string, decoration: Record<string, unknown>) => void,
): void {
  const subagent = run.subagent!;
  const toolCallId = `${run.runId}-task`;
  const decoration = { subagentRunId: toolCallId, metadata: { parentToolCallId: toolCallId } };
  emit(EventType.TOOL_CALL_START, { toolCallId, toolCallName: 'Task', parentMessageId });
  emit(EventType.TOOL_CALL_ARGS, { toolCallId, delta: JSON.stringify({ subagent_type: subagent.name, description: 'delegated work' }) });
  emit(EventType.TOOL_CALL_END, { toolCallId });
  emit(EventType.SUBAGENT_STARTED, { subagentRunId: toolCallId, name: subagent.name, description: 'delegated work', parentToolCallId: toolCallId });
  const innerId = `${run.runId}-msg-2`;
  emit(EventType.TEXT_MESSAGE_START, { messageId: innerId, role: 'assistant', ...decoration });
  stream(innerId, subagent.reply, decoration);
  emit(EventType.TEXT_MESSAGE_END, { messageId: innerId, ...decoration });
  if (subagent.failed) emit(EventType.SUBAGENT_ERROR, { subagentRunId: toolCallId, message: 'the sub-agent failed' });
  else emit(EventType.SUBAGENT_FINISHED, { subagentRunId: toolCallId, outcome: { type: 'success' }, result: subagent.reply });
  emit(EventType.TOOL_CALL_RESULT, {
    messageId: `${toolCallId}-result`,
    toolCallId,
    role: 'tool',
    content: subagent.reply,
    metadata: { isError: subagent.failed === true },
  });
}

function scriptEnd(run: ScriptedRun, ids: { threadId: string; runId: string }, emit: Emit): void {
  const end = run.end ?? 'success';
  if (end === 'open') return;
  if (end === 'error') {
    emit(EventType.RUN_ERROR, { ...ids, message: 'Claude Code exited', code: 'claude_code_exited' });
    return;
  }
  const result = {
    subtype: end === 'success' ? 'success' : 'error_during_execution',
    isError: end !== 'success',
    numTurns: 2,
    durationMs: 1_500,
    totalCostUsd: run.costUsd ?? 0.0125,
    usage: { input_tokens: 1_200, output_tokens: 340 },
    text: run.reply ?? '',
  };
  emit(EventType.CUSTOM, { name: CUSTOM_EVENT.runResult, value: result });
  emit(EventType.STATE_DELTA, { delta: [{ op: 'add', path: '/lastResult', value: result }] });
  emit(EventType.RUN_FINISHED, { ...ids, result, outcome: { type: end } });
}

/** Numbers events as the log would (seq from `firstSeq`, gapless). */
export function withSeqs(events: readonly AgUiEvent[], firstSeq = 1): SessionEvent[] {
  return events.map((event, index) => ({ ...event, seq: firstSeq + index }));
}

/** A whole session: the runs in order, with a platform lifecycle notice before the first one. */
export function scriptSession(threadId: string, runs: readonly ScriptedRun[]): SessionEvent[] {
  const lifecycle: AgUiEvent = {
    type: EventType.CUSTOM,
    timestamp: BASE_TIMESTAMP,
    name: CUSTOM_EVENT.lifecycle,
    value: { phase: 'Running', reason: 'RunnerStarted', message: 'the runner started' },
  };
  return withSeqs([lifecycle, ...runs.flatMap((run) => scriptRun(threadId, run))]);
}
