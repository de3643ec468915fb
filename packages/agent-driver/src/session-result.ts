/**
 * The SDK's `result` message, reduced to the platform's SessionResult (the shape stored in the event
 * log summary and in AgenticSession.status.result).
 */
import type { SessionResult } from '@ambient/contracts';
import type { SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';

/** Status objects live in etcd / SQLite rows: a long final answer must not bloat them. */
export const MAX_RESULT_TEXT_LENGTH = 10_000;

export function truncateText(text: string, maxLength: number = MAX_RESULT_TEXT_LENGTH): string {
  if (text.length <= maxLength) return text;
  const marker = '… [truncated]';
  return text.slice(0, Math.max(0, maxLength - marker.length)) + marker;
}

export function toSessionResult(message: SDKResultMessage): SessionResult {
  // A success result carries the final answer (or, with is_error, the API error text); error
  // subtypes carry diagnostics in `errors` instead.
  const text = message.subtype === 'success' ? message.result : message.errors.join('\n');
  return {
    subtype: message.subtype,
    isError: message.is_error,
    numTurns: Math.round(message.num_turns),
    durationMs: Math.round(message.duration_ms),
    totalCostUsd: message.total_cost_usd,
    usage: { ...message.usage },
    text: truncateText(text),
  };
}
