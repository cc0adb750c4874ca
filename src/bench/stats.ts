/**
 * Summary statistics for latency and throughput. Pure functions, no I/O.
 */

/**
 * The `p`-th percentile (0..100) of `values` by linear interpolation between closest ranks
 * (numpy's default, "type 7"): p50 of [1, 2, 3, 4] is 2.5. NaN for an empty list.
 * @throws RangeError when `p` is not a finite number in 0..100.
 */
export function percentile(values: readonly number[], p: number): number {
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100) {
    throw new RangeError(`Expected a number between 0 and 100 for p, got ${String(p)} (${typeof p})`);
  }
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Latency distribution in milliseconds; `null` figures when there were no samples. */
export interface LatencySummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
  min: number | null;
}

/** count, mean, p50, p95, min and max of latencies in milliseconds. */
export function summarizeLatency(ms: readonly number[]): LatencySummary {
  if (ms.length === 0) return { count: 0, mean: null, p50: null, p95: null, max: null, min: null };
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  for (const v of ms) {
    sum += v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return { count: ms.length, mean: sum / ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), max, min };
}

/** Items per second for `count` items processed in `wallMs` milliseconds (0 when no time elapsed). */
export function throughput(count: number, wallMs: number): number {
  return wallMs > 0 ? (count * 1000) / wallMs : 0;
}
