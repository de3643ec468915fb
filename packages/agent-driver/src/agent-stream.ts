/**
 * Streaming state of ONE agent (the main thread, or one sub-agent): turns the raw Messages API
 * stream events and the complete assistant messages of that agent into AG-UI text, tool-call and
 * reasoning events.
 *
 * With partial messages on, Claude Code emits every content block twice: first as stream events,
 * then as a complete `assistant` message (one per block, sharing the API message id, arriving just
 * before the block's content_block_stop). The complete copy is used only for blocks that were NOT
 * streamed, matched by tool_use id, or by ordinal per block kind within the same API message: text
 * comparison would fail on interrupted blocks, whose complete copy can differ from the deltas seen.
 */
import { EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import type {
  SDKAssistantMessage,
  SDKPartialAssistantMessage,
} from '@anthropic-ai/claude-agent-sdk';

export type StreamEvent = SDKPartialAssistantMessage['event'];
export type AssistantBlock = SDKAssistantMessage['message']['content'][number];
type StartedBlock = Extract<StreamEvent, { type: 'content_block_start' }>['content_block'];
type BlockDelta = Extract<StreamEvent, { type: 'content_block_delta' }>['delta'];

/** Builds an event with the mapper's timestamp and sub-agent decoration. */
export type EmitEvent = (type: EventType, fields: Record<string, unknown>) => AgUiEvent;

type OpenBlock =
  | { kind: 'text'; messageId: string }
  | { kind: 'tool'; toolCallId: string }
  | { kind: 'reasoning'; messageId: string };

interface BlockCounts {
  text: number;
  thinking: number;
}

export class AgentStream {
  private apiMessageId: string | undefined;
  /** AG-UI id of the current API message: first text block and parent of its tool calls. */
  private messageId = '';
  private readonly openBlocks = new Map<number, OpenBlock>();
  private streamed: BlockCounts = { text: 0, thinking: 0 };
  private consumed: BlockCounts = { text: 0, thinking: 0 };
  private streamedToolIds = new Set<string>();

  constructor(
    private readonly newMessageId: () => string,
    private readonly emit: EmitEvent,
  ) {}

  onStreamEvent(event: StreamEvent): AgUiEvent[] {
    switch (event.type) {
      case 'message_start':
        return [...this.closeAll(), ...this.beginApiMessage(event.message.id)];
      case 'content_block_start':
        return this.openBlock(event.index, event.content_block);
      case 'content_block_delta':
        return this.delta(event.index, event.delta);
      case 'content_block_stop':
        return this.closeBlock(event.index);
      case 'message_stop':
        return this.closeAll();
      default:
        return [];
    }
  }

  /** Blocks of a complete assistant message; emits only those the stream did not deliver. */
  onAssistantBlocks(apiMessageId: string, blocks: readonly AssistantBlock[]): AgUiEvent[] {
    const events: AgUiEvent[] = [];
    if (apiMessageId !== this.apiMessageId)
      events.push(...this.closeAll(), ...this.beginApiMessage(apiMessageId));
    for (const block of blocks) {
      if (block.type === 'text') {
        if (this.consumed.text < this.streamed.text) {
          this.consumed.text += 1;
          continue;
        }
        const messageId = this.textMessageId(this.streamed.text);
        this.streamed.text += 1;
        this.consumed.text += 1;
        events.push(...this.wholeText(messageId, block.text));
      } else if (block.type === 'thinking') {
        if (this.consumed.thinking < this.streamed.thinking) {
          this.consumed.thinking += 1;
          continue;
        }
        const messageId = `${this.messageId}-reasoning-${this.streamed.thinking}`;
        this.streamed.thinking += 1;
        this.consumed.thinking += 1;
        events.push(...this.wholeReasoning(messageId, block.thinking));
      } else if (block.type === 'tool_use') {
        if (this.streamedToolIds.has(block.id)) continue;
        this.streamedToolIds.add(block.id);
        events.push(
          this.emit(EventType.TOOL_CALL_START, this.toolStartFields(block.id, block.name)),
          this.emit(EventType.TOOL_CALL_ARGS, {
            toolCallId: block.id,
            delta: JSON.stringify(block.input ?? {}),
          }),
          this.emit(EventType.TOOL_CALL_END, { toolCallId: block.id }),
        );
      }
      // Other block kinds (redacted thinking, server tools, …) carry nothing a user reads.
    }
    return events;
  }

  /** Closes a tool call that is still open, so its result never precedes its end. */
  closeToolCall(toolCallId: string): AgUiEvent[] {
    for (const [index, block] of this.openBlocks) {
      if (block.kind === 'tool' && block.toolCallId === toolCallId) return this.closeBlock(index);
    }
    return [];
  }

  /** Ends every open block: an interrupt can cut a stream before its content_block_stop. */
  closeAll(): AgUiEvent[] {
    return [...this.openBlocks.keys()].flatMap((index) => this.closeBlock(index));
  }

  private beginApiMessage(apiMessageId: string): AgUiEvent[] {
    this.apiMessageId = apiMessageId;
    this.messageId = this.newMessageId();
    this.streamed = { text: 0, thinking: 0 };
    this.consumed = { text: 0, thinking: 0 };
    this.streamedToolIds = new Set();
    return [];
  }

  /** The first text block of an API message uses the message's id; later ones get a suffix. */
  private textMessageId(ordinal: number): string {
    return ordinal === 0 ? this.messageId : `${this.messageId}-${ordinal}`;
  }

  private openBlock(index: number, block: StartedBlock): AgUiEvent[] {
    const events = this.closeBlock(index);
    if (block.type === 'text') {
      const messageId = this.textMessageId(this.streamed.text);
      this.streamed.text += 1;
      this.openBlocks.set(index, { kind: 'text', messageId });
      events.push(this.emit(EventType.TEXT_MESSAGE_START, { messageId, role: 'assistant' }));
      if (block.text)
        events.push(this.emit(EventType.TEXT_MESSAGE_CONTENT, { messageId, delta: block.text }));
    } else if (block.type === 'thinking') {
      const messageId = `${this.messageId}-reasoning-${this.streamed.thinking}`;
      this.streamed.thinking += 1;
      this.openBlocks.set(index, { kind: 'reasoning', messageId });
      events.push(
        this.emit(EventType.REASONING_START, { messageId }),
        this.emit(EventType.REASONING_MESSAGE_START, { messageId, role: 'reasoning' }),
      );
      if (block.thinking)
        events.push(
          this.emit(EventType.REASONING_MESSAGE_CONTENT, { messageId, delta: block.thinking }),
        );
    } else if (block.type === 'tool_use') {
      this.streamedToolIds.add(block.id);
      this.openBlocks.set(index, { kind: 'tool', toolCallId: block.id });
      events.push(this.emit(EventType.TOOL_CALL_START, this.toolStartFields(block.id, block.name)));
    }
    return events;
  }

  private delta(index: number, delta: BlockDelta): AgUiEvent[] {
    const block = this.openBlocks.get(index);
    if (!block) return [];
    if (block.kind === 'text' && delta.type === 'text_delta' && delta.text) {
      return [
        this.emit(EventType.TEXT_MESSAGE_CONTENT, {
          messageId: block.messageId,
          delta: delta.text,
        }),
      ];
    }
    if (block.kind === 'reasoning' && delta.type === 'thinking_delta' && delta.thinking) {
      return [
        this.emit(EventType.REASONING_MESSAGE_CONTENT, {
          messageId: block.messageId,
          delta: delta.thinking,
        }),
      ];
    }
    if (block.kind === 'tool' && delta.type === 'input_json_delta' && delta.partial_json) {
      return [
        this.emit(EventType.TOOL_CALL_ARGS, {
          toolCallId: block.toolCallId,
          delta: delta.partial_json,
        }),
      ];
    }
    return []; // signature and citation deltas carry nothing a user reads
  }

  private closeBlock(index: number): AgUiEvent[] {
    const block = this.openBlocks.get(index);
    if (!block) return [];
    this.openBlocks.delete(index);
    if (block.kind === 'text')
      return [this.emit(EventType.TEXT_MESSAGE_END, { messageId: block.messageId })];
    if (block.kind === 'tool')
      return [this.emit(EventType.TOOL_CALL_END, { toolCallId: block.toolCallId })];
    return [
      this.emit(EventType.REASONING_MESSAGE_END, { messageId: block.messageId }),
      this.emit(EventType.REASONING_END, { messageId: block.messageId }),
    ];
  }

  private toolStartFields(toolCallId: string, toolCallName: string): Record<string, unknown> {
    return { toolCallId, toolCallName, parentMessageId: this.messageId };
  }

  private wholeText(messageId: string, text: string): AgUiEvent[] {
    return [
      this.emit(EventType.TEXT_MESSAGE_START, { messageId, role: 'assistant' }),
      ...(text ? [this.emit(EventType.TEXT_MESSAGE_CONTENT, { messageId, delta: text })] : []),
      this.emit(EventType.TEXT_MESSAGE_END, { messageId }),
    ];
  }

  /** Thinking whose text is withheld (display omitted) has nothing to show. */
  private wholeReasoning(messageId: string, thinking: string): AgUiEvent[] {
    if (!thinking) return [];
    return [
      this.emit(EventType.REASONING_START, { messageId }),
      this.emit(EventType.REASONING_MESSAGE_START, { messageId, role: 'reasoning' }),
      this.emit(EventType.REASONING_MESSAGE_CONTENT, { messageId, delta: thinking }),
      this.emit(EventType.REASONING_MESSAGE_END, { messageId }),
      this.emit(EventType.REASONING_END, { messageId }),
    ];
  }
}
