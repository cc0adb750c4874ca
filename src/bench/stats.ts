/**
 * Throughput and histograms of bench runs. Pure functions, no I/O. (Percentiles, latency summaries, medians and the
 * mean line confidence are core/stats.ts: scan and bench write the same ocr_model_metrics columns from them.)
 */

/** Items per second for `count` items processed in `wallMs` milliseconds (0 when no time elapsed). */
export function throughput(count: number, wallMs: number): number {
  return wallMs > 0 ? (count * 1000) / wallMs : 0;
}

/** `bins` equal-width bins over [min, max] of `values`: edges has bins + 1 entries. */
export function histogram(values: readonly number[], bins: number): { edges: number[]; counts: number[] } {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`Expected a positive integer for bins, got ${String(bins)} (${typeof bins})`);
  }
  if (values.length === 0) return { edges: [], counts: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = max > min ? (max - min) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const i = Math.min(bins - 1, Math.floor((v - min) / width));
    counts[i]!++;
  }
  return { edges, counts };
}
