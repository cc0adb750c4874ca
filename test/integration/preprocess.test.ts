/**
 * Preprocessing on real receipts (SROIE scans, ../shared/datasets): orientation and skew come back right,
 * the processed → original map really points at the same pixels, quality flags what was done to a page,
 * switches turn steps off, and multi-page CCITT G4 TIFFs decode page by page.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../../src/config/defaults.js';
import type { PageImage } from '../../src/core/types.js';
import { decodeInput } from '../../src/decode/index.js';
import { applyPoint } from '../../src/core/geometry.js';
import { binarizeForTesseract } from '../../src/preprocess/binarize.js';
import { preprocessPage, rotatedSize } from '../../src/preprocess/page.js';
// @ts-expect-error plain ESM generator without type declarations
import { degrade } from '../../fixtures/degrade.mjs';
// @ts-expect-error plain ESM helper without type declarations
import { joinTiffPages } from '../../fixtures/tiff.mjs';
import { readJsonl, repoRoot, runCli, tempDir } from './scan-helpers.js';

const sroie = path.resolve(repoRoot, '../shared/datasets/sroie-receipts');
const bengali = path.resolve(repoRoot, '../shared/datasets/bengali-synthetic-lines');
const opts = defaults.preprocess;

async function pageOf(bytes: Buffer): Promise<PageImage> {
  const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3, page: null };
}

/** Grey level of a page at a (fractional) point, nearest pixel; null outside. */
function greyAt(p: PageImage, x: number, y: number): number | null {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  if (xi < 0 || yi < 0 || xi >= p.width || yi >= p.height) return null;
  const i = (yi * p.width + xi) * p.channels;
  return p.channels === 1 ? p.data[i] : (p.data[i] + p.data[i + 1] + p.data[i + 2]) / 3;
}

/**
 * Mean grey difference between processed pixels and the original pixels `toOriginal` says they came from,
 * over the processed page's darkest (ink) pixels: small only if the map is right.
 */
function mapError(processed: PageImage, original: PageImage, m: Parameters<typeof applyPoint>[0]): number {
  let sum = 0;
  let n = 0;
  for (let y = 2; y < processed.height - 2; y += 3) {
    for (let x = 2; x < processed.width - 2; x += 3) {
      const v = greyAt(processed, x + 0.5, y + 0.5)!;
      if (v > 100) continue; // ink only: white paper would match anywhere
      const [ox, oy] = applyPoint(m, x + 0.5, y + 0.5);
      const o = greyAt(original, ox, oy);
      if (o === null) continue;
      sum += Math.abs(v - o);
      n++;
    }
  }
  return n > 50 ? sum / n : Infinity;
}

// Receipts whose upside-down reading is a confident call (mixed-case print) and one all-caps dot-matrix one.
const IDS = ['003', '042'];
const sources = new Map<string, Buffer>();

beforeAll(async () => {
  for (const id of IDS) sources.set(id, await readFile(path.join(sroie, 'img', `${id}.jpg`)));
});

