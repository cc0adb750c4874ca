import { describe, expect, it } from 'vitest';
import type { Quad } from '../../core/types.js';
import { convexHull, expandRect, insideConvexQuad, minAreaRect, orderCorners, rectCorners, unclipDistance, type Point } from './geometry.js';

describe('convexHull', () => {
  it('drops interior and duplicate points', () => {
    const hull = convexHull([[0, 0], [4, 0], [4, 4], [0, 4], [2, 2], [4, 4], [2, 0]]);
    expect(hull).toHaveLength(4);
    expect(hull).toEqual(expect.arrayContaining([[0, 0], [4, 0], [4, 4], [0, 4]]));
  });

  it.each([
    [[], []],
    [[[1, 1]], [[1, 1]]],
    [[[1, 1], [1, 1], [3, 2]], [[1, 1], [3, 2]]],
  ] as [Point[], Point[]][])('degenerate input %j', (pts, hull) => {
    expect(convexHull(pts)).toEqual(hull);
  });
});

describe('minAreaRect', () => {
  it('finds the 45° square of a diamond (side √2, area 2)', () => {
    const r = minAreaRect([[1, 0], [2, 1], [1, 2], [0, 1]]);
    expect(r.width * r.height).toBeCloseTo(2, 9);
    expect(r.width).toBeCloseTo(Math.SQRT2, 9);
    expect([r.cx, r.cy]).toEqual([expect.closeTo(1, 9), expect.closeTo(1, 9)]);
  });

  it('fits an axis-aligned rectangle exactly', () => {
    const r = minAreaRect([[2, 3], [9, 3], [9, 6], [2, 6], [5, 4]]);
    const side = [r.width, r.height].sort((a, b) => a - b);
    expect(side).toEqual([3, 7]);
    expect(orderCorners(rectCorners(r)).map((p) => p.map((v) => +v.toFixed(9)))).toEqual([[2, 3], [9, 3], [9, 6], [2, 6]]);
  });

  it('gives a zero rectangle for a single point', () => {
    expect(minAreaRect([[4, 5]])).toEqual({ cx: 4, cy: 5, width: 0, height: 0, angle: 0 });
  });
});

describe('rectangle helpers', () => {
  it('unclip distance = area × ratio / perimeter', () => {
    expect(unclipDistance({ cx: 0, cy: 0, width: 7, height: 3, angle: 0 }, 1.5)).toBeCloseTo(1.575, 12);
    expect(unclipDistance({ cx: 0, cy: 0, width: 0, height: 0, angle: 0 }, 1.5)).toBe(0);
  });

  it('expandRect grows every side', () => {
    expect(expandRect({ cx: 1, cy: 2, width: 7, height: 3, angle: 0.3 }, 2)).toEqual({ cx: 1, cy: 2, width: 11, height: 7, angle: 0.3 });
  });

  it('orderCorners returns TL, TR, BR, BL', () => {
    expect(orderCorners([[10, 5], [0, 6], [1, 0], [11, 11]])).toEqual([[1, 0], [10, 5], [11, 11], [0, 6]]);
  });

  const q: Quad = [[0, 0], [10, 0], [10, 4], [0, 4]];
  it.each([
    [5, 2, true], [0, 0, true], [10, 4, true], [10.1, 2, false], [5, -0.1, false],
  ])('insideConvexQuad(%d, %d) = %s', (x, y, inside) => {
    expect(insideConvexQuad(q, x, y)).toBe(inside);
    expect(insideConvexQuad([...q].reverse() as Quad, x, y)).toBe(inside);
  });

});
