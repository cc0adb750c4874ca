import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../core/types.js';
import type { ScanResult } from '../pipeline/run-scan.js';
import { formatSummary, summaryFields } from './summary.js';

function result(over: Partial<RunSummary> = {}, rest: Partial<ScanResult> = {}): ScanResult {
  const summary: RunSummary = {
    runId: 'r1', pipelineVersion: '0.1.0+abc', engine: { name: 'tesseract', models: ['tesseract-eng'], device: 'wasm', version: '7.0.0' },
    files: 10, records: 10, ok: 7, needsReview: 1, failed: 2, skipped: 0, durationMs: 4000,
    latencyMs: { mean: 700, p50: 600, p95: 1500, max: 2100 }, meanConfidence: 0.91, ...over,
  };
  return { summary, exitCode: 1, interrupted: false, sinkErrors: [], slowest: [], manifest: '/x/.zakocr-manifest.jsonl', ...rest };
}

describe('formatSummary', () => {
  it('gives counts, throughput, engine, latency and the slowest files', () => {
    const text = formatSummary(result({}, { slowest: [{ file: 'a.jpg', ms: 2100 }, { file: 'b.png', ms: 1500 }, { file: 'c.png', ms: 900 }, { file: 'd.png', ms: 800 }] }));
    expect(text.split('\n')).toEqual([
      'zakocr: 10 files → 10 records in 4.0s (2.50 files/s, engine tesseract on wasm)',
      '  ok 7 · needs review 1 · failed 2 · skipped 0 · latency p50 0.6s p95 1.5s',
      '  slowest: a.jpg 2.1s, b.png 1.5s, c.png 0.9s',
    ]);
  });

  it.each<[string, Partial<RunSummary>, Partial<ScanResult>, string[]]>([
    [
      'throughput counts only processed files (skipped ones are free)',
      { files: 10, skipped: 6, ok: 4, failed: 0, needsReview: 0, records: 4, durationMs: 2000 },
      {},
      ['zakocr: 10 files → 4 new records (6 files done earlier, kept) in 2.0s (2.00 files/s, engine tesseract on wasm)', '  ok 4 · needs review 0 · failed 0 · skipped 6 · latency p50 0.6s p95 1.5s'],
    ],
    [
      'long runs in whole seconds',
      { durationMs: 125_400, latencyMs: { mean: 0, p50: 12_000, p95: 30_000, max: 40_000 } },
      {},
      ['zakocr: 10 files → 10 records in 125s (0.08 files/s, engine tesseract on wasm)', '  ok 7 · needs review 1 · failed 2 · skipped 0 · latency p50 12s p95 30s'],
    ],
    [
      'no latency when nothing was processed',
      { files: 3, skipped: 3, ok: 0, failed: 0, needsReview: 0, records: 0, latencyMs: { mean: 0, p50: 0, p95: 0, max: 0 } },
      {},
      ['zakocr: 3 files → 0 new records (3 files done earlier, kept) in 4.0s (0.00 files/s, engine tesseract on wasm)', '  ok 0 · needs review 0 · failed 0 · skipped 3'],
    ],
    [
      'zero duration does not divide by zero',
      { files: 0, records: 0, ok: 0, needsReview: 0, failed: 0, durationMs: 0, latencyMs: { mean: 0, p50: 0, p95: 0, max: 0 } },
      {},
      ['zakocr: 0 files → 0 records in 0.0s (0 files/s, engine tesseract on wasm)', '  ok 0 · needs review 0 · failed 0 · skipped 0'],
    ],
    [
      'one file: no slowest list',
      { files: 1, records: 1, ok: 1, failed: 0, needsReview: 0 },
      { slowest: [{ file: 'a.jpg', ms: 900 }] },
      ['zakocr: 1 files → 1 records in 4.0s (0.25 files/s, engine tesseract on wasm)', '  ok 1 · needs review 0 · failed 0 · skipped 0 · latency p50 0.6s p95 1.5s'],
    ],
    [
      'interrupted runs say how to continue',
      {},
      { interrupted: true, exitCode: 130 },
      [
        'zakocr: 10 files → 10 records in 4.0s (2.50 files/s, engine tesseract on wasm)',
        '  ok 7 · needs review 1 · failed 2 · skipped 0 · latency p50 0.6s p95 1.5s',
        '  interrupted: finished results were written; run again with --resume to continue',
      ],
    ],
  ])('%s', (_name, over, rest, lines) => {
    expect(formatSummary(result(over, rest)).split('\n')).toEqual(lines);
  });
});

describe('summaryFields (--json-log)', () => {
  it('is the summary as flat scalar fields', () => {
    const f = summaryFields(result({}, { sinkErrors: [] }));
    expect(f).toEqual({
      runId: 'r1', pipelineVersion: '0.1.0+abc', engine: 'tesseract', device: 'wasm', files: 10, records: 10, ok: 7, needsReview: 1,
      failed: 2, skipped: 0, durationMs: 4000, filesPerSecond: 2.5, p50Ms: 600, p95Ms: 1500, maxMs: 2100, meanConfidence: 0.91,
      sinkErrors: 0, interrupted: false, exitCode: 1, manifest: '/x/.zakocr-manifest.jsonl',
    });
    for (const v of Object.values(f)) expect(['string', 'number', 'boolean']).toContain(typeof v);
  });

  it('carries the exit code the process ends with, and no rate for a zero-length run', () => {
    expect(summaryFields(result({ durationMs: 0 }, { interrupted: true, exitCode: 130 }), 143)).toMatchObject({ exitCode: 143, interrupted: true, filesPerSecond: 0 });
  });
});
