import type { EngineStamp, RunSummary, ZakRecord } from '../core/types.js';

const SLOWEST_KEPT = 5;

/** Running counts and latencies of a scan (numbers only: memory stays small over 100k files). */
export class RunStats {
  private counts = { files: 0, records: 0, ok: 0, needsReview: 0, failed: 0, skipped: 0 };
  private latencies: number[] = [];
  private confSum = 0;
  private confN = 0;
  private slow: Array<{ file: string; ms: number }> = [];

  add(records: ZakRecord[], ms: number): void {
    this.counts.files++;
    for (const r of records) {
      this.counts.records++;
      if (r.status === 'ok') this.counts.ok++;
      else if (r.status === 'needs_review') this.counts.needsReview++;
      else if (r.status === 'failed') this.counts.failed++;
      for (const l of r.lines) {
        this.confSum += l.confidence;
        this.confN++;
      }
    }
    this.latencies.push(ms);
    const file = records[0]?.file ?? '';
    if (this.slow.length < SLOWEST_KEPT || ms > this.slow[this.slow.length - 1].ms) {
      this.slow.push({ file, ms });
      this.slow.sort((a, b) => b.ms - a.ms);
      this.slow.length = Math.min(this.slow.length, SLOWEST_KEPT);
    }
  }

  addSkipped(): void {
    this.counts.files++;
    this.counts.skipped++;
  }

  get failed(): number {
    return this.counts.failed;
  }

  slowest(): Array<{ file: string; ms: number }> {
    return [...this.slow];
  }

  summary(run: { runId: string; pipelineVersion: string; engine: EngineStamp; durationMs: number }): RunSummary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);
    const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
    return {
      ...run,
      ...this.counts,
      latencyMs: { mean: Math.round(mean), p50: pct(50), p95: pct(95), max: sorted.length ? sorted[sorted.length - 1] : 0 },
      meanConfidence: this.confN ? Number((this.confSum / this.confN).toFixed(4)) : null,
    };
  }
}
