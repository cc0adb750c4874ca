/**
 * Pages of one multi-page file share the run's `--concurrency` slots: a 6-page TIFF scanned with -c 3 has 3 pages in
 * the engine at once, and its records still come out in page order (records of the other files in input order).
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinTiffPages } from '../../fixtures/tiff.mjs';
import { loadConfig } from '../../src/config/load.js';
import type { ZakConfig } from '../../src/config/defaults.js';
import { runScan } from '../../src/pipeline/run-scan.js';
import { CountingEngine } from '../fakes/engines/counting.js';
import { readJsonl, tempDir } from './scan-helpers.js';

const PAGES = 6;
let dir: string;

/** A grey page whose height names it (the counting engine reads back `page WxH`). */
function page(height: number): Promise<Buffer> {
  return sharp({ create: { width: 300, height, channels: 3, background: { r: 200, g: 200, b: 200 } } }).greyscale().tiff({ compression: 'lzw' }).toBuffer();
}

beforeAll(async () => {
  dir = await tempDir('pages');
  const heights = Array.from({ length: PAGES }, (_, i) => 200 + 10 * i);
  await writeFile(path.join(dir, 'a-multi.tif'), joinTiffPages(await Promise.all(heights.map(page))));
  await writeFile(path.join(dir, 'b-single.png'), await sharp({ create: { width: 300, height: 120, channels: 3, background: { r: 200, g: 200, b: 200 } } }).png().toBuffer());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scan(concurrency: number) {
  const engine = new CountingEngine(`pages-${concurrency}`, 150);
  const out = path.join(dir, `c${concurrency}`, 'r.jsonl');
  const { config } = await loadConfig({ cwd: dir, env: {}, flags: { out: [out], concurrency, engine: 'none' } });
  const t0 = performance.now();
  const result = await runScan({ inputs: [dir], config: config as ZakConfig, cwd: dir, deps: { engine, barcodeReader: null, catalog: null, cache: null }, onEvent: () => {} });
  return { engine, result, records: await readJsonl(out), ms: performance.now() - t0 };
}

describe('pages in parallel within --concurrency', () => {
  it('runs up to -c pages of one file at once and writes them in page order', async () => {
    const { engine, records } = await scan(3);
    expect(engine.maxInFlight).toBe(3);
    expect(records.map((r) => [r.file, r.page])).toEqual([...Array.from({ length: PAGES }, (_, i) => ['a-multi.tif', i]), ['b-single.png', null]]);
    expect(records.slice(0, PAGES).map((r) => r.text)).toEqual(Array.from({ length: PAGES }, (_, i) => `page 300x${200 + 10 * i}`));
  });

  it('never exceeds -c pages in the engine, across files', async () => {
    const { engine, records } = await scan(1);
    expect(engine.maxInFlight).toBe(1);
    expect(records).toHaveLength(PAGES + 1);
  });
});
