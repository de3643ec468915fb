/**
 * Folds a session's AG-UI events into the AG-UI `Message` list an AG-UI client would build from
 * them, plus the agent state and the last CUSTOM event of each name. Used on the server to compact
 * finished runs (compaction.ts) and by readers to rebuild what a stream means, so both sides agree
 * by construction.
 *
 * Message shapes follow @ag-ui/core (tests validate every snapshot with its schema): user text,
 * assistant text with `toolCalls` ({id, type: 'function', function: {name, arguments}}), tool
 * messages with the result (`error` set when the tool failed), reasoning messages. Sub-agent work
 * keeps its nesting: messages carry the event's `subagentRunId` and `metadata.parentToolCallId`, and
 * the Task tool call that started a sub-agent carries `metadata.subagent` ({name, status, …}).
 * A MESSAGES_SNAPSHOT replaces the list (AG-UI semantics), a STATE_SNAPSHOT the state.
 */
import { EventType } from '@ambient/contracts';
import type { SessionEvent } from '@ambient/contracts';
import { applyJsonPatch } from './json-patch.ts';
import type { JsonPatchOperation } from './json-patch.ts';
import type {
  AssistantMessage,
  ConversationMessage,
  LastRunOutcome,
  MessageMetadata,
  RunOutcomeMark,
  ToolCall,
  ToolMessage,
} from './conversation-messages.ts';

export type * from './conversation-messages.ts';

/** Key of the platform's facts in a MESSAGES_SNAPSHOT's `metadata` ("ag-ui" is the protocol's). */
export const COMPACTION_METADATA_KEY = 'ambient';

/** How much of a failed tool's output is repeated in the tool message's `error`. */
const MAX_TOOL_ERROR_LENGTH = 500;

type Handler = (fold: ConversationFold, event: SessionEvent) => void;

export class ConversationFold {
  #messages: ConversationMessage[] = [];
  #byId = new Map<string, ConversationMessage>();
  #toolCalls = new Map<string, ToolCall>();
  #customs = new Map<string, SessionEvent>();
  #state: unknown = undefined;
  #stateSeq = 0;
  #lastSeq = 0;
  #finishedRuns = 0;
  #lastRun: LastRunOutcome | undefined;
  #runOutcomes: RunOutcomeMark[] = [];
  /** TEXT/REASONING/TOOL_CALL chunks without an id continue the last chunked item (AG-UI rule). */
  #chunkMessageId: string | undefined;
  #chunkToolCallId: string | undefined;

