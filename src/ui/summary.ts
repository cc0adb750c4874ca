import type { ScanResult } from '../pipeline/run-scan.js';

function secs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(0)}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** The end-of-run summary: counts, throughput, latency, slowest files, where things went. Pure. */
export function formatSummary(result: ScanResult): string {
  const s = result.summary;
  const processed = s.files - s.skipped;
  const rate = s.durationMs > 0 ? (processed / (s.durationMs / 1000)).toFixed(2) : '0';
  const lines = [
    // A resumed run's kept files are in the outputs too: "0 records" alone read as if the results were gone.
    `zakocr: ${s.files} files → ${s.records} ${s.skipped > 0 ? `new records (${s.skipped} files done earlier, kept)` : 'records'} in ${secs(s.durationMs)} (${rate} files/s, engine ${s.engine.name} on ${s.engine.device})`,
    `  ok ${s.ok} · needs review ${s.needsReview} · failed ${s.failed} · skipped ${s.skipped}` +
      (s.latencyMs.max ? ` · latency p50 ${secs(s.latencyMs.p50)} p95 ${secs(s.latencyMs.p95)}` : ''),
  ];
  if (result.slowest.length > 0 && processed > 1) {
    lines.push(`  slowest: ${result.slowest.slice(0, 3).map((x) => `${x.file} ${secs(x.ms)}`).join(', ')}`);
  }
  if (result.interrupted) lines.push(`  interrupted: finished results were written; run again with --resume to continue`);
  return lines.join('\n');
}

/**
 * The summary as one structured `--json-log` event: scalar fields only (log collectors index flat fields), the same
 * figures as the text. `exitCode`: what the process exits with (a SIGTERM'd run: 143 where the result says 130). Pure.
 */
export function summaryFields(result: ScanResult, exitCode: number = result.exitCode): Record<string, string | number | boolean | null> {
  const s = result.summary;
  const processed = s.files - s.skipped;
  return {
    runId: s.runId,
    pipelineVersion: s.pipelineVersion,
    engine: s.engine.name,
    device: s.engine.device,
    files: s.files,
    records: s.records,
    ok: s.ok,
    needsReview: s.needsReview,
    failed: s.failed,
    skipped: s.skipped,
    durationMs: s.durationMs,
    filesPerSecond: s.durationMs > 0 ? Math.round((processed / (s.durationMs / 1000)) * 100) / 100 : 0,
    p50Ms: s.latencyMs.p50,
    p95Ms: s.latencyMs.p95,
    maxMs: s.latencyMs.max,
    meanConfidence: s.meanConfidence,
    sinkErrors: result.sinkErrors.length,
    interrupted: result.interrupted,
    exitCode,
    manifest: result.manifest,
  };
}
