/**
 * The chat's event reducer: pure, immutable, and exactly-once. Every event carries the session's
 * seq (ADR 0003); an event at or below `lastSeq` was applied already and changes nothing, so a
 * reconnect that repeats events, React's double effects in development, or two streams racing
 * during a remount can never show a message twice. A MESSAGES_SNAPSHOT replaces the messages;
 * partial streams join (deltas whose START was compacted away still land in one message).
 *
 * `reduceEvents` applies a batch with one copy of the message list, so the chat can apply all
 * events of an animation frame at once and a busy stream does not copy a long list per event.
 */
import { CUSTOM_EVENT, EventType } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import type { ChatMessage, ChatState, RunResultView } from './chat-types.ts';
import { attribution, ChatDraft } from './chat-draft.ts';
import { contentText, numberField, recordField, stringField } from './event-fields.ts';
import type { LooseRecord } from './event-fields.ts';
import { runOutcomeMessage, snapshotView } from './snapshot.ts';

export { INITIAL_CHAT_STATE } from './chat-types.ts';

/** Applies one event (see reduceEvents). */
export function reduceEvent(state: ChatState, event: SessionEvent): ChatState {
  return reduceEvents(state, [event]);
}

/** Applies events in order; events at or below the state's `lastSeq` are skipped. */
export function reduceEvents(state: ChatState, events: readonly SessionEvent[]): ChatState {
  if (!events.some((event) => event.seq > state.lastSeq)) return state;
  const draft = new ChatDraft(state);
  for (const event of events) {
    if (event.seq <= draft.state.lastSeq) continue;
    HANDLERS[event.type]?.(draft, event);
    draft.state.lastSeq = event.seq;
  }
  return draft.finish();
}

type Handler = (draft: ChatDraft, event: SessionEvent) => void;

function textRole(event: SessionEvent): 'user' | 'assistant' | 'system' {
  const role = stringField(event, 'role');
  if (role === 'user') return 'user';
  if (role === 'system' || role === 'developer') return 'system';
  return 'assistant';
}

function appendDelta(draft: ChatDraft, id: string, role: 'user' | 'assistant' | 'system' | 'reasoning', event: SessionEvent): void {
  const message = draft.textTarget(id, role, event);
  message.content += stringField(event, 'delta') ?? '';
  draft.state.retry = undefined; // output flows again: the model API answered
}

function endStream(draft: ChatDraft, event: SessionEvent): void {
  const message = draft.editable(stringField(event, 'messageId') ?? '');
  if (message && 'streaming' in message) message.streaming = false;
}

function resultView(value: LooseRecord | undefined): RunResultView | undefined {
  if (!value) return undefined;
  return {
    isError: value['isError'] === true,
    numTurns: numberField(value, 'numTurns'),
    durationMs: numberField(value, 'durationMs'),
    totalCostUsd: numberField(value, 'totalCostUsd'),
    usage: recordField(value, 'usage'),
  };
}

function custom(draft: ChatDraft, event: SessionEvent): void {
  const value = recordField(event, 'value');
  switch (stringField(event, 'name')) {
    case CUSTOM_EVENT.runResult:
      draft.state.lastResult = resultView(value) ?? draft.state.lastResult;
      return;
    case CUSTOM_EVENT.sdkSession:
      draft.state.model = stringField(value, 'model') ?? draft.state.model;
      return;
    case CUSTOM_EVENT.apiRetry:
      draft.state.retry = {
        attempt: numberField(value, 'attempt') ?? 1,
        maxRetries: numberField(value, 'maxRetries'),
        errorStatus: numberField(value, 'errorStatus'),
      };
      return;
    case CUSTOM_EVENT.lifecycle: {
      const text = stringField(value, 'message') ?? [stringField(value, 'phase'), stringField(value, 'reason')].filter(Boolean).join(': ');
      // Stopping and Stopped often carry the same sentence: say it once.
      if (text && !draft.lastMessageIs('notice', text)) draft.push({ id: `notice-${event.seq}`, role: 'notice', content: text });
      return;
    }
    default:
      return;
  }
}