  /** Live view, mutated by later `apply` calls: clone it before keeping it. */
  get messages(): readonly ConversationMessage[] {
    return this.#messages;
  }
  get state(): unknown {
    return this.#state;
  }
  /** Seq of the last STATE_SNAPSHOT/STATE_DELTA folded (0: none). */
  get stateSeq(): number {
    return this.#stateSeq;
  }
  get lastSeq(): number {
    return this.#lastSeq;
  }
  /** RUN_FINISHED and RUN_ERROR events folded (the EventLog summary's `runsFinished`). */
  get finishedRuns(): number {
    return this.#finishedRuns;
  }
  get lastRun(): LastRunOutcome | undefined {
    return this.#lastRun;
  }
  /** Every run that did not succeed, in order, with its place in `messages`. */
  get runOutcomes(): readonly RunOutcomeMark[] {
    return this.#runOutcomes;
  }
  /** The last CUSTOM event of each name, in seq order. */
  customEvents(): SessionEvent[] {
    return [...this.#customs.values()].sort((a, b) => a.seq - b.seq);
  }

  apply(event: SessionEvent): void {
    this.#lastSeq = event.seq;
    HANDLERS[event.type]?.(this, event);
  }

  applyAll(events: Iterable<SessionEvent>): this {
    for (const event of events) this.apply(event);
    return this;
  }

  // The handlers below are called through HANDLERS; they are public only to that table.

  startText(event: SessionEvent, role: string | undefined): ConversationMessage {
    const id = field(event, 'messageId') ?? '';
    if (role === undefined || role === 'assistant') {
      const message = this.assistant(id, event);
      message.content ??= '';
      return message;
    }
    const existing = this.#byId.get(id);
    if (existing) return existing;
    const plainRole = role === 'system' || role === 'developer' ? role : 'user';
    return this.#push({ id, role: plainRole, content: '', ...attribution(event) });
  }

  appendText(event: SessionEvent, kind: 'text' | 'reasoning'): void {
    const id = field(event, 'messageId') ?? '';
    if (kind === 'reasoning') this.reasoning(event, id);
    const message = this.#byId.get(id) ?? this.assistant(id, event);
    const delta = field(event, 'delta') ?? '';
    if (message.role === 'assistant') message.content = (message.content ?? '') + delta;
    else if (typeof message.content === 'string' && message.role !== 'activity') message.content += delta;
  }

  textChunk(event: SessionEvent, kind: 'text' | 'reasoning'): void {
    const id = field(event, 'messageId') ?? this.#chunkMessageId ?? `chunk-${event.seq}`;
    this.#chunkMessageId = id;
    if (!this.#byId.has(id)) {
      if (kind === 'reasoning') this.reasoning(event, id);
      else this.startText({ ...event, messageId: id }, field(event, 'role'));
    }
    this.appendText({ ...event, messageId: id }, kind);
  }

  reasoning(event: SessionEvent, id = field(event, 'messageId') ?? ''): void {
    if (this.#byId.has(id)) return;
    this.#push({ id, role: 'reasoning', content: '', ...attribution(event) });
  }

  /** The assistant message `id` (created at the end of the list when it does not exist yet). */
  assistant(id: string, event: SessionEvent): AssistantMessage {
    const existing = this.#byId.get(id);
    if (existing?.role === 'assistant') return existing;
    // An id taken by another role (a producer bug) must not merge two messages.
    const freeId = existing ? `${id}:assistant` : id;
    const found = this.#byId.get(freeId);
    if (found?.role === 'assistant') return found;
    return this.#push({ id: freeId, role: 'assistant', ...attribution(event) }) as AssistantMessage;
  }

  startToolCall(event: SessionEvent, toolCallId: string): ToolCall {
    const existing = this.#toolCalls.get(toolCallId);
    if (existing) return existing;
    const message = this.assistant(field(event, 'parentMessageId') ?? toolCallId, event);
    const call: ToolCall = { id: toolCallId, type: 'function', function: { name: field(event, 'toolCallName') ?? '', arguments: '' } };
    (message.toolCalls ??= []).push(call);
    this.#toolCalls.set(toolCallId, call);
    return call;
  }

  appendToolArgs(toolCallId: string | undefined, event: SessionEvent): void {
    const id = toolCallId ?? this.#chunkToolCallId;
    if (id === undefined) return;
    this.#chunkToolCallId = id;
    const call = this.#toolCalls.get(id) ?? this.startToolCall(event, id);
    call.function.arguments += field(event, 'delta') ?? '';
  }

  toolResult(event: SessionEvent): void {
    const metadata = objectField(event, 'metadata');
    const content = event['content'];
    const message: ToolMessage = {
      id: field(event, 'messageId') ?? `${field(event, 'toolCallId')}-result`,
      role: 'tool',
      toolCallId: field(event, 'toolCallId') ?? '',
      content: typeof content === 'string' || Array.isArray(content) ? content : '',
      ...attribution(event),
    };
    if (metadata?.['isError'] === true) {
      message.error = typeof content === 'string' && content ? content.slice(0, MAX_TOOL_ERROR_LENGTH) : 'the tool failed';
    }
    const existing = this.#byId.get(message.id);
    if (existing) Object.assign(existing, message);
    else this.#push(message);
  }

  subagent(event: SessionEvent, status: 'running' | 'finished' | 'failed'): void {
    const subagentRunId = field(event, 'subagentRunId') ?? '';
    const call = this.#toolCalls.get(field(event, 'parentToolCallId') ?? subagentRunId);
    if (!call) return; // attribution still lives on the sub-agent's own messages
    const previous = objectField(call.metadata ?? {}, 'subagent') ?? {};
    const update: MessageMetadata = { ...previous, subagentRunId, status };
    for (const key of ['name', 'description', 'result', 'message', 'code'] as const) {
      if (event[key] !== undefined) update[key] = event[key];
    }
    call.metadata = { ...call.metadata, subagent: update };
  }

  activity(event: SessionEvent, patch: readonly JsonPatchOperation[] | undefined): void {
    const id = field(event, 'messageId') ?? '';
    const existing = this.#byId.get(id);
    if (patch !== undefined) {
      if (existing?.role !== 'activity') return;
      existing.content = tryPatch(existing.content, patch) as MessageMetadata;
      return;
    }
    const content = structuredClone(objectField(event, 'content') ?? {});
    if (existing?.role === 'activity') {
      if (event['replace'] !== false) existing.content = content;
      return;
    }
    this.#push({ id, role: 'activity', activityType: field(event, 'activityType') ?? '', content, ...attribution(event) });
  }

  encryptedValue(event: SessionEvent): void {
    const entityId = field(event, 'entityId') ?? '';
    const target = field(event, 'subtype') === 'tool-call' ? this.#toolCalls.get(entityId) : this.#byId.get(entityId);
    const value = field(event, 'encryptedValue');
    if (target && value !== undefined) target.encryptedValue = value;
  }

  replaceMessages(event: SessionEvent): void {
    const messages = Array.isArray(event['messages']) ? (structuredClone(event['messages']) as ConversationMessage[]) : [];
    this.#messages = [];
    this.#byId.clear();
    this.#toolCalls.clear();
    for (const message of messages) this.#push(message);
    // Places in the old list mean nothing in the new one; a compacted snapshot brings its own.
    const ambient = objectField(objectField(event, 'metadata') ?? {}, COMPACTION_METADATA_KEY);
    this.#runOutcomes = runOutcomesOf(ambient?.['runOutcomes'], this.#messages.length);
  }

  setState(event: SessionEvent, delta: readonly JsonPatchOperation[] | undefined): void {
    this.#state = delta === undefined ? structuredClone(event['snapshot']) : tryPatch(this.#state ?? {}, delta);
    this.#stateSeq = event.seq;
  }

  custom(event: SessionEvent): void {
    const name = field(event, 'name');
    if (name === undefined) return;
    this.#customs.delete(name);
    this.#customs.set(name, event);
  }

  finishRun(event: SessionEvent): void {
    this.#finishedRuns += 1;
    const outcome = objectField(event, 'outcome')?.['type'];
    this.#lastRun = {
      seq: event.seq,
      ...(field(event, 'runId') ? { runId: field(event, 'runId') } : {}),
      outcome:
        event.type === EventType.RUN_ERROR ? 'error' : outcome === 'cancelled' || outcome === 'interrupt' ? outcome : 'success',
      ...(field(event, 'message') ? { message: field(event, 'message') } : {}),
      ...(field(event, 'code') ? { code: field(event, 'code') } : {}),
    };
    const { outcome: ended } = this.#lastRun;
    if (ended !== 'success') this.#runOutcomes.push({ ...this.#lastRun, outcome: ended, messageCount: this.#messages.length });
  }

  #push(message: ConversationMessage): ConversationMessage {
    this.#messages.push(message);
    this.#byId.set(message.id, message);
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) this.#toolCalls.set(call.id, call);
    return message;
  }
}

