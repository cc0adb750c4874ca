import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaults } from '../config/defaults.js';
import { ConfigError } from '../core/errors.js';
import type { RecordBarcode } from '../core/types.js';
import { ChainCatalog, CsvProductCatalog, catalogKeys, createCatalog, parsePriceCell } from './catalog.js';
import { enrichBarcodes } from './index.js';
import { parseLayouts } from './variable-measure.js';

const LAYOUTS = parseLayouts(defaults.barcode.variableMeasure.layouts);
const dir = mkdtempSync(path.join(os.tmpdir(), 'zk-catalog-'));
const csv = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};
const bc = (format: RecordBarcode['format'], text: string) => enrichBarcodes([{ format, text, box: null }]);

describe('parsePriceCell', () => {
  it.each([
    ['450', 450], ['450.00', 450], ['1,250.50', 1250.5], ['৳ ৪৫০', 450], ['Tk 450', 450], ['Tk. 99.5', 99.5],
    ['450 টাকা', 450], ['', null], ['abc', NaN], ['-5', NaN],
  ])('%j → %s', (cell, n) => {
    expect(parsePriceCell(cell)).toBe(n);
  });
});

describe('catalogKeys', () => {
  it.each([
    ['036000291452', ['gtin:00036000291452', 'text:036000291452']],
    ['2012345000001', ['gtin:02012345000001', 'vm:2012345', 'text:2012345000001']],
    ['SKU-42', ['text:SKU-42']],
  ])('%s', (text, keys) => {
    expect(catalogKeys(text, LAYOUTS)).toEqual(keys);
  });
});

