/**
 * Server-sent events of the Messages API streaming form.
 *
 * Pure functions: a complete assistant message in, the ordered event list out. The server only
 * writes them (with optional pauses), so the event grammar is unit-testable without sockets.
 */
import type { AssistantMessage } from './types.ts';

export type StreamEvent =
  | {
      type: 'message_start';
      /** The message before any content: no blocks and no stop reason yet. */
      message: Omit<AssistantMessage, 'stop_reason'> & { stop_reason: null };
    }
  | { type: 'ping' }
  | {
      type: 'content_block_start';
      index: number;
      content_block:
        | { type: 'text'; text: '' }
        | { type: 'tool_use'; id: string; name: string; input: Record<string, never> };
    }
  | {
      type: 'content_block_delta';
      index: number;
      delta:
        { type: 'text_delta'; text: string } | { type: 'input_json_delta'; partial_json: string };
    }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: AssistantMessage['stop_reason']; stop_sequence: null };
      usage: { output_tokens: number };
    }
  | { type: 'message_stop' };

export interface StreamSplitOptions {
  /** How text is cut into `text_delta`s (default: about three word-aligned pieces). */
  splitText?: (text: string) => string[];
  /** How tool input JSON is cut into `input_json_delta`s (default: three pieces). */
  splitJson?: (json: string) => string[];
}

/** One event on the wire: `event: <type>\ndata: <json>\n\n`. */
export function encodeSseEvent(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Cuts a string into `pieceCount` nearly equal, non-empty pieces (fewer if it is shorter). */
export function splitIntoPieces(value: string, pieceCount: number): string[] {
  if (value.length === 0) return [];
  const size = Math.ceil(value.length / Math.max(1, pieceCount));
  const pieces: string[] = [];
  for (let start = 0; start < value.length; start += size)
    pieces.push(value.slice(start, start + size));
  return pieces;
}

/** Cuts text after whitespace, keeping the whitespace, so the pieces join back exactly. */
export function splitIntoWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function splitTextDefault(text: string): string[] {
  const words = splitIntoWords(text);
  const wordsPerPiece = Math.max(1, Math.ceil(words.length / 3));
  const pieces: string[] = [];
  for (let start = 0; start < words.length; start += wordsPerPiece) {
    pieces.push(words.slice(start, start + wordsPerPiece).join(''));
  }
  return pieces;
}

/**
 * The full event sequence for `message`. `message_start` carries the message with empty content
 * and `output_tokens: 1` (the real API only knows the input size then); the final output usage
 * arrives in `message_delta`, which is where clients read it.
 */
export function streamEventsForMessage(
  message: AssistantMessage,
  options: StreamSplitOptions = {},
): StreamEvent[] {
  const splitText = options.splitText ?? splitTextDefault;
  const splitJson = options.splitJson ?? ((json: string) => splitIntoPieces(json, 3));
  const events: StreamEvent[] = [
    {
      type: 'message_start',
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    },
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      for (const text of splitText(block.text)) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      }
    } else {
      events.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      for (const partial_json of splitJson(JSON.stringify(block.input))) {
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json },
        });
      }
    }
    events.push({ type: 'content_block_stop', index });
  });
  events.push({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  events.push({ type: 'message_stop' });
  return events;
}