describe('orientation and deskew on SROIE receipts', () => {
  it.each<[string, string, number, number]>([
    // variant (fixtures/degrade.mjs), receipt, expected rotation (clockwise, undone), expected skew
    ['r90', '003', 270, 0],
    ['r270', '003', 90, 0],
    ['r180', '003', 180, 0],
    ['r90', '042', 270, 0],
    ['r180', '042', 180, 0],
    ['skew+7', '042', 0, -7],
    ['skew-15', '003', 0, 15],
  ])('%s of %s', async (variant, id, rotation, skew) => {
    const input = await pageOf(await degrade(sources.get(id), variant));
    const r = await preprocessPage(input, opts);
    expect(r.quality?.rotation).toBe(rotation);
    expect(Math.abs((r.quality?.skewDeg ?? 99) - skew)).toBeLessThanOrEqual(0.5);
    if (rotation) expect(r.steps).toContain(`orientation:${rotation}`);
    if (skew) expect(r.steps.some((s) => s.startsWith('deskew:'))).toBe(true);
    // The corrected page is upright: portrait like the source receipt.
    expect(r.page.height).toBeGreaterThan(r.page.width);
    expect(mapError(r.page, input, r.toOriginal)).toBeLessThan(45);
  });

  it('a receipt tilted by 15° is deskewed, not called upside down (the 0/180 call is made on a level copy)', async () => {
    const tilted = await sharp(await readFile(path.join(sroie, 'img', '058.jpg'))).rotate(-15, { background: '#ffffff' }).jpeg().toBuffer();
    const r = await preprocessPage(await pageOf(tilted), opts);
    expect(r.quality?.rotation).toBe(0);
    expect(Math.abs((r.quality?.skewDeg ?? 0) + 15)).toBeLessThanOrEqual(1);
  });

  it('the map is wrong-detectable: a shifted map does not match', async () => {
    const input = await pageOf(await degrade(sources.get('003'), 'skew+7'));
    const r = await preprocessPage(input, opts);
    const m = [...r.toOriginal] as typeof r.toOriginal;
    m[2] += 6;
    expect(mapError(r.page, input, m)).toBeGreaterThan(mapError(r.page, input, r.toOriginal) * 1.5);
  });

  it('an upright clean receipt is left alone apart from cropping/upscaling', async () => {
    const r = await preprocessPage(await pageOf(sources.get('042')!), opts);
    expect(r.steps.filter((s) => /^(orientation|deskew|contrast)/.test(s))).toEqual([]);
    expect(r.quality?.rotation).toBe(0);
  });
});

describe('quality', () => {
  it.each<[string, string]>([
    ['blur', 'blurry'],
    ['dark', 'too_dark'],
    ['glare', 'glare'],
    ['noise', 'noisy'],
    ['shadow', 'uneven_light'],
  ])('%s pages get the %s issue and score under 0.7', async (variant, issue) => {
    for (const id of IDS) {
      const r = await preprocessPage(await pageOf(await degrade(sources.get(id), variant)), opts);
      expect(r.quality?.issues).toContain(issue);
      expect(r.quality!.score).toBeLessThan(0.7);
    }
  });

  it.each(['clean', 'clutter', 'jpeg'])('%s pages score over 0.7 with no exposure or blur issue', async (variant) => {
    for (const id of IDS) {
      const r = await preprocessPage(await pageOf(await degrade(sources.get(id), variant)), opts);
      expect(r.quality!.score).toBeGreaterThan(0.7);
      expect(r.quality!.issues.filter((i) => !['skewed', 'rotated'].includes(i))).toEqual([]);
    }
  });

  it('a cluttered background is cropped away', async () => {
    const input = await pageOf(await degrade(sources.get('042'), 'clutter'));
    const r = await preprocessPage(input, opts);
    expect(r.steps).toContain('crop');
    expect(r.page.width * r.page.height).toBeLessThan(0.5 * input.width * input.height);
  });
});

describe('rotatedSize', () => {
  it.each<[number, number, number]>([
    [571, 982, 7],
    [461, 933, -15.3],
    [2481, 3508, 90],
    [100, 37, -173.1],
    [33, 1000, 20],
  ])('%s×%s turned %s° matches sharp', async (w, h, deg) => {
    const { info } = await sharp({ create: { width: w, height: h, channels: 3, background: '#fff' } }).rotate(deg, { background: '#fff' }).raw().toBuffer({ resolveWithObject: true });
    expect(rotatedSize(w, h, deg)).toEqual([info.width, info.height]);
  });
});

describe('zakocr scan --min-quality', () => {
  it('sends a blurred photo to needs_review with its issues, keeps a clean one, and records steps and quality', async () => {
    const dir = await tempDir('minq');
    await writeFile(path.join(dir, 'a-blur.jpg'), await degrade(sources.get('042'), 'blur'));
    await writeFile(path.join(dir, 'b-clean.jpg'), await degrade(sources.get('042'), 'r90'));
    const out = path.join(dir, 'r.jsonl');
    await runCli(['scan', dir, '--engine', 'none', '--no-barcodes', '--min-quality', '0.6', '--out', out, '--quiet']);
    const [blur, clean] = await readJsonl(out);
    expect(blur.status).toBe('needs_review');
    expect(blur.review.find((r) => r.startsWith('low_quality:'))).toMatch(/^low_quality:0\.\d\d:.*blurry/);
    expect(clean.review.some((r) => r.startsWith('low_quality'))).toBe(false);
    expect(clean.quality).toMatchObject({ rotation: 270 });
    expect(clean.preprocess).toContain('orientation:270');
  });
});

