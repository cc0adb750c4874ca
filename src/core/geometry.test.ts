import { describe, expect, it } from 'vitest';
import type { Box, Quad } from './types.js';
import { boxOfQuad, clipBox, mapBox, quadFromBox, quadSize, type Affine } from './geometry.js';

describe('box and quad helpers', () => {
  it('boxOfQuad rounds outwards (PP-OCR quads)', () => {
    expect(boxOfQuad([[0.4, 1.6], [10.2, 1.2], [10.7, 5.1], [0.2, 5.5]])).toEqual([0, 1, 11, 5]);
  });

  it('quadSize takes the longer of opposite sides', () => {
    expect(quadSize([[0, 0], [10, 0], [12, 5], [0, 4]])).toMatchObject({ width: Math.hypot(12, 1), height: Math.hypot(2, 5) });
  });

  it('round-trips an axis-aligned box', () => {
    expect(boxOfQuad(quadFromBox([5, 6, 70, 20]))).toEqual([5, 6, 70, 20]);
  });

  it('rounds a fractional quad outwards', () => {
    expect(boxOfQuad([[1.5, 2.2], [10.1, 2.2], [10.1, 8.9], [1.5, 8.9]])).toEqual([1, 2, 10, 7]);
  });

  it('measures a rotated line', () => {
    const a = (30 * Math.PI) / 180;
    const q: Quad = [[0, 0], [100 * Math.cos(a), 100 * Math.sin(a)], [100 * Math.cos(a) - 20 * Math.sin(a), 100 * Math.sin(a) + 20 * Math.cos(a)], [-20 * Math.sin(a), 20 * Math.cos(a)]];
    const s = quadSize(q);
    expect(s.width).toBeCloseTo(100, 6);
    expect(s.height).toBeCloseTo(20, 6);
    expect(s.angleDeg).toBeCloseTo(30, 6);
  });

  it.each<[Box, Box]>([
    [[10, 5, 41, 16], [10, 5, 41, 16]],
    [[-3, -2, 123, 82], [0, 0, 100, 50]],
    [[120, 10, 5, 5], [120, 10, 0, 5]], // right of the image: no width left
  ])('clipBox(%j) to 100×50 → %j', (box, want) => {
    expect(clipBox(box, 100, 50)).toEqual(want);
  });
});

const I: Affine = [1, 0, 0, 0, 1, 0];
const SCALE_HALF: Affine = [0.5, 0, 0, 0, 0.5, 0]; // processed page was upscaled 2x
const SHIFT: Affine = [1, 0, 40, 0, 1, 15]; // processed page was cropped at (40, 15)
// Processed page = original rotated 90° clockwise; original height H = 100: x' = y, y' = H - x.
const ROT90: Affine = [0, 1, 0, -1, 0, 100];

describe('mapBox to whole pixels (records)', () => {
  it.each<[string, Box, Affine, Box]>([
    ['identity', [10, 20, 30, 40], I, [10, 20, 30, 40]],
    ['scale', [10, 20, 30, 40], SCALE_HALF, [5, 10, 15, 20]],
    ['translation (crop)', [0, 0, 10, 10], SHIFT, [40, 15, 10, 10]],
    ['rotation: width and height swap', [10, 20, 30, 5], ROT90, [20, 60, 5, 30]],
    ['rounding to whole pixels', [1, 1, 3, 3], SCALE_HALF, [1, 1, 2, 2]],
    ['empty box', [7, 7, 0, 0], SHIFT, [47, 22, 0, 0]],
  ])('%s', (_name, box, m, expected) => {
    expect(mapBox(m, box, 0)).toEqual(expected);
  });

  it('gives the bounding box of a small rotation (deskew)', () => {
    const a = (3 * Math.PI) / 180;
    const m: Affine = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0];
    const [x, y, w, h] = mapBox(m, [100, 100, 200, 20], 0);
    expect(w).toBeGreaterThanOrEqual(200);
    expect(h).toBeGreaterThan(20);
    expect(x).toBeLessThan(100);
    expect(y).toBeGreaterThan(100);
  });
});