const HANDLERS: Partial<Record<string, Handler>> = {
  [EventType.TEXT_MESSAGE_START]: (fold, event) => void fold.startText(event, field(event, 'role')),
  [EventType.TEXT_MESSAGE_CONTENT]: (fold, event) => fold.appendText(event, 'text'),
  [EventType.TEXT_MESSAGE_CHUNK]: (fold, event) => fold.textChunk(event, 'text'),
  [EventType.REASONING_MESSAGE_START]: (fold, event) => fold.reasoning(event),
  [EventType.REASONING_MESSAGE_CONTENT]: (fold, event) => fold.appendText(event, 'reasoning'),
  [EventType.REASONING_MESSAGE_CHUNK]: (fold, event) => fold.textChunk(event, 'reasoning'),
  [EventType.REASONING_ENCRYPTED_VALUE]: (fold, event) => fold.encryptedValue(event),
  [EventType.TOOL_CALL_START]: (fold, event) => void fold.startToolCall(event, field(event, 'toolCallId') ?? ''),
  [EventType.TOOL_CALL_ARGS]: (fold, event) => fold.appendToolArgs(field(event, 'toolCallId') ?? '', event),
  [EventType.TOOL_CALL_CHUNK]: (fold, event) => fold.appendToolArgs(field(event, 'toolCallId'), event),
  [EventType.TOOL_CALL_RESULT]: (fold, event) => fold.toolResult(event),
  [EventType.SUBAGENT_STARTED]: (fold, event) => fold.subagent(event, 'running'),
  [EventType.SUBAGENT_FINISHED]: (fold, event) => fold.subagent(event, 'finished'),
  [EventType.SUBAGENT_ERROR]: (fold, event) => fold.subagent(event, 'failed'),
  [EventType.ACTIVITY_SNAPSHOT]: (fold, event) => fold.activity(event, undefined),
  [EventType.ACTIVITY_DELTA]: (fold, event) => fold.activity(event, patchField(event, 'patch')),
  [EventType.MESSAGES_SNAPSHOT]: (fold, event) => fold.replaceMessages(event),
  [EventType.STATE_SNAPSHOT]: (fold, event) => fold.setState(event, undefined),
  [EventType.STATE_DELTA]: (fold, event) => fold.setState(event, patchField(event, 'delta') ?? []),
  [EventType.CUSTOM]: (fold, event) => fold.custom(event),
  [EventType.RUN_FINISHED]: (fold, event) => fold.finishRun(event),
  [EventType.RUN_ERROR]: (fold, event) => fold.finishRun(event),
};

