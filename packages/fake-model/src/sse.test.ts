import { describe, expect, it } from 'vitest';
import { buildAssistantMessage } from './assistant-message.ts';
import {
  encodeSseEvent,
  splitIntoPieces,
  splitIntoWords,
  streamEventsForMessage,
  type StreamEvent,
} from './sse.ts';

const message = buildAssistantMessage(
  {
    kind: 'message',
    blocks: [
      { type: 'text', text: 'I will write the file for you now.' },
      { type: 'tool_use', name: 'Write', input: { file_path: '/tmp/a.txt', content: 'hello\n' } },
    ],
  },
  'claude-test',
);

function deltasOf(events: StreamEvent[], index: number): string[] {
  return events.flatMap((event) => {
    if (event.type !== 'content_block_delta' || event.index !== index) return [];
    return [event.delta.type === 'text_delta' ? event.delta.text : event.delta.partial_json];
  });
}

describe('encodeSseEvent', () => {
  it('writes the event name line, one data line of JSON and a blank line', () => {
    expect(encodeSseEvent({ type: 'message_stop' })).toBe(
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
  });

  it('keeps newlines inside JSON strings escaped, so a data line never breaks', () => {
    const encoded = encodeSseEvent({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'line one\nline two' },
    });
    expect(encoded.split('\n')).toHaveLength(4);
    expect(encoded).toContain('line one\\nline two');
  });
});

describe('streamEventsForMessage', () => {
  const events = streamEventsForMessage(message);

  it('emits the event grammar of the Messages API in order', () => {
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    const blockTypes = types.filter((type) => type !== 'content_block_delta');
    expect(blockTypes).toEqual([
      'message_start',
      'content_block_start',
      'content_block_stop',
      'content_block_start',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('starts the message empty, with no stop reason and one output token', () => {
    const start = events[0];
    expect(start?.type).toBe('message_start');
    if (start?.type !== 'message_start') return;
    expect(start.message).toMatchObject({
      id: message.id,
      model: 'claude-test',
      content: [],
      stop_reason: null,
      usage: { input_tokens: 100, output_tokens: 1 },
    });
  });

  it('splits text into several deltas that join back exactly', () => {
    const pieces = deltasOf(events, 0);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('I will write the file for you now.');
  });

  it('announces the tool call with its id and empty input, then streams the input JSON in pieces', () => {
    const toolBlock = message.content[1];
    expect(events).toContainEqual({
      type: 'content_block_start',
      index: 1,
      content_block: {
        type: 'tool_use',
        id: toolBlock?.type === 'tool_use' ? toolBlock.id : '',
        name: 'Write',
        input: {},
      },
    });
    const pieces = deltasOf(events, 1);
    expect(pieces.length).toBeGreaterThan(1);
    expect(JSON.parse(pieces.join(''))).toEqual({ file_path: '/tmp/a.txt', content: 'hello\n' });
  });

  it('ends with the stop reason and the output usage', () => {
    expect(events.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 25 },
    });
  });

  it('honours a custom text split (one word per delta for slow streams)', () => {
    const slow = streamEventsForMessage(
      buildAssistantMessage({ kind: 'message', blocks: [{ type: 'text', text: 'a b c d' }] }, 'm'),
      { splitText: splitIntoWords },
    );
    expect(deltasOf(slow, 0)).toEqual(['a ', 'b ', 'c ', 'd']);
  });
});

describe('splitting helpers', () => {
  it('splitIntoPieces covers the string with at most n non-empty pieces', () => {
    expect(splitIntoPieces('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(splitIntoPieces('ab', 3)).toEqual(['a', 'b']);
    expect(splitIntoPieces('', 3)).toEqual([]);
  });

  it('splitIntoWords keeps whitespace so the words join back exactly', () => {
    const text = '  two  words\nand more ';
    expect(splitIntoWords(text).join('')).toBe(text);
  });
});
