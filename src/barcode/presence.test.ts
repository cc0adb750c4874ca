import { describe, expect, it } from 'vitest';
import { MIN_BLOCK_ENERGY, linearCodePresence } from './presence.js';
import { rotate, type GrayImage } from './variants.js';

const img = (w: number, h: number, f: (x: number, y: number) => number): GrayImage => {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return { data, width: w, height: h };
};

// A 95-module EAN-like bar pattern (2 px per module) in the middle of a white page.
const pattern = Array.from({ length: 95 }, (_, i) => ((i * 7919) % 13 < 6 ? 1 : 0));
const barcode = img(400, 300, (x, y) => {
  const m = Math.floor((x - 105) / 2);
  return y > 90 && y < 210 && m >= 0 && m < 95 && pattern[m] ? 0 : 255;
});

describe('linearCodePresence', () => {
  it('sees a patch of parallel bars, also turned', () => {
    expect(linearCodePresence(barcode).likely).toBe(true);
    expect(linearCodePresence(rotate(barcode, 90)).likely).toBe(true);
    expect(linearCodePresence(rotate(barcode, 30)).likely).toBe(true);
  });

  it.each([
    ['a blank page', img(800, 600, () => 255)],
    ['ruled lines (one block thick each)', img(800, 600, (_x, y) => (y % 40 < 2 ? 0 : 255))],
    ['a grey gradient', img(800, 600, (x) => Math.floor(x / 4))],
    ['salt-and-pepper noise', img(400, 300, (x, y) => (((x * 73856093) ^ (y * 19349663)) % 7 === 0 ? 0 : 255))],
  ])('sees nothing in %s', (_name, page) => {
    expect(linearCodePresence(page).likely).toBe(false);
  });

  it('sees soft, low-contrast bars on a small page (a blurred phone photo), which the large-page threshold misses', () => {
    const soft = img(400, 300, (x, y) => {
      const m = Math.floor((x - 105) / 2);
      return y > 90 && y < 210 && m >= 0 && m < 95 && pattern[m] ? 200 : 230;
    });
    expect(linearCodePresence(soft).likely).toBe(true);
    expect(linearCodePresence(soft, MIN_BLOCK_ENERGY).likely).toBe(false);
  });

  it('downscales large pages before looking (bars stay visible)', () => {
    const big = img(2400, 1800, (x, y) => {
      const m = Math.floor((x - 630) / 12);
      return y > 540 && y < 1260 && m >= 0 && m < 95 && pattern[m] ? 0 : 255;
    });
    expect(linearCodePresence(big).likely).toBe(true);
  });
});