function field(event: Record<string, unknown>, key: string): string | undefined {
  const value = event[key];
  return typeof value === 'string' ? value : undefined;
}

function objectField(event: Record<string, unknown>, key: string): MessageMetadata | undefined {
  const value = event[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as MessageMetadata) : undefined;
}

/** The marks a compacted MESSAGES_SNAPSHOT carries, kept only when well formed and within its list. */
function runOutcomesOf(value: unknown, messageCount: number): RunOutcomeMark[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (mark): mark is RunOutcomeMark =>
      typeof mark === 'object' &&
      mark !== null &&
      Number.isInteger(mark.seq) &&
      ['cancelled', 'interrupt', 'error'].includes(mark.outcome) &&
      Number.isInteger(mark.messageCount) &&
      mark.messageCount >= 0 &&
      mark.messageCount <= messageCount,
  ).map((mark) => structuredClone(mark));
}

function patchField(event: SessionEvent, key: string): JsonPatchOperation[] | undefined {
  const value = event[key];
  return Array.isArray(value) ? (value as JsonPatchOperation[]) : undefined;
}

/** Who produced a message: the sub-agent's run id and the event's metadata (parentToolCallId, …). */
function attribution(event: SessionEvent): { subagentRunId?: string; metadata?: MessageMetadata } {
  const subagentRunId = field(event, 'subagentRunId');
  const metadata = objectField(event, 'metadata');
  return {
    ...(subagentRunId !== undefined ? { subagentRunId } : {}),
    ...(metadata !== undefined ? { metadata: structuredClone(metadata) } : {}),
  };
}

/** A patch that does not apply leaves the document as it was (RFC 6902 is all-or-nothing). */
function tryPatch(document: unknown, patch: readonly JsonPatchOperation[]): unknown {
  try {
    return applyJsonPatch(document, patch);
  } catch {
    return document;
  }
}
