/** The numbers the session header shows, from the session's status (authoritative) or the live stream. */
import type { AgenticSession } from '@ambient/contracts';
import type { ChatState } from './chat-types';

export interface SessionSummary {
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
  turns?: number;
  durationMs?: number;
}

function tokenCount(usage: Readonly<Record<string, unknown>> | undefined, keys: readonly string[]): number | undefined {
  if (!usage) return undefined;
  let total: number | undefined;
  for (const key of keys) {
    const value = usage[key];
    if (typeof value === 'number' && Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

export function sessionSummary(session: AgenticSession | undefined, chat: ChatState): SessionSummary {
  // The status is written by the controller after each run; the stream's result can be newer.
  const result = session?.status?.result ?? chat.lastResult;
  const usage = result?.usage;
  return {
    costUsd: result?.totalCostUsd,
    // Cached prompt tokens are input the model read too; the bill counts them separately.
    inputTokens: tokenCount(usage, ['input_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens']),
    outputTokens: tokenCount(usage, ['output_tokens']),
    turns: result?.numTurns,
    durationMs: result?.durationMs,
  };
}
