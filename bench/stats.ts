/** Percentiles and formatting for benchmark output. Figures are printed, never asserted. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(label: string, valuesMs: number[]): string {
  const p50 = percentile(valuesMs, 0.5);
  const p90 = percentile(valuesMs, 0.9);
  const p99 = percentile(valuesMs, 0.99);
  return `${label}: n=${valuesMs.length} p50=${p50.toFixed(2)} ms p90=${p90.toFixed(2)} ms p99=${p99.toFixed(2)} ms max=${percentile(valuesMs, 1).toFixed(2)} ms`;
}
