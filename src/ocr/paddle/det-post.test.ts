import { describe, expect, it } from 'vitest';
import { boxScore, connectedRegions, dbPostprocess, type DbOptions } from './det-post.js';
import type { Quad } from '../../core/types.js';

/** A width×height map with rectangles [x0, y0, x1, y1] (inclusive) filled with p. */
function map(width: number, height: number, rects: [number, number, number, number, number][]): Float32Array {
  const m = new Float32Array(width * height);
  for (const [x0, y0, x1, y1, p] of rects) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[y * width + x] = p;
  return m;
}

const opts: DbOptions = { thresh: 0.3, boxThresh: 0.5, unclipRatio: 1.5, minSize: 3 };
const round = (q: Quad) => q.map(([x, y]) => [+x.toFixed(3), +y.toFixed(3)]);

describe('connectedRegions', () => {
  it('separates blobs, joins diagonal neighbours (8-connectivity), keeps row extremes', () => {
    const m = map(8, 5, [[0, 0, 2, 1, 0.9], [5, 2, 5, 2, 0.9], [6, 3, 7, 4, 0.9]]);
    const regions = connectedRegions(m, 8, 5, 0.3);
    expect(regions.map((r) => r.pixels)).toEqual([6, 5]);
    expect(regions[0].points).toEqual(expect.arrayContaining([[0, 0], [2, 0], [0, 1], [2, 1]]));
    expect(regions[0].points).toHaveLength(4);
    expect(regions[1].points).toEqual(expect.arrayContaining([[5, 2], [6, 3], [7, 3], [6, 4], [7, 4]]));
  });

  it('ignores pixels at or below the threshold', () => {
    expect(connectedRegions(map(4, 4, [[0, 0, 3, 3, 0.25]]), 4, 4, 0.3)).toEqual([]);
  });
});

describe('boxScore', () => {
  it('is the mean probability of the pixel centres inside the quad', () => {
    // 0.9 on x 2..5, 0.1 on x 6..7, rows 1..2; quad covers x 2..7 → (4×0.9 + 2×0.1) / 6 per row.
    const m = map(10, 4, [[2, 1, 5, 2, 0.9], [6, 1, 7, 2, 0.1]]);
    const q: Quad = [[2, 1], [7, 1], [7, 2], [2, 2]];
    expect(boxScore(m, 10, 4, q)).toBeCloseTo((4 * 0.9 + 2 * 0.1) / 6, 6);
  });

  it('is 0 when no pixel centre is inside', () => {
    expect(boxScore(new Float32Array(16), 4, 4, [[1.2, 1.2], [1.8, 1.2], [1.8, 1.8], [1.2, 1.8]])).toBe(0);
  });
});

describe('dbPostprocess', () => {
  it('grows the kernel rectangle by area × ratio / perimeter (hand-checked)', () => {
    // Kernel pixels x 2..9, y 3..6: rectangle 7 × 3 between pixel centres, area 21, perimeter 20,
    // d = 21 × 1.5 / 20 = 1.575 → 10.15 × 6.15 around the centre (5.5, 4.5).
    const boxes = dbPostprocess(map(14, 10, [[2, 3, 9, 6, 0.9]]), 14, 10, opts);
    expect(boxes).toHaveLength(1);
    expect(boxes[0].score).toBeCloseTo(0.9, 6);
    expect(round(boxes[0].quad)).toEqual([[0.425, 1.425], [10.575, 1.425], [10.575, 7.575], [0.425, 7.575]]);
  });

  it('clips grown boxes to the map', () => {
    const boxes = dbPostprocess(map(10, 6, [[0, 0, 7, 3, 0.9]]), 10, 6, opts);
    // Kernel 7 × 3 around (3.5, 1.5), d = 1.575 → x -1.575..8.575, y -1.575..4.575, clipped at 0.
    expect(round(boxes[0].quad)).toEqual([[0, 0], [8.575, 0], [8.575, 4.575], [0, 4.575]]);
  });

  it.each([
    ['a kernel thinner than minSize', [[2, 3, 12, 4, 0.9]] as [number, number, number, number, number][]],
    ['a kernel whose mean probability is under boxThresh', [[2, 3, 12, 8, 0.45]] as [number, number, number, number, number][]],
  ])('drops %s', (_label, rects) => {
    expect(dbPostprocess(map(16, 12, rects), 16, 12, opts)).toEqual([]);
  });

  it('finds a rotated kernel with its own angle', () => {
    // Pixels whose centre lies in a 16 × 5 rectangle turned by 45° around (10, 10).
    const w = 20, h = 20;
    const m = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const u = (x - 10 + (y - 10)) / Math.SQRT2, v = (y - 10 - (x - 10)) / Math.SQRT2;
        if (Math.abs(u) <= 8 && Math.abs(v) <= 2.5) m[y * w + x] = 0.9;
      }
    }
    const [box] = dbPostprocess(m, w, h, opts);
    const [tl, tr, , bl] = box.quad;
    const along = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), across = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
    const angle = Math.abs((Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * 180) / Math.PI);
    expect(Math.abs(angle - 45)).toBeLessThan(3);
    expect(Math.max(along, across) / Math.min(along, across)).toBeGreaterThan(2);
  });

  it('keeps the largest regions when over maxCandidates', () => {
    const m = map(20, 10, [[1, 1, 5, 5, 0.9], [8, 1, 18, 7, 0.9]]);
    const boxes = dbPostprocess(m, 20, 10, { ...opts, maxCandidates: 1 });
    expect(boxes).toHaveLength(1);
    expect(boxes[0].quad[0][0]).toBeGreaterThan(5);
  });
});
