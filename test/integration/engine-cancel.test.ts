/**
 * A file that runs past limits.timeoutMs must not keep its OCR worker: the engines stop the read when the per-file
 * signal aborts (the worker is terminated and replaced) and the next page is read by a fresh worker.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { PageImage } from '../../src/core/types.js';
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

describe('TesseractEngine cancellation', () => {
  const engine = new TesseractEngine();
  afterAll(() => engine.dispose());

  it('an aborted read settles at once, and the next page gets a fresh worker', async () => {
    await engine.init({ langs: ['eng'], concurrency: 1, settings: {}, device: 'cpu' } as never);
    const big = await renderedPage(LONG_RECEIPT, 28);
    const ac = new AbortController();
    const t0 = performance.now();
    const slow = engine.recognize(big, { langs: ['eng'], layout: 'page', signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const outcome = await Promise.race([slow.then(() => 'finished', (e: Error) => e.message), new Promise((r) => setTimeout(() => r('pending'), 5000))]);
    expect(outcome).toBe('Tesseract read cancelled');
    expect(performance.now() - t0).toBeLessThan(4000); // reading the whole page takes far longer
    // With concurrency 1 this page would wait for the stuck worker if it had not been replaced.
    const res = await engine.recognize(await renderedPage(['Total Tk 125.00']), { langs: ['eng'], layout: 'line' });
    expect(res.lines.map((l) => l.text).join(' ')).toContain('125.00');
  }, 60_000);
});

describe('PaddleEngine cancellation', () => {
  const engine = new PaddleEngine({ latinOnly: true, workers: 1 });
  afterAll(() => engine.dispose());

  it('an aborted page terminates its worker thread; the next page gets a respawned one', async () => {
    await engine.init({ langs: ['eng'], concurrency: 1, settings: {}, device: 'cpu' } as never);
    const big = await renderedPage(LONG_RECEIPT, 28);
    const ac = new AbortController();
    const t0 = performance.now();
    const slow = engine.recognize(big, { langs: ['eng'], layout: 'page', signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const outcome = await Promise.race([slow.then(() => 'finished', (e: Error) => e.message), new Promise((r) => setTimeout(() => r('pending'), 5000))]);
    expect(outcome).toMatch(/PP-OCR worker stopped/);
    expect(performance.now() - t0).toBeLessThan(4000);
    // A page queued behind a cancelled one leaves the queue without being read.
    const queued = new AbortController();
    queued.abort();
    await expect(engine.recognize(big, { langs: ['eng'], signal: queued.signal })).rejects.toThrow(/cancelled/);
    const res = await engine.recognize(await renderedPage(['Total Tk 125.00']), { langs: ['eng'] });
    expect(res.lines.map((l) => l.text).join(' ')).toContain('125.00');
  }, 60_000);
});