describe('CsvProductCatalog', () => {
  const file = csv('products.csv', [
    '\uFEFFBarcode,Name,Price,Currency,Unit,SKU',
    '0036000291452,Tomato paste,120,BDT,pcs,TP-1',
    '8941100500019,Basmati Rice 5kg,"1,250.00",BDT,bag,',
    '01234565,Chewing gum,10,BDT,pcs,',
    '2012345000001,Beef (per kg),780,BDT,kg,BEEF',
    'https://shop.example/p/9,QR product,,,,',
    ',No barcode row,5,BDT,pcs,',
  ].join('\n'));

  it('matches every spelling of a GTIN, UPC-E expansions, weighed items and exact texts', async () => {
    const cat = await CsvProductCatalog.load(file, LAYOUTS);
    expect(cat.size).toBe(5);
    const name = async (b: RecordBarcode[]) => (await cat.lookup(b, {}, ''))?.name ?? null;
    expect(await name(bc('UPC_A', '036000291452'))).toBe('Tomato paste');
    expect(await name(bc('EAN_13', '8941100500019'))).toBe('Basmati Rice 5kg');
    expect(await name(bc('UPC_A', '012345000065'))).toBe('Chewing gum');
    expect(await name(bc('UPC_E', '01234565'))).toBe('Chewing gum');
    expect(await name(bc('EAN_13', '2012345004504'))).toBe('Beef (per kg)');
    expect(await name(bc('QR_CODE', 'https://shop.example/p/9'))).toBe('QR product');
  });

  it('returns the product fields, or matchedBy none, or null', async () => {
    const cat = await CsvProductCatalog.load(file, LAYOUTS);
    expect(await cat.lookup(bc('EAN_13', '8941100500019'), {}, '')).toEqual({
      id: '8941100500019', barcode: '8941100500019', matchedBy: 'barcode', created: false,
      name: 'Basmati Rice 5kg', price: 1250, currency: 'BDT', unit: 'bag',
    });
    expect((await cat.lookup(bc('UPC_A', '036000291452'), {}, ''))?.id).toBe('TP-1');
    expect(await cat.lookup(bc('EAN_13', '4006381333931'), {}, '')).toEqual({
      id: null, barcode: '4006381333931', matchedBy: 'none', created: false, name: null,
    });
    // A code failing its check digit is never looked up.
    expect(await cat.lookup(bc('EAN_13', '8941100500018'), {}, '')).toBeNull();
    expect(await cat.lookup([], {}, '')).toBeNull();
  });

  it('reads semicolon-separated files and warns about duplicates', async () => {
    const warnings: string[] = [];
    const log = { info() {}, debug() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const f = csv('semi.csv', 'ean;name\n4006381333931;A\n04006381333931;B\n');
    const cat = await CsvProductCatalog.load(f, LAYOUTS, log);
    expect((await cat.lookup(bc('EAN_13', '4006381333931'), {}, ''))?.name).toBe('A');
    expect(warnings.join()).toContain('1 duplicate barcode(s), the first row wins: 04006381333931 (also 4006381333931)');
  });

  it.each([
    ['nocol.csv', 'name,price\nA,1\n', 'Expected a barcode column (barcode, gtin, ean, upc, code, bar_code, bar code) in the header of'],
    ['price.csv', 'barcode,price\n4006381333931,cheap\n', 'Expected a number for price on line 2 of'],
    ['empty.csv', '', 'is empty (expected a header row with a barcode column)'],
  ])('%s → ConfigError', async (name, text, message) => {
    const f = csv(name, text);
    await expect(CsvProductCatalog.load(f, LAYOUTS)).rejects.toThrow(ConfigError);
    await expect(CsvProductCatalog.load(f, LAYOUTS)).rejects.toThrow(message);
  });

  it('a missing file is a ConfigError naming it', async () => {
    await expect(CsvProductCatalog.load(path.join(dir, 'nope.csv'), LAYOUTS)).rejects.toThrow(`Cannot read the catalog CSV ${path.join(dir, 'nope.csv')}`);
  });
});

describe('createCatalog', () => {
  it('is null without --catalog or --pg', async () => {
    expect(await createCatalog({ ...defaults })).toBeNull();
  });

  it('loads the CSV', async () => {
    const f = csv('one.csv', 'barcode,name\n4006381333931,A\n');
    const cat = await createCatalog({ ...defaults, catalog: f });
    expect(cat?.name).toBe('csv');
  });

  it('asks the PostgreSQL products table with --pg, after the CSV when both are given', async () => {
    // The pool connects lazily: nothing is contacted until a lookup.
    const pg = { ...defaults.pg, url: 'postgres://zakocr@127.0.0.1:1/none' };
    const only = await createCatalog({ ...defaults, pg });
    expect(only?.name).toBe('postgres-products');
    await only?.close();
    const f = csv('two.csv', 'barcode,name\n4006381333931,A\n');
    const both = await createCatalog({ ...defaults, catalog: f, pg });
    expect(both?.name).toBe('csv+postgres-products');
    // A CSV match answers without touching PostgreSQL.
    expect((await both!.lookup(bc('EAN_13', '4006381333931'), {}, ''))?.name).toBe('A');
    await both?.close();
  });

  it('warns that --create-products needs PostgreSQL', async () => {
    const warnings: string[] = [];
    const log = { info() {}, debug() {}, error() {}, warn: (m: string) => warnings.push(m) };
    expect(await createCatalog({ ...defaults, createProducts: true }, log)).toBeNull();
    expect(warnings).toEqual(['--create-products needs PostgreSQL (--pg or DATABASE_URL); unknown products are reported, not created']);
  });
});

describe('ChainCatalog', () => {
  it('returns the first match, else the last answer', async () => {
    const none = { name: 'a', lookup: async () => ({ id: null, barcode: 'x', matchedBy: 'none' as const, created: false }), close: async () => {} };
    const made = { name: 'b', lookup: async () => ({ id: '7', barcode: 'x', matchedBy: 'barcode' as const, created: true }), close: async () => {} };
    expect(await new ChainCatalog([none, made]).lookup([], {}, '')).toMatchObject({ id: '7', created: true });
    expect(await new ChainCatalog([made, none]).lookup([], {}, '')).toMatchObject({ id: '7' });
    expect(await new ChainCatalog([none, none]).lookup([], {}, '')).toMatchObject({ matchedBy: 'none' });
  });
});
