/**
 * Turns a plan's reply into a complete assistant message: generated ids, stop reason, usage.
 * Streaming and non-streaming responses are both derived from this one object, so the two forms
 * can never disagree.
 */
import { randomBytes } from 'node:crypto';
import type { AssistantMessage, MessageReply, Usage } from './types.ts';

/**
 * Claude Code computes `total_cost_usd` from these numbers, so they must be non-zero; the values
 * are close to what a tiny real turn reports.
 */
export const DEFAULT_USAGE: Usage = {
  input_tokens: 100,
  output_tokens: 25,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

/** Used when a request names no model (Claude Code always does). */
export const FALLBACK_MODEL = 'claude-fake-model';

/** Ids look like the real ones (`msg_…`, `toolu_…`) because clients may log or match on prefixes. */
export function generateId(prefix: 'msg' | 'toolu' | 'req'): string {
  return `${prefix}_fake${randomBytes(10).toString('hex')}`;
}

export function buildAssistantMessage(reply: MessageReply, model: string): AssistantMessage {
  const content = reply.blocks.map((block) =>
    block.type === 'text'
      ? { type: 'text' as const, text: block.text }
      : {
          type: 'tool_use' as const,
          id: generateId('toolu'),
          name: block.name,
          input: block.input,
        },
  );
  const hasToolCall = content.some((block) => block.type === 'tool_use');
  return {
    id: generateId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.stopReason ?? (hasToolCall ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: { ...DEFAULT_USAGE, ...reply.usage },
  };
}

export function textReply(text: string): MessageReply {
  return { kind: 'message', blocks: [{ type: 'text', text }], stopReason: 'end_turn' };
}

export function toolUseReply(name: string, input: Record<string, unknown>): MessageReply {
  return { kind: 'message', blocks: [{ type: 'tool_use', name, input }], stopReason: 'tool_use' };
}
