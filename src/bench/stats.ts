/**
 * Throughput of bench runs. Pure functions, no I/O. (Percentiles, latency summaries, medians and the
 * mean line confidence are core/stats.ts: scan and bench write the same ocr_model_metrics columns from them.)
 */

/** Items per second for `count` items processed in `wallMs` milliseconds (0 when no time elapsed). */
export function throughput(count: number, wallMs: number): number {
  return wallMs > 0 ? (count * 1000) / wallMs : 0;
}