function finishRun(draft: ChatDraft, event: SessionEvent): void {
  draft.closeStreams();
  draft.state.retry = undefined;
  const runId = stringField(event, 'runId') ?? draft.state.run.runId;
  if (event.type === EventType.RUN_ERROR) {
    draft.push(runOutcomeMessage('error', event.seq, stringField(event, 'message'), stringField(event, 'code'))!);
    draft.state.run = runId ? { status: 'failed', runId } : { status: 'failed' };
    return;
  }
  const outcome = stringField(recordField(event, 'outcome'), 'type');
  // A cut-short answer must not read as the agent's complete reply: it is marked "Interrupted".
  const marker = runOutcomeMessage(outcome, event.seq);
  const status = marker ? 'cancelled' : 'finished';
  draft.state.run = runId ? { status, runId } : { status };
  if (marker) draft.push(marker);
  draft.state.lastResult = resultView(recordField(event, 'result')) ?? draft.state.lastResult;
}

const HANDLERS: Partial<Record<string, Handler>> = {
  [EventType.RUN_STARTED]: (draft, event) => {
    const runId = stringField(event, 'runId');
    draft.state.run = runId ? { status: 'running', runId } : { status: 'running' };
    draft.state.retry = undefined;
  },
  [EventType.RUN_FINISHED]: finishRun,
  [EventType.RUN_ERROR]: finishRun,
  [EventType.TEXT_MESSAGE_START]: (draft, event) => {
    const message = draft.textTarget(stringField(event, 'messageId') ?? '', textRole(event), event);
    message.streaming = true;
  },
  [EventType.TEXT_MESSAGE_CONTENT]: (draft, event) =>
    appendDelta(draft, stringField(event, 'messageId') ?? '', 'assistant', event),
  [EventType.TEXT_MESSAGE_CHUNK]: (draft, event) => appendDelta(draft, draft.chunkId(event), textRole(event), event),
  [EventType.TEXT_MESSAGE_END]: endStream,
  [EventType.REASONING_MESSAGE_START]: (draft, event) => {
    draft.textTarget(stringField(event, 'messageId') ?? '', 'reasoning', event).streaming = true;
  },
  [EventType.REASONING_MESSAGE_CONTENT]: (draft, event) =>
    appendDelta(draft, stringField(event, 'messageId') ?? '', 'reasoning', event),
  [EventType.REASONING_MESSAGE_CHUNK]: (draft, event) => appendDelta(draft, draft.chunkId(event), 'reasoning', event),
  [EventType.REASONING_MESSAGE_END]: endStream,
  [EventType.TOOL_CALL_START]: (draft, event) => void draft.toolCall(stringField(event, 'toolCallId') ?? '', event),
  [EventType.TOOL_CALL_ARGS]: (draft, event) => {
    const call = draft.toolCall(stringField(event, 'toolCallId') ?? '', event);
    if (call) call.arguments += stringField(event, 'delta') ?? '';
    draft.state.retry = undefined;
  },
  [EventType.TOOL_CALL_CHUNK]: (draft, event) => {
    const call = draft.toolCall(stringField(event, 'toolCallId'), event);
    if (call) call.arguments += stringField(event, 'delta') ?? '';
  },
  [EventType.TOOL_CALL_END]: (draft, event) => {
    const call = draft.toolCall(stringField(event, 'toolCallId') ?? '', event);
    if (call) call.argumentsComplete = true;
  },
  [EventType.TOOL_CALL_RESULT]: (draft, event) => {
    const toolCallId = stringField(event, 'toolCallId') ?? '';
    const id = stringField(event, 'messageId') ?? `${toolCallId}-result`;
    const result: ChatMessage = {
      id,
      role: 'tool',
      toolCallId,
      content: contentText(event['content']),
      isError: recordField(event, 'metadata')?.['isError'] === true,
      ...attribution(event),
    };
    const existing = draft.editable(id);
    if (existing) Object.assign(existing, result);
    else draft.push(result);
  },
  [EventType.SUBAGENT_STARTED]: (draft, event) => draft.subagent(event, 'running'),
  [EventType.SUBAGENT_FINISHED]: (draft, event) => draft.subagent(event, 'finished'),
  [EventType.SUBAGENT_ERROR]: (draft, event) => draft.subagent(event, 'failed'),
  [EventType.MESSAGES_SNAPSHOT]: (draft, event) => {
    const view = snapshotView(event, event.seq);
    draft.replaceMessages(view.messages);
    draft.state.subagents = view.subagents;
    draft.state.run = view.run;
    draft.state.retry = undefined;
  },
  [EventType.CUSTOM]: custom,
};
