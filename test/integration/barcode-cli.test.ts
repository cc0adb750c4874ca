/**
 * `zakocr scan --barcodes-only` end to end (the built CLI: worker-thread decoders, enrichment, CSV catalog,
 * JSONL records) on generated codes.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { byBase, readJsonl, runCli, tempDir } from './scan-helpers.js';
// @ts-expect-error plain ESM generator without type declarations
import { generateBarcodeFixtures } from '../../fixtures/barcodes.mjs';

const PICK = ['several.png', 'upca.png', 'weighed-ean13.png', 'bad-check-ean13.png', 'gs1-128.png', 'blank.png'];
let dir: string;
let images: string;
let catalog: string;

beforeAll(async () => {
  dir = await tempDir('barcode-cli');
  images = path.join(dir, 'images');
  const all = (await generateBarcodeFixtures(images)) as Array<{ file: string; name: string }>;
  for (const f of all) if (!PICK.includes(f.name)) await rm(f.file);
  catalog = path.join(dir, 'products.csv');
  await writeFile(
    catalog,
    [
      'barcode,name,price,currency,unit,sku',
      '0036000291452,Tomato paste 400g,120,BDT,pcs,TP-400',
      '4006381333931,Notebook A5,85,BDT,pcs,NB-A5',
      '2012345000001,Beef (per kg),780,BDT,kg,BEEF',
    ].join('\n'),
  );
});

describe('zakocr scan --barcodes-only', () => {
  it('writes barcodes, validity, GS1, weighed-item content and catalog products', async () => {
    const out = path.join(dir, 'out.jsonl');
    const res = await runCli(['scan', images, '--barcodes-only', '--catalog', catalog, '--out', out, '--manifest', path.join(dir, 'm.jsonl')], { timeoutMs: 120_000 });
    expect(res.code, res.stderr).toBe(0);
    const recs = byBase(await readJsonl(out));
    expect(recs.size).toBe(PICK.length);

    const upca = recs.get('upca.png')!;
    expect(upca.barcodes.map((b) => [b.format, b.text, b.valid, b.gtin])).toEqual([['UPC_A', '036000291452', true, '00036000291452']]);
    expect(upca.product).toEqual({
      id: 'TP-400', barcode: '0036000291452', matchedBy: 'barcode', created: false, name: 'Tomato paste 400g', price: 120, currency: 'BDT', unit: 'pcs',
    });
    expect(upca.engine.name).toBe('none');
    expect(upca.timingsMs.barcode).toBeGreaterThanOrEqual(0);

    const several = recs.get('several.png')!;
    expect(several.barcodes.map((b) => b.text).sort()).toEqual(['4006381333931', '73513537', 'SHELF-0042', 'ZAK-QR-7']);
    expect(several.product?.name).toBe('Notebook A5');

    const weighed = recs.get('weighed-ean13.png')!;
    expect(weighed.barcodes[0].variableMeasure).toEqual({ itemCode: '12345', price: 4.5 });
    expect(weighed.product?.name).toBe('Beef (per kg)');

    const bad = recs.get('bad-check-ean13.png')!;
    expect(bad.barcodes.map((b) => [b.text, b.valid])).toEqual([['4006381333932', false]]);
    expect(bad.product).toBeNull();

    const gs1 = recs.get('gs1-128.png')!;
    expect(gs1.barcodes[0].gs1).toEqual({ '01': '09501101530003', '17': '261231', '10': 'AB-123', '3103': '001250' });
    expect(gs1.product).toMatchObject({ matchedBy: 'none', barcode: gs1.barcodes[0].text });

    const blank = recs.get('blank.png')!;
    expect(blank.barcodes).toEqual([]);
    expect(blank.product).toBeNull();
  });

  it('--barcode-formats restricts what is reported', async () => {
    const out = path.join(dir, 'qr.jsonl');
    const res = await runCli(['scan', path.join(images, 'several.png'), '--barcodes-only', '--barcode-formats', 'QR_CODE', '--out', out, '--manifest', path.join(dir, 'm2.jsonl')]);
    expect(res.code, res.stderr).toBe(0);
    const [rec] = await readJsonl(out);
    expect(rec.barcodes.map((b) => [b.format, b.text])).toEqual([['QR_CODE', 'ZAK-QR-7']]);
  });

  it('a bad catalog is a usage error (exit 2) naming the file', async () => {
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'name,price\nA,1\n');
    const res = await runCli(['scan', images, '--barcodes-only', '--catalog', bad, '--out', path.join(dir, 'x.jsonl'), '--manifest', path.join(dir, 'm3.jsonl')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`Expected a barcode column (barcode, gtin, ean, upc, code, bar_code, bar code) in the header of ${bad}`);
  });
});
