/**
 * Fault injection through the real pipeline: `runScan` with the real source, decoder, preprocessing, extraction,
 * file sinks and run manifest, and a fake OCR engine injected as `deps.engine`.
 */
import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ZakConfig } from '../../src/config/defaults.js';
import type { Logger, OcrEngine, PageImage, ZakRecord } from '../../src/core/types.js';
import { runScan, type ScanEvent, type ScanResult } from '../../src/pipeline/run-scan.js';
import { CrashingEngine } from '../fakes/engines/crashing.js';
import { EmptyEngine } from '../fakes/engines/empty.js';
import { HangingEngine } from '../fakes/engines/hanging.js';
import { readJsonl, tempDir, writeNumberedImages, writeTextImage } from './scan-helpers.js';

let dir: string;
let inputs: string;
let files: string[];
const FILES = 6;

beforeAll(async () => {
  dir = await tempDir('fakes');
  inputs = path.join(dir, 'in');
  files = (await writeNumberedImages(inputs, FILES)).map((f) => path.relative(dir, f));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function quietLog(sink: string[] = []): Logger {
  const put = (level: string) => (msg: string) => void sink.push(`${level}: ${msg}`);
  return { info: put('info'), warn: put('warn'), error: put('error'), debug: put('debug') };
}

let runNo = 0;
type Extra = { signal?: AbortSignal; onEvent?: (e: ScanEvent) => void; out?: string };
function scan(engine: OcrEngine, flags: Record<string, unknown> = {}, extra: Extra = {}) {
  return scanInputs([inputs], engine, flags, extra);
}

async function scanInputs(inputList: string[], engine: OcrEngine, flags: Record<string, unknown> = {}, extra: Extra = {}) {
  const out = extra.out ?? path.join(dir, `run-${++runNo}`, 'r.jsonl');
  const { config } = await loadConfig({ cwd: dir, env: {}, flags: { out: [out], concurrency: 2, engine: 'none', ...flags } });
  const events: ScanEvent[] = [];
  const result: ScanResult = await runScan({
    inputs: inputList,
    config: config as ZakConfig,
    log: quietLog(),
    cwd: dir,
    signal: extra.signal,
    onEvent: (e) => {
      events.push(e);
      extra.onEvent?.(e);
    },
    deps: { engine, barcodeReader: null },
  });
  return { result, out, records: await readJsonl(out), events };
}

const sortedFiles = () => [...files].sort();
/**
 * Time limit for tests where only the hanging file may time out: preprocessing off (nothing but decode and the fake
 * engine runs) and a limit far above that, so a busy CI machine does not time out the healthy files.
 */
const LIMIT = { 'limits.timeoutMs': 2000, 'preprocess.enabled': false };

describe('crashing engine', () => {
  it('turns every crash into a failed record with code engine_failed, and the run goes on', async () => {
    const engine = new CrashingEngine();
    const { result, records } = await scan(engine);
    expect(records.map((r) => r.file)).toEqual(sortedFiles());
    for (const r of records) {
      expect(r.status).toBe('failed');
      expect(r.error?.code).toBe('engine_failed');
      expect(r.error?.stage).toBe('ocr');
      expect(r.error?.message).toContain(r.file);
      expect(r.error?.message).toContain('memory access out of bounds');
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.text).toBe('');
    }
    expect(engine.calls).toBe(FILES);
    expect(engine.disposed).toBe(true);
    expect(result.exitCode).toBe(1);
    expect(result.summary).toMatchObject({ files: FILES, failed: FILES, ok: 0 });
  });

  it('only the crashing file fails; the others keep their text', async () => {
    const { result, records } = await scan(new CrashingEngine({ crashWhen: (_p, call) => call === 2 }), { concurrency: 1 });
    const failed = records.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.file)).toEqual([sortedFiles()[2]]);
    expect(records.filter((r) => r.status !== 'failed').every((r) => r.text.startsWith('page '))).toBe(true);
    expect(result.summary.failed).toBe(1);
    expect(result.exitCode).toBe(1);
  });

  it('--fail-fast stops after the first failure and keeps what was finished', async () => {
    const { result, records } = await scan(new CrashingEngine({ crashWhen: (_p, call) => call === 0 }), { concurrency: 1, failFast: true });
    expect(records.length).toBeLessThan(FILES);
    expect(records[0]).toMatchObject({ file: sortedFiles()[0], status: 'failed' });
    expect(result.exitCode).toBe(1);
  });

  it('a crash in init is a start-up error: nothing is written', async () => {
    const out = path.join(dir, 'init-crash', 'r.jsonl');
    await expect(scan(new CrashingEngine({ crashOnInit: true }), {}, { out })).rejects.toThrow('simulated: engine failed to start');
  });
});

