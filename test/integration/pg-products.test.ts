import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bwipjs from 'bwip-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgCatalog } from '../../src/db/catalog.js';
import { defaults } from '../../src/config/defaults.js';
import type { ProductRef } from '../../src/core/types.js';
import { ean13 } from '../helpers/records.js';
import { createTestDb, type TestDb } from '../helpers/pg-db.js';
import { runCli } from '../helpers/sink-fixtures.js';

/** The PostgreSQL `products` catalog: created once, matched by barcode or GTIN-14, via the class and via `scan --create-products`. */
describe('products catalog (real server)', () => {
  let db: TestDb;

  beforeAll(async () => {
    db = await createTestDb('zk_products');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zk-products-'));
    const m = await runCli(['db', 'migrate', '--pg', db.url], dir);
    expect(m.code, m.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('creates an unknown barcode once under concurrent lookups from two processes, with name/price from the fields', async () => {
    const cfg = { pg: { ...defaults.pg, url: db.url }, createProducts: true };
    const [a, b] = [createPgCatalog(cfg), createPgCatalog(cfg)];
    const fields = { productName: { value: 'Miniket Rice', confidence: 0.8 }, price: { value: 92.5, currency: 'BDT', confidence: 0.9 }, quantity: { value: 1, unit: 'kg', confidence: 0.9 } };
    const refs: Array<ProductRef | null> = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).lookup([ean13('4006381333931')], fields, `${String(i).padStart(2, '0')}${'a'.repeat(62)}`)));
    expect(refs.filter((r) => r?.created)).toHaveLength(1);
    expect(new Set(refs.map((r) => r?.id)).size).toBe(1);
    expect(refs.every((r) => r?.matchedBy === 'barcode')).toBe(true);
    const rows = await db.query('SELECT barcode, gtin, name, price::float8 AS price, currency, unit, source FROM products');
    expect(rows).toEqual([{ barcode: '4006381333931', gtin: '04006381333931', name: 'Miniket Rice', price: 92.5, currency: 'BDT', unit: 'kg', source: 'zakocr' }]);

    // The UPC-A / EAN-13 spellings of one GTIN meet one product.
    const upc = await a.lookup([{ format: 'UPC_A', text: '036000291452', box: null, valid: true }], {}, 'b'.repeat(64));
    const ean = await b.lookup([ean13('0036000291452')], {}, 'c'.repeat(64));
    expect(upc?.created).toBe(true);
    expect(ean).toMatchObject({ id: upc!.id, created: false, matchedBy: 'barcode', barcode: '036000291452' });
    await Promise.all([a.close(), b.close()]);
  });

  it('without --create-products reports unknown barcodes and inserts nothing', async () => {
    const cat = createPgCatalog({ pg: { ...defaults.pg, url: db.url }, createProducts: false });
    expect(await cat.lookup([ean13('5901234123457')], {}, 'd'.repeat(64))).toEqual({ id: null, barcode: '5901234123457', matchedBy: 'none', created: false, name: null });
    expect(await cat.lookup([ean13('4006381333931')], {}, 'd'.repeat(64))).toMatchObject({ matchedBy: 'barcode', created: false, name: 'Miniket Rice', price: 92.5 });
    await cat.close();
    expect(await db.query("SELECT barcode FROM products WHERE barcode = '5901234123457'")).toEqual([]);
  });

  it('scan --barcodes-only --create-products: each barcode created once, known ones matched, jobs linked; a re-run creates none', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zk-products-scan-'));
    await mkdir(path.join(dir, 'in'));
    await db.query("INSERT INTO products (barcode, gtin, name, source) VALUES ('9780201379624', '09780201379624', 'Known Book', 'import')");
    const draw = (text: string, pad: number) => bwipjs.toBuffer({ bcid: 'ean13', text, scale: 3, height: 14, includetext: false, paddingwidth: pad, paddingheight: 12, backgroundcolor: 'FFFFFF' });
    const images: Array<[string, string, number]> = [
      ['a1.png', '5901234123457', 12], ['a2.png', '5901234123457', 20], // same product, two photos
      ['b.png', '8901030865275', 12], ['known.png', '9780201379624', 12],
    ];
    for (const [name, code, pad] of images) await writeFile(path.join(dir, 'in', name), await draw(code, pad));

    const first = await runCli(['scan', 'in', '--barcodes-only', '--pg', db.url, '--create-products', '--out', 'r1.jsonl', '-q'], dir);
    expect(first.code, first.stderr).toBe(0);
    const jobs = await db.query<{ path: string; barcodes: string[]; product: { created: boolean; barcode: string } | null; product_id: string | null }>(
      "SELECT path, barcodes, record->'product' AS product, product_id::text FROM ocr_processing_jobs WHERE path LIKE 'in/%' ORDER BY path");
    expect(jobs.map((j) => [j.path, j.barcodes, j.product?.barcode, j.product_id !== null])).toEqual([
      ['in/a1.png', ['5901234123457'], '5901234123457', true],
      ['in/a2.png', ['5901234123457'], '5901234123457', true],
      ['in/b.png', ['8901030865275'], '8901030865275', true],
      ['in/known.png', ['9780201379624'], '9780201379624', true],
    ]);
    expect(jobs.filter((j) => j.product?.created).map((j) => j.path).sort()).toHaveLength(2); // one of a1/a2, and b
    expect(jobs.find((j) => j.path === 'in/known.png')!.product!.created).toBe(false);
    const products = await db.query<{ barcode: string; source: string; linked: boolean }>(
      "SELECT barcode, source, source_job IS NOT NULL AS linked FROM products WHERE barcode IN ('5901234123457', '8901030865275', '9780201379624') ORDER BY barcode");
    expect(products).toEqual([
      { barcode: '5901234123457', source: 'zakocr', linked: true },
      { barcode: '8901030865275', source: 'zakocr', linked: true },
      { barcode: '9780201379624', source: 'import', linked: false },
    ]);

    const again = await runCli(['scan', 'in', '--barcodes-only', '--pg', db.url, '--create-products', '--out', 'r2.jsonl', '-q'], dir);
    expect(again.code, again.stderr).toBe(0);
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products');
    expect(after).toEqual([{ n: 5 }]); // 2 from the class tests above + 2 created + 1 imported
    const created = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM ocr_processing_jobs WHERE (record->'product'->>'created')::boolean");
    expect(created).toEqual([{ n: 0 }]); // the re-run replaced the rows: every product matched, none created
  });
});
