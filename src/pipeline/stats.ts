import { LineConfidenceMean, summarizeLatency } from '../core/stats.js';
import type { EngineStamp, RunSummary, ZakRecord } from '../core/types.js';

const SLOWEST_KEPT = 5;

/** Running counts and latencies of a scan (numbers only: memory stays small over 100k files). */
export class RunStats {
  private counts = { files: 0, records: 0, ok: 0, needsReview: 0, failed: 0, skipped: 0 };
  private latencies: number[] = [];
  private confidence = new LineConfidenceMean();
  private slow: Array<{ file: string; ms: number }> = [];

  add(records: ZakRecord[], ms: number): void {
    this.counts.files++;
    for (const r of records) {
      this.counts.records++;
      if (r.status === 'ok') this.counts.ok++;
      else if (r.status === 'needs_review') this.counts.needsReview++;
      else if (r.status === 'failed') this.counts.failed++;
      this.confidence.add(r.lines);
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
    // The bench's definitions (interpolated percentiles, line-weighted confidence): both fill ocr_model_metrics.
    const lat = summarizeLatency(this.latencies);
    const ms = (v: number | null) => Math.round(v ?? 0);
    return {
      ...run,
      ...this.counts,
      latencyMs: { mean: ms(lat.mean), p50: ms(lat.p50), p95: ms(lat.p95), max: ms(lat.max) },
      meanConfidence: this.confidence.value,
    };
  }
}