describe('hanging engine', () => {
  it('a file that hangs fails with code timeout after limits.timeoutMs; the others finish', async () => {
    const engine = new HangingEngine({ hangWhen: (_p, call) => call === 1 });
    const t0 = Date.now();
    const { result, records } = await scan(engine, { concurrency: 2, ...LIMIT });
    const elapsed = Date.now() - t0;
    const timedOut = records.filter((r) => r.error?.code === 'timeout');
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]).toMatchObject({ status: 'failed', error: { stage: 'analyse' } });
    expect(timedOut[0].error?.message).toContain(`longer than ${LIMIT['limits.timeoutMs']} ms (limits.timeoutMs)`);
    expect(records.filter((r) => r.status !== 'failed')).toHaveLength(FILES - 1);
    expect(records.map((r) => r.file)).toEqual(sortedFiles());
    expect(result.exitCode).toBe(1);
    expect(elapsed).toBeLessThan(30_000);
    expect(engine.pending).toBe(0); // released by dispose: no dangling work after the run
  });

  it('every file hanging: all time out, the run still ends', async () => {
    const { records, result } = await scan(new HangingEngine(), { concurrency: 2, 'limits.timeoutMs': 300 });
    expect(records.map((r) => r.error?.code)).toEqual(new Array(FILES).fill('timeout'));
    expect(result.summary.failed).toBe(FILES);
  });

  it('a timed-out file is not marked done: --resume retries it and keeps the others', async () => {
    const out = path.join(dir, 'timeout-resume', 'r.jsonl');
    const first = await scan(new HangingEngine({ hangWhen: (_p, call) => call === 0 }), { concurrency: 1, ...LIMIT }, { out });
    const hung = first.records.find((r) => r.error?.code === 'timeout')!;
    expect(hung).toBeDefined();
    // The same engine (name and models are part of the pipeline version), now answering at once.
    const retry = new HangingEngine({ hangWhen: () => false });
    const second = await scan(retry, { concurrency: 1, resume: true, ...LIMIT }, { out });
    expect(retry.calls).toBe(1); // only the timed-out file went through OCR again
    expect(second.result.summary.skipped).toBe(FILES - 1);
    // The retried file goes back to its place: kept and new records are merged in path order.
    expect(second.records.map((r) => r.file)).toEqual(sortedFiles());
    const again = second.records.find((r) => r.file === hung.file)!;
    expect(again.status).not.toBe('failed');
    expect(again.text).toMatch(/^page \d+x\d+$/);
    expect(second.records.filter((r) => r.error?.code === 'timeout')).toHaveLength(0);
  });
});

describe('empty engine', () => {
  it('no text at all → needs_review with reason no_text_found; exit 0 (1 with --strict)', async () => {
    const engine = new EmptyEngine();
    const { result, records } = await scan(engine);
    expect(engine.calls).toBe(FILES);
    for (const r of records) {
      expect(r.status).toBe('needs_review');
      expect(r.review).toContain('no_text_found');
      expect(r.text).toBe('');
      expect(r.lines).toEqual([]);
      expect(r.error).toBeNull();
    }
    expect(result.exitCode).toBe(0);
    expect(result.summary.needsReview).toBe(FILES);
    const strict = await scan(new EmptyEngine(), { strict: true });
    expect(strict.result.exitCode).toBe(1);
  });
});