describe('switches', () => {
  it('enabled: false changes nothing but still measures quality', async () => {
    const input = await pageOf(await degrade(sources.get('003'), 'r90'));
    const r = await preprocessPage(input, { ...opts, enabled: false });
    expect(r.page).toBe(input);
    expect(r.steps).toEqual([]);
    expect(r.toOriginal).toEqual([1, 0, 0, 0, 1, 0]);
    expect(r.quality?.rotation).toBe(270);
  });

  it('enabled: false and quality: false skips everything', async () => {
    const input = await pageOf(sources.get('003')!);
    expect(await preprocessPage(input, { ...opts, enabled: false, quality: false })).toEqual({ page: input, quality: null, steps: [], toOriginal: [1, 0, 0, 0, 1, 0] });
  });

  it('each step can be switched off on its own', async () => {
    const input = await pageOf(await degrade(sources.get('003'), 'skew+7'));
    const r = await preprocessPage(input, { ...opts, deskew: false, crop: false, upscale: false });
    expect(r.steps).toEqual([]);
    const o = await preprocessPage(await pageOf(await degrade(sources.get('003'), 'r90')), { ...opts, orientation: false, upscale: false });
    expect(o.steps.some((s) => s.startsWith('orientation'))).toBe(false);
  });

  it('a page with a PDF text layer is not transformed', async () => {
    const input = { ...(await pageOf(await degrade(sources.get('003'), 'skew+7'))), textLayer: [] };
    const r = await preprocessPage(input, opts);
    expect(r.page).toBe(input);
    expect(r.steps).toEqual([]);
  });
});

describe('binarizeForTesseract', () => {
  it('turns a dark, uneven receipt photo into clean black-on-white', async () => {
    const page = await pageOf(await degrade(sources.get('042'), 'dark'));
    const b = binarizeForTesseract(page, 16);
    expect(b.channels).toBe(1);
    let ink = 0;
    let other = 0;
    for (const v of b.data) {
      if (v === 0) ink++;
      else if (v !== 255) other++;
    }
    expect(other).toBe(0);
    const share = ink / b.data.length;
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.2);
  });
});

describe('multi-page CCITT G4 TIFF (decoded by sharp, page by page)', () => {
  it('gives one page per TIFF page, and one record per page through zakocr scan', async () => {
    const names = (await readFile(path.join(bengali, 'manifest.jsonl'), 'utf8')).trim().split('\n').slice(0, 3).map((l) => JSON.parse(l).image as string);
    const dir = await tempDir('tiff');
    const file = path.join(dir, 'three-pages.tif');
    // The dataset's own G4 pages, joined without re-encoding (sharp cannot write G4).
    await writeFile(file, joinTiffPages(await Promise.all(names.map((n) => readFile(path.join(bengali, n))))));
    const bytes = await readFile(file);
    expect((await sharp(bytes).metadata()).pages).toBe(3);
    const decoded = await decodeInput(bytes, { path: file, absPath: file, size: bytes.length }, { ...defaults.limits, pdfDpi: 200 });
    const seen: Array<[number | null, number, number]> = [];
    for await (const p of decoded.pages) seen.push([p.page, p.width, p.height]);
    expect(seen).toEqual([
      [0, 3600, 4800],
      [1, 3600, 4800],
      [2, 3600, 4800],
    ]);
    const out = path.join(dir, 'r.jsonl');
    const res = await runCli(['scan', file, '--engine', 'none', '--no-barcodes', '--out', out, '--quiet']);
    const recs = await readJsonl(out);
    expect(recs.map((r) => r.page)).toEqual([0, 1, 2]);
    expect(new Set(recs.map((r) => r.sha256)).size).toBe(1);
    expect(recs.every((r) => r.quality !== null)).toBe(true);
    expect(res.code === 0 || res.code === 1).toBe(true);
  });
});
