/**
 * Cases the fake model cannot record: thinking blocks (streamed and not), and the same session
 * without partial messages (derived from a recorded fixture by dropping its stream events).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventType } from '@ambient/contracts';
import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { createEventMapper } from './index.ts';

const SESSION_ID = 'session-uuid';

function streamEvent(event: Record<string, unknown>): SDKMessage {
  return {
    type: 'stream_event',
    event,
    parent_tool_use_id: null,
    uuid: 'u',
    session_id: SESSION_ID,
  } as unknown as SDKMessage;
}

function assistant(id: string, content: Record<string, unknown>[]): SDKMessage {
  return {
    type: 'assistant',
    message: { id, type: 'message', role: 'assistant', model: 'm', content, stop_reason: null },
    parent_tool_use_id: null,
    uuid: 'u',
    session_id: SESSION_ID,
  } as unknown as SDKMessage;
}

function types(messages: SDKMessage[]): string[] {
  const mapper = createEventMapper({ threadId: 'thread', runId: 'run', now: () => 1 });
  return messages.flatMap((message) => mapper.map(message)).map((event) => event.type);
}

describe('AgentStream', () => {
  it('maps streamed thinking to REASONING_* and does not repeat it from the complete message', () => {
    expect(
      types([
        streamEvent({ type: 'message_start', message: { id: 'msg_1' } }),
        streamEvent({
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        }),
        streamEvent({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'thinking_delta', thinking: 'Let me think.' },
        }),
        streamEvent({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'signature_delta', signature: 'sig' },
        }),
        assistant('msg_1', [{ type: 'thinking', thinking: 'Let me think.', signature: 'sig' }]),
        streamEvent({ type: 'content_block_stop', index: 0 }),
      ]),
    ).toEqual([
      EventType.REASONING_START,
      EventType.REASONING_MESSAGE_START,
      EventType.REASONING_MESSAGE_CONTENT,
      EventType.REASONING_MESSAGE_END,
      EventType.REASONING_END,
    ]);
  });

  it('maps non-streamed thinking once and skips thinking whose text is withheld', () => {
    expect(
      types([
        assistant('msg_1', [{ type: 'thinking', thinking: 'Visible.', signature: 's' }]),
        assistant('msg_2', [{ type: 'thinking', thinking: '', signature: 's' }]),
      ]),
    ).toEqual([
      EventType.REASONING_START,
      EventType.REASONING_MESSAGE_START,
      EventType.REASONING_MESSAGE_CONTENT,
      EventType.REASONING_MESSAGE_END,
      EventType.REASONING_END,
    ]);
  });

  it('closes a block cut off by an interrupt when the run ends', () => {
    const mapper = createEventMapper({ threadId: 'thread', runId: 'run', now: () => 1 });
    mapper.map(streamEvent({ type: 'message_start', message: { id: 'msg_1' } }));
    mapper.map(
      streamEvent({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} },
      }),
    );
    expect(mapper.finish()).toEqual([
      { type: EventType.TOOL_CALL_END, timestamp: 1, toolCallId: 'toolu_1' },
    ]);
    expect(mapper.finish()).toEqual([]);
  });

  it('without partial messages, the complete messages alone give the same events as the stream', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('./__fixtures__/write-file.json', import.meta.url), 'utf8'),
    ) as {
      messages: SDKMessage[];
    };
    const summary = (messages: SDKMessage[]) =>
      types(messages).filter(
        (type) => type !== EventType.TEXT_MESSAGE_CONTENT && type !== EventType.TOOL_CALL_ARGS,
      );
    const withoutStream = fixture.messages.filter((message) => message.type !== 'stream_event');
    expect(summary(withoutStream)).toEqual(summary(fixture.messages));
  });
});
