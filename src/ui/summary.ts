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
    `zakocr: ${s.files} files → ${s.records} records in ${secs(s.durationMs)} (${rate} files/s, engine ${s.engine.name} on ${s.engine.device})`,
    `  ok ${s.ok} · needs review ${s.needsReview} · failed ${s.failed} · skipped ${s.skipped}` +
      (s.latencyMs.max ? ` · latency p50 ${secs(s.latencyMs.p50)} p95 ${secs(s.latencyMs.p95)}` : ''),
  ];
  if (result.slowest.length > 0 && processed > 1) {
    lines.push(`  slowest: ${result.slowest.slice(0, 3).map((x) => `${x.file} ${secs(x.ms)}`).join(', ')}`);
  }
  if (result.interrupted) lines.push(`  interrupted: finished results were written; run again with --resume to continue`);
  return lines.join('\n');
}
