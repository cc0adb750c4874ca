/**
 * Dataset adapters on the real shared layouts (read-only) and on small manifests written to temp
 * folders; a barcode bench through the real pipeline (engine none + the real barcode reader); bench
 * metrics into a real PostgreSQL `ocr_model_metrics` when the machine has one.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../../src/config/defaults.js';
import { loadDataset } from '../../src/bench/datasets.js';
import { buildReport } from '../../src/bench/report.js';
import { runVariant } from '../../src/bench/runner.js';
import { writeBenchMetrics } from '../../src/bench/pg.js';
import { createTestDb, pgAvailable, type TestDb } from '../helpers/pg-db.js';
import { variant } from '../helpers/bench-report.js';
import { repoRoot, tempDir } from './scan-helpers.js';

const shared = path.resolve(repoRoot, '../shared/datasets');
const has = (name: string) => existsSync(path.join(shared, name));
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe.skipIf(!has('uw3-printed-lines'))('adapters on the shared layouts', () => {
  it.for([
    ['uw3-printed-lines', 'gt-lines', 50, 'line', { text: true, fields: false, barcodes: false }],
    ['bengali-synthetic-lines', 'gt-lines', 150, 'line', { text: true, fields: false, barcodes: false }],
    ['tesseractjs-smoke', 'gt-lines', 4, undefined, { text: true, fields: false, barcodes: false }],
    ['sroie-receipts', 'sroie', 48, 'receipt', { text: true, fields: true, barcodes: false }],
    ['zxing-barcodes', 'zxing', 275, 'label', { text: false, fields: false, barcodes: true }],
    ['invoice2data-invoices', 'invoice2data', 8, 'invoice', { text: false, fields: true, barcodes: false }],
  ] as const)('%s is detected as %s with %i items', async ([name, format, count, docType, labels], ctx) => {
    if (!has(name)) return ctx.skip(`${name} is not in ${shared}`);
    const ds = await loadDataset(path.join(shared, name));
    expect(ds.format).toBe(format);
    expect(ds.items).toHaveLength(count);
    expect(ds.warnings).toEqual([]);
    if (docType) expect(new Set(ds.items.map((i) => i.docType))).toEqual(new Set([docType]));
    expect(ds.items.every((i) => (i.text !== undefined) === labels.text)).toBe(true);
    expect(ds.items.every((i) => (i.fields !== undefined) === labels.fields)).toBe(true);
    expect(ds.items.every((i) => (i.barcodes !== undefined) === labels.barcodes)).toBe(true);
    for (const i of ds.items) for (const img of i.images) expect(existsSync(img)).toBe(true);
  });

  it('reads the layouts as their READMEs describe them', async () => {
    const uw3 = await loadDataset(path.join(shared, 'uw3-printed-lines'));
    expect(uw3.items[0]).toMatchObject({ id: '010001.bin.png', layout: 'line', text: 'Efficient Algorithms for Finding Maximum Matching in Graphs' });
    expect(uw3.items.reduce((n, i) => n + Array.from(i.text!).length, 0)).toBe(2183); // README: 2183 characters of ground truth
    const ben = await loadDataset(path.join(shared, 'bengali-synthetic-lines'));
    expect(ben.lang).toBe('ben');
    expect(ben.items.every((i) => !i.text!.endsWith('\n'))).toBe(true);
    const sroie = await loadDataset(path.join(shared, 'sroie-receipts'));
    expect(sroie.compare).toEqual({ foldCase: true });
    expect(sroie.items[0]!.fields).toEqual({ company: 'YONGFATT ENTERPRISE', date: '25/12/2018', address: 'NO 122.124. JALAN DEDAP 13 81100 JOHOR BAHRU', total: '80.90' });
    expect(sroie.items[0]!.text!.split('\n').slice(0, 2)).toEqual(['TAN WOON YANN', 'YONGFATT ENTERPRISE']);
    const zx = await loadDataset(path.join(shared, 'zxing-barcodes'));
    const formats = new Map<string, number>();
    for (const i of zx.items) formats.set(i.barcodes![0]!.format, (formats.get(i.barcodes![0]!.format) ?? 0) + 1);
    expect(Object.fromEntries(formats)).toEqual({ CODE_128: 21, EAN_13: 66, EAN_8: 6, QR_CODE: 73, UPC_A: 70, UPC_E: 39 }); // README counts
    const inv = await loadDataset(path.join(shared, 'invoice2data-invoices'));
    const azure = inv.items.find((i) => i.id === 'AzureInterior')!;
    expect(azure.fields).toMatchObject({ amount: 279.84, date: '2023-03-20', invoice_number: 'INV/2023/03/0008', currency: 'USD' });
    expect(azure.images.map((p) => path.basename(p))).toEqual(['AzureInterior-1.png']);
    expect(inv.items.find((i) => i.id === 'free_fiber')!.images.map((p) => path.basename(p))).toEqual(['free_fiber-1.png', 'free_fiber-2.png']);
  });

  it('also reads the scout manifests through the manifest adapter, and --limit spreads over folders', async () => {
    const zx = await loadDataset(path.join(shared, 'zxing-barcodes', 'manifest.jsonl'), { limit: 6 });
    expect(zx.format).toBe('manifest');
    expect(new Set(zx.items.map((i) => i.barcodes![0]!.format)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('our manifest format', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('bench-manifest');
    await mkdir(path.join(dir, 'img'));
    const png = path.join(repoRoot, 'fixtures', 'examples');
    const first = (await import('node:fs/promises')).readdir(png);
    const anyPng = (await first).find((f) => f.endsWith('.png'))!;
    for (const n of ['a.png', 'b.png', 'c.png']) await copyFile(path.join(png, anyPng), path.join(dir, 'img', n));
    await writeFile(path.join(dir, 'a.gt.txt'), 'Line from a file\n');
    await writeFile(path.join(dir, 'a.json'), JSON.stringify({ total: '12.50' }));
  });

  async function manifest(rows: string[]): Promise<string> {
    const file = path.join(dir, `m${Math.random().toString(36).slice(2)}.jsonl`);
    await writeFile(file, rows.join('\n'));
    return file;
  }

  it('reads text, fields, barcodes, files, pages, doc type and layout', async () => {
    const ds = await loadDataset(await manifest([
      '{"image": "img/a.png", "text_file": "a.gt.txt", "fields_file": "a.json", "docType": "price_tag"}',
      '// comments and blank lines are skipped',
      '',
      '{"images": ["img/b.png", "img/c.png"], "id": "two-pages", "fields": {"total": 3}, "barcodes": [{"format": "EAN_13", "text": "4006381333931"}]}',
      '{"image": "img/c.png", "text": "ক্ষমা", "layout": "line"}',
      '{"image": "img/c.png", "id": "nolabel"}',
    ]), { format: 'manifest' });
    expect(ds.items.map((i) => [i.id, i.docType, i.layout, i.text, i.fields, i.barcodes?.length, i.images.length])).toEqual([
      ['img/a.png', 'price_tag', 'page', 'Line from a file', { total: '12.50' }, undefined, 1],
      ['two-pages', 'unknown', 'page', undefined, { total: 3 }, 1, 2],
      ['img/c.png', 'line', 'line', 'ক্ষমা', undefined, undefined, 1],
    ]);
    expect(ds.warnings).toEqual([expect.stringMatching(/:6: no text, fields or barcodes label; skipped$/u)]);
  });

  it.each([
    ['{"text": "x"}', ':1: Expected a path to the image for "image", got undefined'],
    ['{"image": 5, "text": "x"}', ':1: Expected a string for "image", got 5 (number)'],
    ['{"image": "../../etc/passwd", "text": "x"}', ':1: path "../../etc/passwd" resolves outside the dataset folder'],
    ['{"image": "img/missing.png", "text": "x"}', ':1: image img/missing.png does not exist'],
    ['{"image": "img/a.png", "barcodes": [{"format": "EAN_13"}]}', ':1: Expected an object with string format and text for "barcodes[0]", got {"format":"EAN_13"} (object)'],
    ['{"image": "img/a.png", "text": "x", "layout": "column"}', ':1: Expected one of page, line for "layout", got "column" (string)'],
    ['{"image": "img/a.png", "text": "x"}\n{"image": "img/a.png", "text": "y"}', ':2: duplicate id "img/a.png"'],
    ['{not json', ':1: not valid JSON'],
  ])('rejects %s', async (row, message) => {
    await expect(loadDataset(await manifest(row.split('\n')), { format: 'manifest' })).rejects.toThrow(message);
  });
});

describe.skipIf(!has('zxing-barcodes'))('barcode bench through the real pipeline', () => {
  it('scores recall and precision per format with engine none', async () => {
    const ds = await loadDataset(path.join(shared, 'zxing-barcodes'), { limit: 6 });
    const config = structuredClone(defaults);
    config.engine = 'none';
    config.concurrency = 2;
    const v = await runVariant(ds, { name: 'barcodes', source: 'test', config, settings: {} }, { compare: {}, worst: 3, warmup: false });
    const formats = v.metrics.barcodes!.perFormat.map((p) => p.format);
    const labelled = [...new Set(ds.items.map((i) => i.barcodes![0]!.format))];
    expect(labelled.length).toBeGreaterThanOrEqual(4);
    expect(formats).toEqual(expect.arrayContaining(labelled));
    expect(v.metrics.barcodes!.total.expected).toBe(6);
    expect(v.metrics.barcodes!.total.recall).toBeGreaterThanOrEqual(0.5);
    expect(v.flat['barcode.all.recall']).toBe(v.metrics.barcodes!.total.recall);
    expect(v.metrics.failed).toBe(0);
    expect(v.engine.name).toBe('none');
  }, 120_000);
});

describe('bench metrics into PostgreSQL', () => {
  let db: TestDb | null = null;
  beforeAll(async () => {
    if (await pgAvailable()) db = await createTestDb('zk_bench');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('writes one ocr_model_metrics row per variant (source bench), idempotent on re-run', async (ctx) => {
    if (!db) return ctx.skip();
    const report = buildReport({
      dataset: { name: 'synthetic', root: '/x', format: 'manifest', items: [], compare: {}, warnings: [] },
      compare: {}, variants: [variant('good'), variant('worse')], checks: [], baseline: null, tolerancePp: 0.5, latencyTolerancePct: null, warnings: [], zakocrVersion: '0.1.0',
    });
    const cfg = { ...structuredClone(defaults.pg), url: db.url, migrate: true };
    expect(await writeBenchMetrics(cfg, 'bench-run-1', report, silent, '0.1.0')).toBe(2);
    expect(await writeBenchMetrics(cfg, 'bench-run-1', report, silent, '0.1.0')).toBe(2);
    const rows = await db.query<{ run_id: string; source: string; engine: string; images: number; cer: number; metrics: Record<string, number> }>(
      'SELECT run_id, source, engine, images, cer, metrics FROM ocr_model_metrics ORDER BY run_id');
    expect(rows.map((r) => [r.run_id, r.source, r.engine, r.images])).toEqual([
      ['bench-run-1:good', 'bench', 'good', 5],
      ['bench-run-1:worse', 'bench', 'worse', 5],
    ]);
    expect(rows[1]!.cer).toBeCloseTo(report.variants[1]!.flat.cer!, 12);
    expect(rows[1]!.metrics['barcode.all.recall']).toBe(report.variants[1]!.flat['barcode.all.recall']);
  });

  it('refuses an unmigrated database without --migrate (exit 2 with the migrate command)', async (ctx) => {
    if (!db) return ctx.skip();
    const fresh = await createTestDb('zk_bench_fresh');
    try {
      const report = buildReport({
        dataset: { name: 's', root: '/x', format: 'manifest', items: [], compare: {}, warnings: [] },
        compare: {}, variants: [variant('good')], checks: [], baseline: null, tolerancePp: 0.5, latencyTolerancePct: null, warnings: [], zakocrVersion: '0.1.0',
      });
      await expect(writeBenchMetrics({ ...structuredClone(defaults.pg), url: fresh.url }, 'r', report, silent)).rejects.toThrow(/missing migrations/u);
    } finally {
      await fresh.drop();
    }
  });
});

