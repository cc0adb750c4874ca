import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZakRecord } from '../../src/core/types.js';
import { createTestDb, type TestDb } from '../helpers/pg-db.js';
import { readJsonl, runCli, tempDir, writeTextImage } from './scan-helpers.js';

/**
 * The review loop on PostgreSQL (a fresh database on the machine's server): records scanned into
 * `ocr_processing_jobs` → `review export --pg` → an edited sheet → `review import --pg` updates the
 * jsonb record (and the results file beside it) in one transaction; bad sheets and re-imports change nothing.
 */
describe('review loop on PostgreSQL', () => {
  let db: TestDb;
  let dir: string;
  let header: string[];
  let rows: string[][];
  const col = (name: string) => header.indexOf(name);
  const jobs = () => db.query<{ path: string; status: string; record: ZakRecord; updated_at: Date }>('SELECT path, status, record, updated_at FROM ocr_processing_jobs ORDER BY path');

  beforeAll(async () => {
    db = await createTestDb('zk_review');
    dir = await tempDir('review-pg');
    await writeTextImage(dir, 'in/a-receipt.png', ['CORNER SHOP', 'Tea 2 x Tk 20.00', 'TOTAL Tk 40.00'], { fontSize: 26 });
    await writeTextImage(dir, 'in/b-tag.png', ['Lentils 1kg Tk 130.00'], { fontSize: 26 });
    const scan = await runCli(['scan', 'in', '--engine', 'tesseract', '--pg', db.url, '--migrate', '--out', 'results.jsonl', '-q'], { cwd: dir, timeoutMs: 180_000 });
    expect([0, 1]).toContain(scan.code);
    const exp = await runCli(['review', 'export', '--pg', db.url, '--out', 'pkg', '--max-line-confidence', '1', '--min-field-confidence', '1'], { cwd: dir });
    expect(exp.code, exp.stderr).toBe(0);
    [header, ...rows] = parse((await readFile(path.join(dir, 'pkg', 'review.csv'), 'utf8')).replace(/^\ufeff/, '')) as string[][];
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('reads the rows to review from ocr_processing_jobs', async () => {
    const index = JSON.parse(await readFile(path.join(dir, 'pkg', 'review.json'), 'utf8')) as { source: { kind: string; path: string } };
    expect(index.source.kind).toBe('pg');
    expect(index.source.path).toBe(db.url);
    expect(rows.filter((r) => r[col('kind')] === 'line').map((r) => r[col('file')]).sort()).toEqual(['in/a-receipt.png', 'in/a-receipt.png', 'in/a-receipt.png', 'in/b-tag.png']);
  });

  it('applies a correction to the jsonb record and the results file; a bad sheet or a re-import changes nothing', async () => {
    const before = await jobs();
    const sheet = path.join(dir, 'pkg', 'review.csv');
    const bad = rows.map((r) => [...r]);
    bad[0][col('row_id')] = 'L-0123456789ab';
    bad[0][col('corrected')] = 'X';
    await writeFile(sheet, '\ufeff' + stringify([header, ...bad]));
    const rejected = await runCli(['review', 'import', sheet, '--pg', db.url, '--results', 'results.jsonl'], { cwd: dir });
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('row 2, column row_id: unknown row id "L-0123456789ab"');
    expect(await jobs()).toEqual(before);

    const edited = rows.map((r) => [...r]);
    const tea = edited.find((r) => r[col('kind')] === 'line' && r[col('current_text')].startsWith('Tea'))!;
    expect(tea).toBeDefined();
    tea[col('corrected')] = 'Tea 2 x Tk 20.00 (milk)';
    await writeFile(sheet, '\ufeff' + stringify([header, ...edited]));
    const ok = await runCli(['review', 'import', sheet, '--pg', db.url, '--results', 'results.jsonl'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('1 record changed');
    const after = await jobs();
    const receipt = after.find((j) => j.path === 'in/a-receipt.png')!;
    expect(receipt.record.lines.find((l) => l.text.startsWith('Tea'))).toMatchObject({ text: 'Tea 2 x Tk 20.00 (milk)', verified: true, ocrText: tea[col('current_text')] });
    expect(receipt.updated_at.getTime()).toBeGreaterThan(before.find((j) => j.path === 'in/a-receipt.png')!.updated_at.getTime());
    expect(after.find((j) => j.path === 'in/b-tag.png')).toEqual(before.find((j) => j.path === 'in/b-tag.png'));
    const file = (await readJsonl(path.join(dir, 'results.jsonl'))).find((r) => r.file === 'in/a-receipt.png')!;
    expect(file.lines.find((l) => l.text.startsWith('Tea'))?.text).toBe('Tea 2 x Tk 20.00 (milk)');

    const again = await runCli(['review', 'import', sheet, '--pg', db.url, '--results', 'results.jsonl'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('0 records changed');
    expect(await jobs()).toEqual(after);
  }, 180_000);
});
