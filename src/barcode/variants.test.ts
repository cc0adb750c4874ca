import { describe, expect, it } from 'vitest';
import { compose, pad, rotate, scale, sharpen, shrink, stretch, type GrayImage } from './variants.js';

const img = (w: number, h: number, f: (x: number, y: number) => number): GrayImage => {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return { data, width: w, height: h };
};
const bars = img(40, 10, (x) => (Math.floor(x / 4) % 2 ? 255 : 0));

describe('scale', () => {
  it('doubles and maps points back', () => {
    const v = scale(bars, 2);
    expect([v.width, v.height]).toEqual([80, 20]);
    expect(v.toSource(80, 20)).toEqual([40, 10]);
    expect(v.data[0]).toBe(0);
    expect(v.data[v.width * 10 + 10]).toBe(255);
  });

  it('scales x and y independently', () => {
    const v = scale(bars, 2, 1);
    expect([v.width, v.height]).toEqual([80, 10]);
  });
});

describe('shrink', () => {
  it('area-averages blocks', () => {
    const v = shrink(img(4, 2, (x) => (x < 2 ? 0 : 200)), 2);
    expect([...v.data]).toEqual([0, 200]);
    expect(v.toSource(1, 1)).toEqual([2, 2]);
  });
});

describe('sharpen', () => {
  it('raises edge contrast and keeps flat areas', () => {
    const soft = img(20, 1, (x) => (x < 10 ? 100 : 150));
    const s = sharpen(soft, 1, 1.5);
    expect(s.data[0]).toBe(100);
    expect(s.data[19]).toBe(150);
    expect(s.data[9]).toBeLessThan(100);
    expect(s.data[10]).toBeGreaterThan(150);
  });
});

describe('rotate', () => {
  it('90° swaps the sides and maps points back', () => {
    const v = rotate(bars, 90);
    expect([v.width, v.height]).toEqual([10, 40]);
    const [sx, sy] = v.toSource(5, 20);
    expect(sx).toBeCloseTo(20, 5);
    expect(sy).toBeCloseTo(5, 5);
  });

  it('fills the corners of a 45° turn with white', () => {
    const v = rotate(img(10, 10, () => 0), 45);
    expect(v.data[0]).toBe(255);
    expect(v.data[Math.floor(v.height / 2) * v.width + Math.floor(v.width / 2)]).toBe(0);
  });
});

describe('pad, stretch, compose', () => {
  it('pad adds a white border', () => {
    const v = pad(img(2, 2, () => 0), 3);
    expect([v.width, v.height]).toEqual([8, 8]);
    expect(v.data[0]).toBe(255);
    expect(v.data[3 * 8 + 3]).toBe(0);
    expect(v.toSource(3, 3)).toEqual([0, 0]);
  });

  it('stretch maps the 2% quantiles to 0 and 255', () => {
    const v = stretch(img(100, 1, (x) => 100 + Math.floor(x / 2)), 0.02);
    expect(v.data[0]).toBe(0);
    expect(v.data[99]).toBe(255);
  });

  it('stretch leaves a flat image alone', () => {
    expect([...stretch(img(3, 1, () => 7)).data]).toEqual([7, 7, 7]);
  });

  it('compose chains the maps', () => {
    const up = scale(bars, 2);
    const v = compose(up, pad(up, 10));
    expect(v.toSource(10, 10)).toEqual([0, 0]);
  });
});
