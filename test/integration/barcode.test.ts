/**
 * The barcode reader on generated codes (fixtures/barcodes.mjs, bwip-js): every format, several per image,
 * rotated, small, blurred (retry passes), GS1 content, a weighed-item EAN-13 and wrong check digits — through
 * the real zxing-wasm decoder, decoded the way the pipeline does it (sharp → raw RGB page → reader → enrich).
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../../src/config/defaults.js';
import type { BarcodeFormat, PageImage, RecordBarcode } from '../../src/core/types.js';
import { createBarcodeReader, createInProcessReader, enrichBarcodes } from '../../src/barcode/index.js';
import type { CascadeBarcodeReader } from '../../src/barcode/reader.js';
import { zxingWasmPath } from '../../src/barcode/zxing-wasm.js';
import { tempDir } from './scan-helpers.js';
// @ts-expect-error plain ESM generator without type declarations
import { generateBarcodeFixtures } from '../../fixtures/barcodes.mjs';

interface Expected {
  format: BarcodeFormat;
  text: string;
  valid: boolean | null;
  gtin?: string;
  gs1?: Record<string, string>;
  variableMeasure?: RecordBarcode['variableMeasure'];
}
interface Fixture {
  file: string;
  name: string;
  codes: Expected[];
}

let fixtures: Fixture[];
let reader: CascadeBarcodeReader;
const settings = { ...defaults.barcode, formats: [] as BarcodeFormat[] };

async function load(file: string): Promise<PageImage> {
  const { data, info } = await sharp(file).flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3, page: null };
}

const fixture = (name: string) => fixtures.find((f) => f.name === name)!;

beforeAll(async () => {
  fixtures = (await generateBarcodeFixtures(await tempDir('barcodes'))) as Fixture[];
  // Loading must never touch the network: zxing-wasm's default locateFile points at a CDN.
  const realFetch = globalThis.fetch;
  globalThis.fetch = (() => {
    throw new Error('network access while loading the barcode decoder');
  }) as typeof fetch;
  try {
    reader = await createInProcessReader('zxing-wasm', settings);
  } finally {
    globalThis.fetch = realFetch;
  }
});

afterAll(async () => {
  await reader?.dispose();
});

describe('zxing-wasm decoder loading', () => {
  it('reads the .wasm from node_modules', () => {
    const p = zxingWasmPath();
    expect(p).toContain(`${path.sep}node_modules${path.sep}zxing-wasm${path.sep}`);
    expect(statSync(p).size).toBeGreaterThan(100_000);
    expect(reader.name).toMatch(/^zxing-wasm \d+\.\d+\.\d+ \(zxing-cpp [0-9a-f]{7}\)$/);
  });
});

describe('generated codes', () => {
  const names = [
    'ean13.png', 'ean8.png', 'upca.png', 'upce.png', 'code128.png', 'code39.png', 'itf14.png', 'qr.png', 'qr-bengali.png',
    'datamatrix.png', 'several.png', 'rotated90.png', 'small.png', 'blurred.png', 'gs1-128.png', 'gs1-datamatrix.png',
    'gs1-qr.png', 'gs1-digital-link.png', 'weighed-ean13.png', 'bad-check-ean13.png', 'bad-check-gs1-128.png', 'blank.png',
  ];

  it.each(names)('%s', async (name) => {
    const f = fixture(name);
    const page = await load(f.file);
    const got = enrichBarcodes(await reader.read(page, {}));
    expect(got.map((b) => [b.format, b.text]).sort()).toEqual(f.codes.map((c) => [c.format, c.text]).sort());
    for (const c of f.codes) {
      const b = got.find((g) => g.format === c.format && g.text === c.text)!;
      expect(b.valid).toBe(c.valid);
      if (c.gtin !== undefined) expect(b.gtin).toBe(c.gtin);
      if (c.gs1 !== undefined) expect(b.gs1).toEqual(c.gs1);
      expect(b.variableMeasure ?? null).toEqual(c.variableMeasure ?? null);
      // Boxes are in original pixels and inside the page.
      const [x, y, w, h] = b.box!;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(page.width);
      expect(y + h).toBeLessThanOrEqual(page.height);
      expect(w).toBeGreaterThan(0);
    }
  });

  it('finds each of several codes where it is printed', async () => {
    const got = enrichBarcodes(await reader.read(await load(fixture('several.png').file), {}));
    const at = (text: string) => got.find((b) => b.text === text)!.box!;
    // Placed at (20,20), (420,20), (20,260), (620,260) with 36 px of bwip-js padding.
    expect(at('4006381333931')[0]).toBeLessThan(120);
    expect(at('ZAK-QR-7')[0]).toBeGreaterThan(400);
    expect(at('SHELF-0042')[1]).toBeGreaterThan(250);
    expect(at('73513537')[0]).toBeGreaterThan(600);
  });

  it('reads a blurred code only in the retry passes, and tries nothing more on a clean one', async () => {
    await reader.read(await load(fixture('blurred.png').file), {});
    expect(reader.lastTrace!.passes.length).toBeGreaterThan(1);
    expect(reader.lastTrace!.passes[0]).toBe('base');
    await reader.read(await load(fixture('ean13.png').file), {});
    expect(reader.lastTrace!.passes).toEqual(['base']);
  });

  it('without tryHarder the blurred code is missed (the retries are what read it)', async () => {
    const plain = await createInProcessReader('zxing-wasm', { ...settings, tryHarder: false });
    expect(await plain.read(await load(fixture('blurred.png').file), {})).toEqual([]);
    expect(plain.lastTrace!.passes).toEqual(['base']);
  });

  it('restricts formats (--barcode-formats)', async () => {
    const page = await load(fixture('several.png').file);
    expect((await reader.read(page, { formats: ['QR_CODE'] })).map((b) => b.text)).toEqual(['ZAK-QR-7']);
    const retail = await createInProcessReader('zxing-wasm', { ...settings, formats: ['EAN_13', 'EAN_8'] });
    expect((await retail.read(page, {})).map((b) => b.text).sort()).toEqual(['4006381333931', '73513537']);
    // UPC-A asked for as EAN-13 only: reported in its 13-digit EAN-13 spelling.
    const ean13 = await createInProcessReader('zxing-wasm', { ...settings, formats: ['EAN_13'] });
    expect((await ean13.read(await load(fixture('upca.png').file), {})).map((b) => [b.format, b.text])).toEqual([['EAN_13', '0036000291452']]);
  });

  it('stays within the time budget on a large page with no code', async () => {
    const big: PageImage = { data: Buffer.alloc(3000 * 2000 * 3, 200), width: 3000, height: 2000, channels: 3, page: null };
    const bounded = await createInProcessReader('zxing-wasm', { ...settings, timeBudgetMs: 400 });
    const t0 = performance.now();
    expect(await bounded.read(big, {})).toEqual([]);
    // One pass may finish after the budget; the retries stop there.
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(bounded.lastTrace!.passes[0]).toBe('base');
  });

  it('stops retrying when the file is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await reader.read(await load(fixture('blank.png').file), { signal: ac.signal });
    expect(reader.lastTrace!.passes).toEqual(['base']);
  });
});

describe('zxing-js decoder (barcode.decoder: zxing-js)', () => {
  it.each([
    ['ean13.png', 'EAN_13', '4006381333931'],
    ['upca.png', 'UPC_A', '036000291452'],
    ['qr.png', 'QR_CODE', 'https://zakpos.example/p/42'],
    ['code128.png', 'CODE_128', 'ZAK-POS-42'],
  ])('%s', async (name, format, text) => {
    const js = await createInProcessReader('zxing-js', settings);
    expect((await js.read(await load(fixture(name).file), {})).map((b) => [b.format, b.text])).toEqual([[format, text]]);
  });
});

describe('createBarcodeReader', () => {
  it('is null when barcodes are off', async () => {
    expect(await createBarcodeReader({ ...defaults.barcode, enabled: false })).toBeNull();
  });

  it('rejects a malformed variable-measure layout at start-up', async () => {
    await expect(createBarcodeReader({ ...defaults.barcode, variableMeasure: { layouts: ['2:FFIII'], priceDecimals: 2 } })).rejects.toThrow(
      'for barcode.variableMeasure.layouts',
    );
  });

  it('uses worker threads when running compiled, in-process from the sources', async () => {
    const r = await createBarcodeReader(defaults.barcode);
    try {
      const compiled = existsSync(new URL('../../src/barcode/worker.js', import.meta.url));
      expect(r!.name).toMatch(compiled ? /threads$/ : /^zxing-wasm /);
      expect(os.availableParallelism()).toBeGreaterThan(0);
    } finally {
      await r!.dispose();
    }
  });
});
