/**
 * The statistics zakocr reports, each defined once: percentiles (numpy's default interpolation), the latency summary
 * and the mean line confidence that `zakocr scan` and `zakocr bench` both write to `ocr_model_metrics`, and the two
 * medians the image stages use. Pure functions, no I/O.
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

/** The median: the middle value, or the mean of the two middle values of an even count; 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The upper median: the middle value, or the higher of the two middle values of an even count; 0 for none.
 * Always one of the values (a real glyph height, a real paper level), which is what the image heuristics tuned on it
 * expect.
 */
export function upperMedian(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Mean confidence of OCR lines, every line weighing the same whichever record or item it belongs to (4 decimals);
 * null without lines. Add lines as they come; memory stays two numbers.
 */
export class LineConfidenceMean {
  private sum = 0;
  private count = 0;

  add(lines: readonly { confidence: number }[]): this {
    for (const l of lines) {
      this.sum += l.confidence;
      this.count++;
    }
    return this;
  }

  /** Adds `count` lines whose mean confidence is `mean` (a bench item's figure). */
  addMean(mean: number, count: number): this {
    this.sum += mean * count;
    this.count += count;
    return this;
  }

  get value(): number | null {
    return this.count ? Number((this.sum / this.count).toFixed(4)) : null;
  }
}

/** Mean confidence of some OCR lines (see LineConfidenceMean). */
export function meanLineConfidence(lines: readonly { confidence: number }[]): number | null {
  return new LineConfidenceMean().add(lines).value;
}
