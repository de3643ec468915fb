/**
 * The reducer's working copy of one batch (see reduce-events.ts): the message list is copied once,
 * and each message the batch touches is copied the first time (copy-on-write), so untouched
 * messages keep their identity and React skips re-rendering them.
 */
import type { SessionEvent } from '@ambient/contracts';
import type { AssistantMessage, ChatMessage, ChatState, StreamingMessage, SubagentStatus, ToolCallView } from './chat-types.ts';
import { recordField, stringField } from './event-fields.ts';

/** Mutable only inside reduceEvents; `finish` hands back the new immutable state. */
export class ChatDraft {
  readonly state: { -readonly [Key in keyof ChatState]: ChatState[Key] };
  private messages: ChatMessage[];
  private readonly positions = new Map<string, number>();
  private readonly toolCallOwners = new Map<string, number>();
  private readonly copies = new WeakSet<object>();
  /** AG-UI chunk events without an id continue the last chunked message / tool call. */
  private chunkMessageId: string | undefined;
  private chunkToolCallId: string | undefined;

  constructor(state: ChatState) {
    this.state = { ...state };
    this.messages = [...state.messages];
    this.reindex();
  }

  finish(): ChatState {
    this.state.messages = this.messages;
    return this.state;
  }

  replaceMessages(messages: ChatMessage[]): void {
    this.messages = messages;
    for (const message of messages) this.copies.add(message);
    this.reindex();
  }

  /** The message with this id, copied for writing; undefined when there is none. */
  editable(id: string): ChatMessage | undefined {
    const position = this.positions.get(id);
    if (position === undefined) return undefined;
    const current = this.messages[position]!;
    if (this.copies.has(current)) return current;
    const copy: ChatMessage =
      current.role === 'assistant' ? { ...current, toolCalls: [...current.toolCalls] } : { ...current };
    this.copies.add(copy);
    this.messages[position] = copy;
    return copy;
  }

  lastMessageIs(role: ChatMessage['role'], content: string): boolean {
    const last = this.messages.at(-1);
    return last?.role === role && 'content' in last && last.content === content;
  }

  push(message: ChatMessage): ChatMessage {
    this.copies.add(message);
    this.positions.set(message.id, this.messages.length);
    this.messages.push(message);
    return message;
  }

  /** The assistant message `id`, created at the end when missing (a stream whose start we lack). */
  assistant(id: string, event: SessionEvent): AssistantMessage {
    const existing = this.editable(id);
    if (existing?.role === 'assistant') return existing;
    // An id taken by another role must not merge two messages.
    const freeId = existing ? `${id}:assistant` : id;
    const found = existing ? this.editable(freeId) : undefined;
    if (found?.role === 'assistant') return found;
    return this.push({ id: freeId, role: 'assistant', content: '', toolCalls: [], streaming: true, ...attribution(event) }) as AssistantMessage;
  }

  /** A message that text deltas may extend, created as `role` when missing. */
  textTarget(id: string, role: 'user' | 'assistant' | 'system' | 'reasoning', event: SessionEvent): StreamingMessage {
    const existing = this.editable(id);
    if (existing && (existing.role === 'user' || existing.role === 'assistant' || existing.role === 'system' || existing.role === 'reasoning')) {
      return existing;
    }
    if (role === 'assistant') return this.assistant(id, event);
    return this.push({ id, role, content: '', streaming: true, ...attribution(event) }) as StreamingMessage;
  }

  chunkId(event: SessionEvent): string {
    const id = stringField(event, 'messageId') ?? this.chunkMessageId ?? `chunk-${event.seq}`;
    this.chunkMessageId = id;
    return id;
  }

  /** The tool call with this id, copied for writing (created under its parent message when missing). */
  toolCall(toolCallId: string | undefined, event: SessionEvent): ToolCallView | undefined {
    const id = toolCallId ?? this.chunkToolCallId;
    if (id === undefined) return undefined;
    this.chunkToolCallId = id;
    const ownerPosition = this.toolCallOwners.get(id);
    if (ownerPosition !== undefined) {
      const owner = this.editable(this.messages[ownerPosition]!.id) as AssistantMessage;
      const index = owner.toolCalls.findIndex((call) => call.id === id);
      const copy = { ...owner.toolCalls[index]! };
      (owner.toolCalls as ToolCallView[])[index] = copy;
      return copy;
    }
    const owner = this.assistant(stringField(event, 'parentMessageId') ?? id, event);
    const call: ToolCallView = { id, name: stringField(event, 'toolCallName') ?? '', arguments: '', argumentsComplete: false };
    (owner.toolCalls as ToolCallView[]).push(call);
    this.toolCallOwners.set(id, this.positions.get(owner.id)!);
    return call;
  }

  subagent(event: SessionEvent, status: SubagentStatus): void {
    const id = stringField(event, 'subagentRunId') ?? stringField(event, 'parentToolCallId');
    if (!id) return;
    const previous = this.state.subagents[id];
    const message = stringField(event, 'result') ?? stringField(event, 'message') ?? previous?.message;
    this.state.subagents = {
      ...this.state.subagents,
      [id]: {
        id,
        name: stringField(event, 'name') ?? previous?.name ?? 'subagent',
        description: stringField(event, 'description') ?? previous?.description,
        status,
        ...(message ? { message } : {}),
      },
    };
  }

  /** A run ended: whatever was still streaming (an interrupt cuts streams short) is closed. */
  closeStreams(): void {
    this.messages.forEach((message) => {
      if ('streaming' in message && message.streaming) (this.editable(message.id) as StreamingMessage).streaming = false;
    });
  }

  private reindex(): void {
    this.positions.clear();
    this.toolCallOwners.clear();
    this.messages.forEach((message, position) => {
      this.positions.set(message.id, position);
      if (message.role === 'assistant') for (const call of message.toolCalls) this.toolCallOwners.set(call.id, position);
    });
  }
}

export function attribution(event: SessionEvent): { subagentRunId?: string } {
  const subagentRunId = stringField(event, 'subagentRunId') ?? stringField(recordField(event, 'metadata'), 'parentToolCallId');
  return subagentRunId ? { subagentRunId } : {};
}
