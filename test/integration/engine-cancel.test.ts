/**
 * A file that runs past limits.timeoutMs must not keep its OCR worker: the engines stop the read when the per-file
 * signal aborts and the next page is read. Tesseract's worker is terminated and replaced; a PP-OCR worker stops at
 * its next model run (terminating it inside an onnxruntime run aborts the whole process) and takes the next page.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { OcrEngine, PageImage } from '../../src/core/types.js';
import { PaddleEngine } from '../../src/ocr/paddle/engine.js';
import { TesseractEngine } from '../../src/ocr/tesseract/engine.js';
// @ts-expect-error plain ESM generator without type declarations
import { renderText } from '../../fixtures/render.mjs';

async function renderedPage(lines: string[], fontSize = 22): Promise<PageImage> {
  const png = (await renderText(lines, { format: 'png', fontSize })) as Buffer;
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1, page: null };
}

const LONG_RECEIPT = Array.from({ length: 120 }, (_, i) => `Line ${i} of a long receipt Tk ${i * 7}.50 item code ${1000 + i}`);

/**
 * Starts reading a long page, aborts it after 200 ms and returns how the read ended (its error message, 'finished' or
 * 'pending') and how long that took; then checks the engine still reads the next page (concurrency 1: that page
 * would wait behind the stuck worker if it had not been replaced).
 */
async function abortLongRead(engine: OcrEngine): Promise<{ outcome: unknown; ms: number }> {
  await engine.init({ langs: ['eng'], concurrency: 1, settings: {}, device: 'cpu' } as never);
  const big = await renderedPage(LONG_RECEIPT, 28);
  const ac = new AbortController();
  const t0 = performance.now();
  const slow = engine.recognize(big, { langs: ['eng'], layout: 'page', signal: ac.signal });
  setTimeout(() => ac.abort(), 200);
  const outcome = await Promise.race([slow.then(() => 'finished', (e: Error) => e.message), new Promise((r) => setTimeout(() => r('pending'), 5000))]);
  const ms = performance.now() - t0;
  // A page whose signal is already aborted leaves the queue without being read.
  const queued = new AbortController();
  queued.abort();
  await expect(engine.recognize(big, { langs: ['eng'], signal: queued.signal })).rejects.toThrow(/cancelled/);
  const res = await engine.recognize(await renderedPage(['Total Tk 125.00']), { langs: ['eng'] });
  expect(res.lines.map((l) => l.text).join(' ')).toContain('125.00');
  return { outcome, ms };
}

describe('cancellation of a read past its time', () => {
  const engines: OcrEngine[] = [];
  afterAll(() => Promise.all(engines.map((e) => e.dispose())));

  it('Tesseract: the aborted read settles at once; its worker is terminated and a fresh one reads the next page', async () => {
    const engine = new TesseractEngine();
    engines.push(engine);
    const { outcome, ms } = await abortLongRead(engine);
    expect(outcome).toBe('Tesseract read cancelled');
    expect(ms).toBeLessThan(4000); // reading the whole page takes far longer
  }, 60_000);

  it('PP-OCR: the aborted page settles at once and stops its worker between model runs; the next page is read', async () => {
    const engine = new PaddleEngine({ latinOnly: true, workers: 1 });
    engines.push(engine);
    const { outcome, ms } = await abortLongRead(engine);
    expect(outcome).toMatch(/PP-OCR worker stopped/);
    expect(ms).toBeLessThan(4000);
  }, 60_000);
});
