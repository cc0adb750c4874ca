/**
 * The auto engine with the real PP-OCR models and the real Tesseract engine: confidence fallback and Bengali routing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineInit, PageImage } from '../../src/core/types.js';
import { AutoEngine } from '../../src/ocr/auto.js';
import { PaddleEngine } from '../../src/ocr/paddle/engine.js';
import { TesseractEngine } from '../../src/ocr/tesseract/engine.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BENGALI = path.resolve(repoRoot, '../shared/datasets/bengali-synthetic-lines');

async function render(lines: string[]): Promise<PageImage> {
  const texts = lines.map((t, i) => `<text x="24" y="${64 * (i + 1)}" font-family="DejaVu Sans" font-size="34">${t}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${64 * lines.length + 34}"><rect width="100%" height="100%" fill="white"/>${texts}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: 'white' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, page: null };
}

async function load(file: string): Promise<PageImage> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3, page: null };
}

function makeAuto(): AutoEngine {
  return new AutoEngine(() => new TesseractEngine(), { paddle: new PaddleEngine({ latinOnly: false, workers: 1 }) });
}

const init = (langs: EngineInit['langs'], minLineConfidence = 0.8): EngineInit => ({
  langs, concurrency: 1, device: 'cpu', threads: 1, settings: { minLineConfidence },
});

const LINES = ['ZAKPOS SUPER SHOP', 'Basmati Rice 5kg 450.00', 'TOTAL 450.00'];

describe('AutoEngine (PP-OCR + Tesseract)', () => {
  let auto: AutoEngine;
  beforeAll(async () => {
    auto = makeAuto();
    await auto.init(init(['eng']));
  });
  afterAll(() => auto?.dispose());

  it('reads clean print with PP-OCR alone and names the engine per line', async () => {
    const res = await auto.recognize(await render(LINES), { langs: ['eng'] });
    expect(res.lines.map((l) => l.text)).toEqual(LINES);
    expect(res.lines.every((l) => l.engine === 'paddle')).toBe(true);
    expect(res.timingsMs).toMatchObject({ rereadLines: 0, replacedLines: 0 });
  });

  it('reports the models of both engines and the real device', async () => {
    const again = makeAuto();
    try {
      const info = await again.init(init(['eng']));
      expect(info).toMatchObject({ name: 'auto', device: 'cpu' });
      // precision auto on the CPU: the manifest's CPU set (models/manifest.json cpuDefault: folded).
      expect(info.models).toEqual(['ch_PP-OCRv4_det_folded', 'ch_ppocr_mobile_v2.0_cls_folded', 'ch_PP-OCRv4_rec_folded', expect.stringMatching(/^tesseract-eng/)]);
    } finally {
      await again.dispose();
    }
  });

  it('re-reads every line below --min-line-confidence with Tesseract and keeps the better reading', async () => {
    const strict = makeAuto();
    try {
      await strict.init(init(['eng'], 1));
      const res = await strict.recognize(await render(LINES), { langs: ['eng'] });
      expect(res.timingsMs?.rereadLines).toBe(res.lines.length);
      expect(res.lines.map((l) => l.text)).toEqual(LINES);
      for (const l of res.lines) expect(['paddle', 'tesseract', 'paddle+tesseract', 'tesseract+paddle']).toContain(l.engine);
    } finally {
      await strict.dispose();
    }
  });
});

describe.skipIf(!existsSync(BENGALI))('AutoEngine --lang ben', () => {
  let auto: AutoEngine;
  beforeAll(async () => {
    auto = makeAuto();
    await auto.init(init(['ben']));
  });
  afterAll(() => auto?.dispose());

  it('finds the line with PP-OCR and reads it with Tesseract ben', async () => {
    const item = JSON.parse(readFileSync(path.join(BENGALI, 'manifest.jsonl'), 'utf8').split('\n')[1]) as { image: string; text: string };
    const res = await auto.recognize(await load(path.join(BENGALI, item.image)), { langs: ['ben'] });
    expect(res.lines.map((l) => l.text)).toEqual([item.text]);
    expect(res.lines[0].engine).toBe('tesseract');
    expect(res.timingsMs).toMatchObject({ cls: 0, rec: 0 });
  });
});

const UW3 = path.resolve(repoRoot, '../shared/datasets/uw3-printed-lines');

/** Edit distance, for "garbled" (over half the reference wrong), as the acceptance check counts it. */
function lev(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

async function turned(page: PageImage): Promise<PageImage> {
  const { data, info } = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: page.channels } })
    .rotate(180).raw().toBuffer({ resolveWithObject: true });
  return { ...page, data, width: info.width, height: info.height };
}

describe('AutoEngine: a single line, upright and turned by 180°', () => {
  let auto: AutoEngine;
  beforeAll(async () => {
    auto = makeAuto();
    await auto.init(init(['eng']));
  });
  afterAll(() => auto?.dispose());

  const rendered = ['Categories and Subject Descriptors', 'General Terms: Algorithms', 'Additional Key Words and Phrases'];
  it.each(rendered)('%j reads the same both ways up', async (text) => {
    const page = await render([text]);
    for (const p of [page, await turned(page)]) {
      const res = await auto.recognize(p, { langs: ['eng'], layout: 'line' });
      const got = res.lines.map((l) => l.text).join(' ');
      expect(lev(got, text)).toBeLessThanOrEqual(1);
    }
  });

  it.skipIf(!existsSync(UW3))('never returns an upside-down reading of a UW-III line (first 12, both ways up)', async () => {
    const items = readFileSync(path.join(UW3, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 12)
      .map((l) => JSON.parse(l) as { image: string; text: string });
    for (const it of items) {
      const page = await load(path.join(UW3, it.image));
      for (const p of [page, await turned(page)]) {
        const res = await auto.recognize(p, { langs: ['eng'] });
        const got = res.lines.map((l) => l.text).join(' ');
        expect(lev(got, it.text), `${it.image}: ${got}`).toBeLessThanOrEqual(0.5 * it.text.length);
      }
    }
  });
});
