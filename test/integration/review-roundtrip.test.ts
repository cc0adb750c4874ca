import { createHash } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZakRecord } from '../../src/core/types.js';
import { readJsonl, runCli, tempDir, writeTextImage } from './scan-helpers.js';

/**
 * The review loop end to end through the built CLI: a real Tesseract scan of rendered images →
 * `review export` → a person's edits (done here on the CSV) → `review import` → `export` holds the
 * corrected text. Malformed sheets must fail with a clear message and leave every file untouched.
 */

const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

async function readSheet(file: string): Promise<string[][]> {
  return parse((await readFile(file, 'utf8')).replace(/^\ufeff/, ''), { relax_column_count: true }) as string[][];
}

async function writeSheet(file: string, rows: string[][]): Promise<void> {
  await writeFile(file, '\ufeff' + stringify(rows, { record_delimiter: 'windows' }), 'utf8');
}

describe('review loop: scan → review export → edit → review import → export', () => {
  let dir: string;
  let results: string;
  let pkg: string;
  let header: string[];
  let rows: string[][];
  const col = (name: string) => header.indexOf(name);

  beforeAll(async () => {
    dir = await tempDir('review');
    await writeTextImage(dir, 'in/receipt-1.png', ['ZAKPOS GENERAL STORE', 'Basmati Rice 5kg Tk 450.00', 'TOTAL Tk 450.00'], { fontSize: 26 });
    await writeTextImage(dir, 'in/tag-2.png', ['Sugar 1kg Tk 140.00'], { fontSize: 26 });
    const scan = await runCli(['scan', 'in', '--engine', 'tesseract', '--out', 'results.jsonl', '-q'], { cwd: dir, timeoutMs: 180_000 });
    expect([0, 1]).toContain(scan.code);
    results = path.join(dir, 'results.jsonl');
    pkg = path.join(dir, 'pkg');
    // Every line and field of these clean renders is confident: ask for all of them (confidence < 1).
    const exp = await runCli(['review', 'export', 'results.jsonl', '--out', 'pkg', '--max-line-confidence', '1', '--min-field-confidence', '1'], { cwd: dir });
    expect(exp.stderr).toContain('review package');
    expect(exp.code).toBe(0);
    [header, ...rows] = await readSheet(path.join(pkg, 'review.csv'));
  }, 300_000);

  it('writes a sheet with one row per doubtful line, crops inside the package and an empty corrected column', async () => {
    expect(header).toEqual(['row_id', 'file', 'page', 'kind', 'current_text', 'confidence', 'engine', 'crop', 'corrected']);
    const lines = rows.filter((r) => r[col('kind')] === 'line');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const r of lines) {
      expect(r[col('row_id')]).toMatch(/^L-[0-9a-f]{12}$/);
      expect(r[col('engine')]).toBe('tesseract');
      expect(r[col('corrected')]).toBe('');
      const crop = path.join(pkg, r[col('crop')]);
      expect(path.relative(pkg, crop).startsWith('..')).toBe(false);
      expect((await stat(crop)).size).toBeGreaterThan(100);
    }
    expect(await readdir(pkg)).toEqual(expect.arrayContaining(['review.csv', 'review.json', 'rows.jsonl', 'crops']));
  });

  it('rejects malformed sheets with row/column messages and changes nothing', async () => {
    const before = await sha(results);
    const sheet = path.join(dir, 'bad.csv');
    const base = rows.map((r) => [...r]);
    base[0][col('corrected')] = 'SOMETHING';
    const cases: Array<[string, () => Promise<void>, string]> = [
      ['missing column', () => writeSheet(sheet, [header.filter((h) => h !== 'corrected'), ...base.map((r) => r.filter((_, i) => i !== col('corrected')))]), 'row 1, column corrected: missing column "corrected"'],
      ['bad row id', () => writeSheet(sheet, [header, ...base.map((r, i) => (i === 1 ? ['L-000000000000', ...r.slice(1, -1), 'X'] : r))]), 'row 3, column row_id: unknown row id "L-000000000000" (not in this review package)'],
      ['crop path escaping the package', () => writeSheet(sheet, [header, ...base.map((r, i) => (i === 0 ? r.map((c, j) => (j === col('crop') ? '../../secret.png' : c)) : r))]), 'row 2, column crop: path "../../secret.png" leaves the review package folder'],
      ['wrong encoding', async () => writeFile(sheet, Buffer.concat([Buffer.from(`${header.join(',')}\r\n${rows[0][0]},,,,,,,,Caf`), Buffer.from([0xe9]), Buffer.from('\r\n')])), 'row 2: not UTF-8 text (byte 0xe9'],
      ['a non-number for a number field', async () => {
        const field = rows.find((r) => /^field:(total|price)$/.test(r[col('kind')]));
        expect(field).toBeDefined();
        await writeSheet(sheet, [header, field!.map((c, j) => (j === col('corrected') ? 'four fifty' : c))]);
      }, 'column corrected: expected a number for field'],
    ];
    for (const [name, write, message] of cases) {
      await write();
      const r = await runCli(['review', 'import', sheet, '--package', pkg], { cwd: dir });
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain(message);
      expect(r.stderr, name).toContain('nothing was changed');
      expect(await sha(results), name).toBe(before);
      expect(await readdir(pkg), name).not.toContain('ground-truth.jsonl');
    }
  }, 300_000);

  it('applies corrections atomically, keeps ground truth, is idempotent, and export carries the corrected text', async () => {
    const edited = rows.map((r) => [...r]);
    const target = edited.find((r) => r[col('kind')] === 'line' && r[col('current_text')].includes('Basmati'))!;
    expect(target).toBeDefined();
    target[col('corrected')] = 'Basmati Rice (Miniket) 5kg Tk 450.00';
    const confirm = edited.find((r) => r[col('kind')] === 'line' && r[col('current_text')].startsWith('Sugar'))!;
    confirm[col('corrected')] = confirm[col('current_text')];
    const sheet = path.join(pkg, 'review.csv');
    await writeSheet(sheet, [header, ...edited]);

    const untouched = await sha(results);
    const dry = await runCli(['review', 'import', sheet, '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('dry run, nothing written: would import 2 corrections (2 lines, 0 fields)');
    expect(dry.stderr).toContain('results.jsonl: 2 records to change');
    expect(await sha(results)).toBe(untouched);
    expect(await readdir(pkg)).not.toContain('ground-truth.jsonl');

    const first = await runCli(['review', 'import', sheet], { cwd: dir });
    expect(first.stderr).toContain('imported 2 corrections (2 lines, 0 fields)');
    expect(first.code).toBe(0);
    const recs = await readJsonl(results);
    const receipt = recs.find((r) => r.file.endsWith('receipt-1.png')) as ZakRecord;
    const line = receipt.lines.find((l) => l.text.startsWith('Basmati'))!;
    expect(line).toMatchObject({ text: 'Basmati Rice (Miniket) 5kg Tk 450.00', verified: true, ocrText: target[col('current_text')] });
    expect(receipt.text).toContain('Basmati Rice (Miniket) 5kg Tk 450.00');
    const gt = (await readFile(path.join(pkg, 'ground-truth.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { text: string });
    expect(gt.map((g) => g.text).sort()).toEqual(['Basmati Rice (Miniket) 5kg Tk 450.00', confirm[col('current_text')]].sort());

    // Importing the same sheet again changes nothing: not even the file's bytes or mtime.
    const [hash, mtime] = [await sha(results), (await stat(results)).mtimeMs];
    const again = await runCli(['review', 'import', sheet], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('0 records changed');
    expect(again.stderr).toContain('(unchanged)');
    expect([await sha(results), (await stat(results)).mtimeMs]).toEqual([hash, mtime]);

    // The package's ground truth as a tesstrain set …
    const gtOut = await runCli(['export', '--from', 'pkg', '--format', 'tesstrain', '--out', 'gt-set'], { cwd: dir });
    expect(gtOut.code).toBe(0);
    const gtTexts: string[] = [];
    for (const split of ['train', 'val', 'test']) {
      const names = await readdir(path.join(dir, 'gt-set', split)).catch(() => [] as string[]);
      for (const n of names.filter((f) => f.endsWith('.gt.txt'))) gtTexts.push((await readFile(path.join(dir, 'gt-set', split, n), 'utf8')).trim());
    }
    expect(gtTexts).toContain('Basmati Rice (Miniket) 5kg Tk 450.00');
    expect(gtTexts).toHaveLength(2);

    // … and the results as a PaddleOCR set: verified lines pass even the strictest confidence filter.
    const paddle = await runCli(['export', '--from', 'results.jsonl', '--format', 'paddle', '--out', 'rec', '--min-confidence', '1'], { cwd: dir });
    expect(paddle.code).toBe(0);
    const labels = (await Promise.all(['train', 'val', 'test'].map((s) => readFile(path.join(dir, 'rec', `rec_gt_${s}.txt`), 'utf8'))))
      .join('')
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[1]);
    expect(labels.sort()).toEqual(['Basmati Rice (Miniket) 5kg Tk 450.00', confirm[col('current_text')]].sort());
  }, 300_000);
});
