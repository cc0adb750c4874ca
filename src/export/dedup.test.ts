import { describe, expect, it } from 'vitest';
import { alignedCorrelation, Deduper, features as feat, nearlyEqual } from './dedup.js';
import { pixelHash } from './fingerprint.js';
import type { RawImage } from '../crop/warp.js';

/** A deterministic "text-like" grey crop: noise bars on white, shifted by (dx, dy), optional JPEG-like noise. */
function crop(w: number, h: number, seed: number, dx = 0, dy = 0, noise = 0): RawImage {
  const data = Buffer.alloc(w * h, 255);
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  // Stroke layout depends on the seed only (not the crop size), like the same print cropped a bit wider.
  const strokes = Array.from({ length: 30 }, () => [Math.floor(rnd() * 120), Math.floor(rnd() * 12) + 2, Math.floor(rnd() * 3) + 1] as const);
  let n = 99;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const sy = y - dy;
      let v = 255;
      for (const [cx, cy, r] of strokes) if (Math.abs(sx - cx) <= r && sy >= cy && sy <= cy + 7) v = 20;
      if (noise) v = Math.max(0, Math.min(255, v + (((n = (n * 69069 + 1) >>> 0) % (2 * noise + 1)) - noise)));
      data[y * w + x] = v;
    }
  }
  return { data, width: w, height: h, channels: 1 };
}

const f = (c: RawImage) => feat(c, pixelHash(c));
const grey = (c: RawImage) => ({ g: new Uint8Array(c.data), w: c.width, h: c.height });

describe('alignedCorrelation', () => {
  it('is 1 for a copy shifted by up to 3 px', () => {
    expect(alignedCorrelation(grey(crop(120, 24, 7)), grey(crop(120, 24, 7, 2, -1)))).toBeGreaterThan(0.99);
  });

  it('stays high under mild noise and low for other content', () => {
    expect(alignedCorrelation(grey(crop(120, 24, 7)), grey(crop(120, 24, 7, 0, 0, 12)))).toBeGreaterThan(0.98);
    expect(alignedCorrelation(grey(crop(120, 24, 7)), grey(crop(120, 24, 8)))).toBeLessThan(0.8);
  });
});

describe('Deduper', () => {
  it.each([
    ['an identical crop', 'TOTAL', crop(120, 24, 1), 'duplicate'],
    ['a jittered copy with the same text', 'TOTAL', crop(121, 24, 1, 1, 1), 'near_duplicate'],
    ['a jittered copy with other text', 'TOTAL 2', crop(121, 24, 1, 1, 1), 'unique'],
    ['the same text, other pixels', 'TOTAL', crop(120, 24, 2), 'unique'],
    ['the same text, another size', 'TOTAL', crop(160, 30, 1), 'unique'],
  ])('judges %s', (_name, label, c, verdict) => {
    const d = new Deduper({ enabled: true, nearCorrelation: 0.98 });
    expect(d.offer('TOTAL', f(crop(120, 24, 1)))).toBe('unique');
    expect(d.offer(label, f(c))).toBe(verdict);
  });

  it('keeps everything when disabled, and only exact copies go when near-duplicates are off', () => {
    const off = new Deduper({ enabled: false, nearCorrelation: 0.98 });
    expect([off.offer('A', f(crop(50, 20, 3))), off.offer('A', f(crop(50, 20, 3)))]).toEqual(['unique', 'unique']);
    const exact = new Deduper({ enabled: true, nearCorrelation: 1 });
    expect([exact.offer('A', f(crop(50, 20, 3))), exact.offer('A', f(crop(50, 20, 3, 1, 0))), exact.offer('A', f(crop(50, 20, 3)))]).toEqual(['unique', 'unique', 'duplicate']);
    expect(exact.stats).toEqual({ duplicate: 1, near_duplicate: 0 });
  });
});

describe('nearlyEqual (coarse to fine)', () => {
  const held = (c: RawImage) => ({ ...grey(c), cols: new Float64Array(0), rows: new Float64Array(0) });
  it.each([
    [0, 0], [1, 0], [3, -1], [-3, 3], [2, 1], [-1, -2],
  ])('agrees with the full search for a copy shifted by (%i, %i), with and without noise', (dx, dy) => {
    for (const noise of [0, 10, 40]) {
      const a = crop(120, 24, 11);
      const b = crop(120, 24, 11, dx, dy, noise);
      const full = alignedCorrelation(grey(a), grey(b)) >= 0.98;
      expect(nearlyEqual(held(a), held(b), 0.98), `noise ${noise}`).toBe(full);
    }
  });

  it('rejects other content', () => {
    expect(nearlyEqual(held(crop(120, 24, 11)), held(crop(120, 24, 12)), 0.98)).toBe(false);
  });
});
