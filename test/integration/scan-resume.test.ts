/**
 * Ctrl-C and --resume through the real CLI with the real Tesseract engine: SIGINT mid-run flushes the finished
 * records and exits 130; --resume processes only the rest; the final file holds every record exactly once;
 * a second --resume is a no-op.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZakRecord } from '../../src/core/types.js';
import { readJsonl, runCli, tempDir, writeNumberedImages, type CliResult } from './scan-helpers.js';

const FILES = 10;
const PROGRESS_LINE = /^(ok|review|failed)\s+\S/gm;

let dir: string;
let expected: string[];
let out: string;
let first: CliResult;
let firstRecords: ZakRecord[];
let firstManifest: string[];
let second: CliResult;
let secondRecords: ZakRecord[];
let third: CliResult;
let thirdText: string;

const args = () => ['scan', 'in', '--engine', 'tesseract', '--concurrency', '1', '--out', out];

beforeAll(async () => {
  dir = await tempDir('resume');
  expected = (await writeNumberedImages(path.join(dir, 'in'), FILES)).map((f) => path.relative(dir, f)).sort();
  out = path.join(dir, 'out', 'r.jsonl');
  let sent = false;
  first = await runCli(args(), {
    cwd: dir,
    timeoutMs: 150_000,
    onStderr: (soFar, child) => {
      if (!sent && (soFar.match(PROGRESS_LINE)?.length ?? 0) >= 2) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  firstRecords = await readJsonl(out);
  firstManifest = readFileSync(path.join(dir, 'out', '.zakocr-manifest.jsonl'), 'utf8').trim().split('\n');
  second = await runCli([...args(), '--resume'], { cwd: dir, timeoutMs: 150_000 });
  secondRecords = await readJsonl(out);
  third = await runCli([...args(), '--resume'], { cwd: dir, timeoutMs: 150_000 });
  thirdText = readFileSync(out, 'utf8');
}, 400_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Ctrl-C, then --resume', () => {
  it('SIGINT flushes the finished files and exits 130 with a resume hint', () => {
    expect(first.code).toBe(130);
    expect(first.stderr).toContain('interrupted: finishing the files in progress');
    expect(first.stderr).toContain('run again with --resume to continue');
    const done = firstRecords.map((r) => r.file);
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThan(FILES);
    expect(done).toEqual(expected.slice(0, done.length)); // a prefix, in order: nothing half-written
    for (const r of firstRecords) expect(r.status).not.toBe('failed');
    expect(firstManifest.map((l) => (JSON.parse(l) as { file: string }).file)).toEqual(done);
  });

  it('--resume processes only the rest and the final file has every record exactly once', () => {
    expect(second.code).toBe(0);
    const skipped = second.stderr.match(/^skip\s+\S+/gm) ?? [];
    const processed = second.stderr.match(PROGRESS_LINE) ?? [];
    expect(skipped).toHaveLength(firstRecords.length);
    expect(processed).toHaveLength(FILES - firstRecords.length);
    expect(secondRecords.map((r) => r.file)).toEqual(expected);
    expect(new Set(secondRecords.map((r) => r.sha256)).size).toBe(FILES);
    // The kept records are the earlier run's, byte for byte in content.
    for (const r of firstRecords) expect(secondRecords.find((x) => x.file === r.file)).toEqual(r);
    // And the text is right: "Item 007 Tk 107.00".
    for (const r of secondRecords) expect(r.text.replace(/\s+/g, ' ').trim()).toBe(`Item ${r.file.match(/(\d{3})\.png$/)![1]} Tk ${100 + Number(r.file.match(/(\d{3})\.png$/)![1])}.00`);
  });

  it('a second --resume is a no-op: everything skipped, the file unchanged', () => {
    expect(third.code).toBe(0);
    expect(third.stderr.match(PROGRESS_LINE) ?? []).toHaveLength(0);
    expect(third.stderr).toContain(`skipped ${FILES}`);
    expect(thirdText.trim().split('\n').map((l) => JSON.parse(l) as ZakRecord)).toEqual(secondRecords);
  });
});

describe('Ctrl-C with barcodes', () => {
  it('the files still in progress finish whole: their barcodes are read before they are marked done', async () => {
    const bwip = (await import('bwip-js')).default;
    const { mkdir, writeFile } = await import('node:fs/promises');
    const codes = path.join(dir, 'codes');
    await mkdir(codes, { recursive: true });
    const ean = (body: string) => body + ((10 - ([...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0) % 10)) % 10);
    const texts = Array.from({ length: 8 }, (_, i) => ean(`89411005000${i}`));
    for (const [i, text] of texts.entries()) {
      const png = await bwip.toBuffer({ bcid: 'ean13', text, scale: 3, height: 14, paddingwidth: 12, paddingheight: 12, backgroundcolor: 'FFFFFF' });
      await writeFile(path.join(codes, `code-${i}.png`), png);
    }
    const codesOut = path.join(dir, 'codes-out', 'r.jsonl');
    let sent = false;
    const r = await runCli(['scan', 'codes', '--engine', 'none', '--concurrency', '1', '--out', codesOut], {
      cwd: dir,
      onStderr: (soFar, child) => {
        if (!sent && PROGRESS_LINE.test(soFar)) {
          sent = true;
          child.kill('SIGINT');
        }
        PROGRESS_LINE.lastIndex = 0;
      },
    });
    expect(r.code).toBe(130);
    const recs = await readJsonl(codesOut);
    expect(recs.length).toBeGreaterThanOrEqual(2);
    // Before the fix, files analysed after Ctrl-C got `barcodes: []` (the reader saw the run's abort signal) and were
    // still marked done, so --resume never read their barcodes.
    for (const rec of recs) expect(rec.barcodes.map((b) => b.text), rec.file).toEqual([texts[Number(rec.file.match(/code-(\d)/)![1])]]);
  });
});
