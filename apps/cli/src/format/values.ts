/** Small value formatters shared by tables, details and the event renderer. */
import type { SessionResult } from '@ambient/contracts';

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "42s ago", "5m ago", "3h ago", "12d ago": coarse on purpose, like kubectl's AGE column. */
export function formatAge(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return '-';
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return '-';
  const elapsedMs = Math.max(0, now.getTime() - time);
  if (elapsedMs < MINUTE_MS) return `${Math.floor(elapsedMs / SECOND_MS)}s ago`;
  if (elapsedMs < HOUR_MS) return `${Math.floor(elapsedMs / MINUTE_MS)}m ago`;
  if (elapsedMs < DAY_MS) return `${Math.floor(elapsedMs / HOUR_MS)}h ago`;
  return `${Math.floor(elapsedMs / DAY_MS)}d ago`;
}

/** Model costs are often fractions of a cent: four decimals below a dollar. */
export function formatCostUsd(costUsd: number): string {
  return costUsd < 1 ? `$${costUsd.toFixed(4)}` : `$${costUsd.toFixed(2)}`;
}

export function formatDurationMs(durationMs: number): string {
  if (durationMs < MINUTE_MS) return `${(durationMs / SECOND_MS).toFixed(1)} s`;
  const minutes = Math.floor(durationMs / MINUTE_MS);
  const seconds = Math.round((durationMs % MINUTE_MS) / SECOND_MS);
  return `${minutes} min ${seconds} s`;
}

/** "2 turns · $0.0042 · 3.1 s": whatever the result carries. */
export function formatResultFacts(result: SessionResult | undefined): string[] {
  if (!result) return [];
  const facts: string[] = [];
  if (result.numTurns !== undefined)
    facts.push(`${result.numTurns} ${result.numTurns === 1 ? 'turn' : 'turns'}`);
  if (result.totalCostUsd !== undefined) facts.push(formatCostUsd(result.totalCostUsd));
  if (result.durationMs !== undefined) facts.push(formatDurationMs(result.durationMs));
  return facts;
}

export function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((candidate) => candidate.trim() !== '') ?? '';
  return line.trim();
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 1))}…`;
}
