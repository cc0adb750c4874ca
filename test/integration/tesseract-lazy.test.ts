/**
 * The auto engine's fallback (`TesseractEngine({ startOnInit: false })`) starts no tesseract.js worker at init
 * (memory and start-up of runs that never re-read a line) and still reads on first use.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PageImage } from '../../src/core/types.js';
import { TesseractEngine } from '../../src/ocr/tesseract/engine.js';
import { renderText } from '../../fixtures/render.mjs';

const workers = (e: TesseractEngine): number =>
  [...(e as unknown as { pools: Map<string, { all: unknown[] }> }).pools.values()].reduce((n, p) => n + p.all.length, 0);

describe('TesseractEngine startOnInit', () => {
  it('starts one worker at init by default, none when told not to; the lazy one reads on first use', async () => {
    const init = { langs: ['eng'], concurrency: 1, settings: {}, device: 'cpu' } as never;
    const eager = new TesseractEngine();
    const lazy = new TesseractEngine({ startOnInit: false });
    try {
      await eager.init(init);
      await lazy.init(init);
      expect(workers(eager)).toBe(1);
      expect(workers(lazy)).toBe(0);
      const png = (await renderText(['Total Tk 125.00'], { format: 'png', fontSize: 22 })) as Buffer;
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      const page: PageImage = { data, width: info.width, height: info.height, channels: 1, page: null };
      const res = await lazy.recognize(page, { langs: ['eng'] });
      expect(res.lines.map((l) => l.text).join(' ')).toMatch(/125\.00/);
      expect(workers(lazy)).toBe(1);
    } finally {
      await Promise.all([eager.dispose(), lazy.dispose()]);
    }
  }, 60_000);
});
