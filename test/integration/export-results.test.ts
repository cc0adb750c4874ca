import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOkRecord, makeFailedRecord } from '../../src/core/record.js';
import type { OcrLine, ZakRecord } from '../../src/core/types.js';
import { runCli, tempDir, writeTextImage } from './scan-helpers.js';

/**
 * `zakocr export --from results.jsonl` through the CLI on hand-written records over rendered images:
 * which lines pass the confidence/engine/script/PII filters, that verified lines always pass, and that
 * an image that changed or vanished since the scan skips its lines with a named warning and exit 1.
 */

const engine = { name: 'auto', models: ['ch_PP-OCRv4_rec'], device: 'cpu' as const, version: '1' };

async function record(dir: string, file: string, lines: OcrLine[], over: Partial<ZakRecord> = {}): Promise<ZakRecord> {
  const bytes = await readFile(path.join(dir, file));
  const id = { file, page: null, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, pipelineVersion: 'v1', runId: 'r1', engine };
  return { ...makeOkRecord(id, { lines, docType: 'receipt' }), ...over };
}

interface Item { text: string; origin: string; engine: string | null; size: [number, number]; path: string; source: { file: string } }

describe('export from scan results', () => {
  let dir: string;
  let stderr: string;
  let code: number | null;
  let items: Item[];
  let counts: { input: number; exported: number; skipped: Record<string, number> };

  beforeAll(async () => {
    dir = await tempDir('export-results');
    await writeTextImage(dir, 'a.png', ['Rice 5kg Tk 450', 'Mobile 01712-345678', 'TOTAL Tk 930'], { fontSize: 24 });
    await writeTextImage(dir, 'b.png', ['Sugar 1kg Tk 140'], { fontSize: 24 });
    await writeTextImage(dir, 'gone.png', ['Salt'], { fontSize: 24 });
    const l = (text: string, confidence: number, eng: string, box: [number, number, number, number], extra: Partial<OcrLine> = {}): OcrLine => ({ text, confidence, engine: eng, box, ...extra });
    const a = await record(dir, 'a.png', [
      l('Rice 5kg Tk 450', 0.97, 'paddle', [20, 20, 220, 30]),
      l('Mobile 01712-345678', 0.99, 'paddle', [20, 55, 280, 30]),
      l('TOTAL Tk 93O', 0.42, 'tesseract', [20, 90, 200, 30], { verified: false }),
      l('মোট ৳ ৯৩০', 0.95, 'tesseract', [20, 90, 200, 30]),
      l('Rice 5kg Tk 450', 0.3, 'paddle', [20, 20, 221, 31], { text: 'Rice 5kg Tk 450 (verified)', verified: true, ocrText: 'Rlce' }),
      // A line given as a rotated quad.
      l('TILTED', 0.96, 'paddle', [10, 10, 60, 40], { quad: [[10, 30], [60, 10], [66, 25], [16, 45]] }),
    ]);
    const b = await record(dir, 'b.png', [l('Sugar 1kg Tk 140', 0.93, 'paddle', [20, 20, 230, 30])]);
    const gone = await record(dir, 'gone.png', [l('Salt', 0.99, 'paddle', [20, 20, 60, 30])]);
    const failed = makeFailedRecord({ file: 'x.png', page: null, sha256: 'f'.repeat(64), bytes: 1, pipelineVersion: 'v1', runId: 'r1', engine }, { code: 'corrupt_image', message: 'bad', stage: 'decode' });
    await writeFile(path.join(dir, 'results.jsonl'), [a, b, gone, failed].map((r) => JSON.stringify(r)).join('\n') + '\n');
    // b.png changes after the scan (its boxes no longer apply); gone.png disappears.
    await writeTextImage(dir, 'b.png', ['Sugar 2kg Tk 280'], { fontSize: 24 });
    await rm(path.join(dir, 'gone.png'));
    const r = await runCli(['export', 'results.jsonl', '--format', 'paddle', '--out', 'set', '--min-confidence', '0.9', '--redact', '--engine', 'paddle,tesseract'], { cwd: dir });
    ({ stderr, code } = r);
    const m = JSON.parse(await readFile(path.join(dir, 'set', 'manifest.json'), 'utf8')) as { items: Item[]; counts: typeof counts };
    items = m.items;
    counts = m.counts;
  }, 120_000);

  it('keeps confident OCR lines and verified lines; drops low confidence and personal data', () => {
    expect(items.map((i) => [i.text, i.origin])).toEqual([
      ['Rice 5kg Tk 450', 'ocr'],
      ['মোট ৳ ৯৩০', 'ocr'],
      ['Rice 5kg Tk 450 (verified)', 'reviewed'],
      ['TILTED', 'ocr'],
    ]);
    expect(counts.skipped).toMatchObject({ confidence: 1, redacted: 1, source_changed: 1, source_missing: 1 });
    expect(counts.input).toBe(8);
  });

  it('rectifies a rotated quad into an upright crop', async () => {
    const tilted = items.find((i) => i.text === 'TILTED')!;
    // Top edge ≈ 53.9 px, side edge ≈ 16.2 px, plus a 2 px margin on each side.
    expect(tilted.size).toEqual([58, 20]);
    const meta = await sharp(path.join(dir, 'set', tilted.path)).metadata();
    expect([meta.width, meta.height]).toEqual([58, 20]);
  });

  it('names the images that changed or vanished, and exits 1', () => {
    expect(code).toBe(1);
    expect(stderr).toContain('skipped 1 line(s) of b.png');
    expect(stderr).toContain('the file changed since the scan');
    expect(stderr).toContain('skipped 1 line(s) of gone.png: image not found');
  });

  it('filters by script', async () => {
    const r = await runCli(['export', 'results.jsonl', '--format', 'hf', '--out', 'ben', '--script', 'bengali'], { cwd: dir });
    // The changed and missing images hold no Bengali line: they are never opened, so nothing is wrong.
    expect(r.code).toBe(0);
    const m = JSON.parse(await readFile(path.join(dir, 'ben', 'manifest.json'), 'utf8')) as { items: Item[] };
    expect(m.items.map((i) => i.text)).toEqual(['মোট ৳ ৯৩০']);
    const bad = await runCli(['export', 'results.jsonl', '--out', 'x', '--script', 'cyrillic'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--script cyrillic: must be one of latin, bengali, mixed, common');
  }, 60_000);
});