describe('ordering and interruption', () => {
  it('writes sorted path order even when the first file is the slowest (concurrency 2)', async () => {
    // Call order is not file order (decoding races), so the slow file is told apart by its shape: the first file
    // in path order is the only multi-line (tall) page.
    const slowDir = path.join(dir, 'slow-first');
    const slowFiles = [
      await writeTextImage(slowDir, 'img-!first.png', ['Slow first file', 'Item 1 Tk 1.00', 'Item 2 Tk 2.00', 'Total Tk 3.00'], { fontSize: 22 }),
      ...(await writeNumberedImages(slowDir, FILES - 1)),
    ].map((f) => path.relative(dir, f)).sort();
    const isTall = (p: PageImage) => p.height > p.width / 2;
    const engine = new HangingEngine({ hangWhen: isTall, delayMs: 1500 });
    const fileEvents: string[] = [];
    const { records } = await scanInputs([slowDir], engine, { concurrency: 2 }, { onEvent: (e) => e.type === 'file' && fileEvents.push(e.item.path) });
    expect(records.map((r) => r.file)).toEqual(slowFiles);
    expect(fileEvents).toEqual(slowFiles);
    expect(records[0]!.file).toMatch(/img-!first\.png$/);
    expect(records[0]!.timingsMs.total).toBeGreaterThanOrEqual(1400);
    // The others did not wait for it: every other file was finished well inside the slow file's delay.
    expect(engine.calls).toBe(FILES);
    for (const r of records.slice(1)) expect(r.timingsMs.total).toBeLessThan(1400);
  });

  it('an aborted run flushes finished records and exits 130; --resume does only the rest, each record once', async () => {
    const out = path.join(dir, 'abort', 'r.jsonl');
    const ac = new AbortController();
    const slow = new HangingEngine({ hangWhen: () => true, delayMs: 150 });
    const first = await scan(slow, { concurrency: 1 }, { out, signal: ac.signal, onEvent: (e) => e.type === 'file' && ac.abort() });
    expect(first.result.interrupted).toBe(true);
    expect(first.result.exitCode).toBe(130);
    const done = first.records.map((r) => r.file);
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(FILES);
    expect(done).toEqual(sortedFiles().slice(0, done.length));

    const rest = new HangingEngine({ hangWhen: () => false });
    const second = await scan(rest, { concurrency: 2, resume: true }, { out });
    expect(rest.calls).toBe(FILES - done.length);
    expect(second.result.summary.skipped).toBe(done.length);
    expect(second.records.map((r) => r.file)).toEqual(sortedFiles());

    const noop = new HangingEngine({ hangWhen: () => false });
    const third = await scan(noop, { resume: true }, { out });
    expect(noop.calls).toBe(0);
    expect(third.result.summary).toMatchObject({ files: FILES, skipped: FILES });
    expect(third.records.map((r) => r.file)).toEqual(sortedFiles());
    expect(third.result.exitCode).toBe(0);
    expect(new Set(third.records.map((r) => r.sha256)).size).toBe(FILES);
  });

  it('--resume merges kept and new records in path order in every file format', async () => {
    const base = path.join(dir, 'merge-out');
    const outs = ['r.jsonl', 'r.csv', 'r.json'].map((f) => path.join(base, f));
    // Files 1 and 4 hang past the limit in the first run; the resumed run redoes them between kept ones.
    const first = await scan(new HangingEngine({ hangWhen: (_p, call) => call === 1 || call === 4 }), { concurrency: 1, out: outs, ...LIMIT }, { out: outs[0] });
    expect(first.records.filter((r) => r.error?.code === 'timeout').map((r) => r.file)).toEqual([sortedFiles()[1], sortedFiles()[4]]);
    const second = await scan(new HangingEngine({ hangWhen: () => false }), { concurrency: 2, out: outs, resume: true, ...LIMIT }, { out: outs[0] });
    expect(second.result.summary.skipped).toBe(FILES - 2);
    expect(second.records.map((r) => r.file)).toEqual(sortedFiles());
    expect(second.records.every((r) => r.status !== 'failed')).toBe(true);
    const { parse } = await import('csv-parse/sync');
    const { readFileSync } = await import('node:fs');
    const csv = parse(readFileSync(outs[1], 'utf8'), { columns: true }) as Array<{ file: string }>;
    expect(csv.map((r) => r.file)).toEqual(sortedFiles());
    const json = JSON.parse(readFileSync(outs[2], 'utf8')) as ZakRecord[];
    expect(json.map((r) => r.file)).toEqual(sortedFiles());
    expect(json).toEqual(second.records);
  });

  it('an identical copy under another name keeps its own record across an interrupted run and --resume', async () => {
    const copies = path.join(dir, 'copies');
    const made = await writeNumberedImages(copies, 5);
    await copyFile(made[0], path.join(copies, 'img-003z.png')); // same bytes as img-000, sorted after the interruption
    const out = path.join(dir, 'copies-out', 'r.jsonl');
    const all = ['img-000.png', 'img-001.png', 'img-002.png', 'img-003.png', 'img-003z.png', 'img-004.png'].map((f) => path.join('copies', f));
    const ac = new AbortController();
    const first = await scanInputs([copies], new HangingEngine({ delayMs: 100 }), { concurrency: 1 }, { out, signal: ac.signal, onEvent: (e) => e.type === 'file' && ac.abort() });
    expect(first.records.length).toBeLessThan(all.length);
    expect(first.records.map((r) => r.file)).not.toContain(path.join('copies', 'img-003z.png'));
    const second = await scanInputs([copies], new HangingEngine({ hangWhen: () => false }), { concurrency: 1, resume: true }, { out });
    expect(second.records.map((r) => r.file).sort()).toEqual(all);
    const [a, z] = [second.records.find((r) => r.file.endsWith('img-000.png'))!, second.records.find((r) => r.file.endsWith('img-003z.png'))!];
    expect(z.sha256).toBe(a.sha256);
  });

  it('another engine is another pipeline version: --resume does not skip files done by a different engine', async () => {
    const out = path.join(dir, 'engine-change', 'r.jsonl');
    await scan(new EmptyEngine(), {}, { out });
    const other = new HangingEngine({ hangWhen: () => false });
    const second = await scan(other, { resume: true }, { out });
    expect(other.calls).toBe(FILES);
    expect(second.result.summary.skipped).toBe(0);
    expect(second.records).toHaveLength(FILES); // the old engine's records are replaced, not duplicated
  });
});
