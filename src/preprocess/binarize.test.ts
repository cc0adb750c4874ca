import { describe, expect, it } from 'vitest';
import { binarizeForTesseract, binarizeLocalDiff, hysteresis, otsuThreshold } from './binarize.js';
import type { Gray } from './gray.js';

function hist(entries: [number, number][]): number[] {
  const h = new Array(256).fill(0);
  for (const [v, n] of entries) h[v] += n;
  return h;
}

describe('otsuThreshold', () => {
  it.each<[string, number[], number]>([
    ['two clean classes', hist([[20, 100], [220, 900]]), 20],
    ['two spread classes', hist([[40, 50], [50, 50], [200, 400], [210, 400]]), 50],
    ['empty histogram: mid grey', hist([]), 127],
    ['one level: no split', hist([[128, 10]]), 127],
  ])('%s', (_n, h, t) => {
    expect(otsuThreshold(h)).toBe(t);
  });
});

describe('hysteresis', () => {
  // 1-row image: strong pixel at index 2, weak chain to its right, an isolated weak pixel at 7.
  const v = Uint8Array.from([0, 0, 100, 40, 40, 0, 0, 40, 0]);
  it.each<[string, number, number, number[]]>([
    ['weak pixels touching strong ones join', 30, 80, [0, 0, 1, 1, 1, 0, 0, 0, 0]],
    ['high threshold above everything: nothing', 30, 120, [0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['low = high: plain threshold', 80, 80, [0, 0, 1, 0, 0, 0, 0, 0, 0]],
  ])('%s', (_n, low, high, expected) => {
    expect(Array.from(hysteresis(v, v.length, 1, low, high).data)).toEqual(expected);
  });
});

function page(width: number, height: number, f: (x: number, y: number) => number): Gray {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { data, width, height };
}

describe('binarizeLocalDiff', () => {
  it('finds faint strokes on a lighting gradient and ignores the gradient', () => {
    // Background darkens from 240 to 120 left to right; faint 30-level bars every 10 px.
    const g = page(120, 40, (x, y) => Math.round(240 - x) - (x % 10 < 2 && y > 10 && y < 30 ? 30 : 0));
    const m = binarizeLocalDiff(g, 15);
    let ink = 0;
    let wrong = 0;
    for (let y = 0; y < 40; y++) {
      for (let x = 0; x < 120; x++) {
        const bar = x % 10 < 2 && y > 10 && y < 30;
        if (m.data[y * 120 + x]) ink++;
        if (m.data[y * 120 + x] && !bar) wrong++;
      }
    }
    expect(ink).toBeGreaterThan(12 * 2 * 15);
    expect(wrong).toBe(0);
  });

  it('a flat page has no ink', () => {
    const m = binarizeLocalDiff(page(50, 50, () => 200), 15);
    expect(m.data.every((v) => v === 0)).toBe(true);
  });
});

describe('binarizeForTesseract', () => {
  it('returns a black-on-white 1-channel page with the same geometry and page index', () => {
    const w = 60;
    const h = 30;
    const data = Buffer.alloc(w * h * 3, 230);
    for (let y = 10; y < 20; y++) for (let x = 10; x < 50; x++) data.fill(60, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const out = binarizeForTesseract({ data, width: w, height: h, channels: 3, page: 4 }, 10);
    expect(out).toMatchObject({ width: w, height: h, channels: 1, page: 4 });
    expect(out.data[15 * w + 30]).toBe(0);
    expect(out.data[2 * w + 2]).toBe(255);
    expect(new Set(out.data)).toEqual(new Set([0, 255]));
  });
});
