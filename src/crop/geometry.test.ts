import { describe, expect, it } from 'vitest';
import type { Quad } from '../core/types.js';
import { quadFromBox, type Point } from '../core/geometry.js';
import { homography, MIN_MARGIN_PX, planCrop, project, quadFromCoords } from './geometry.js';

describe('quadFromCoords', () => {
  it.each([
    ['clockwise from top-left', [96, 41, 353, 41, 353, 79, 96, 79], [[96, 41], [353, 41], [353, 79], [96, 79]]],
    ['counter-clockwise is reversed around the first point', [96, 41, 96, 79, 353, 79, 353, 41], [[96, 41], [353, 41], [353, 79], [96, 79]]],
    ['rotated quad kept as given', [10, 20, 110, 40, 106, 60, 6, 40], [[10, 20], [110, 40], [106, 60], [6, 40]]],
  ])('%s', (_name, coords, want) => {
    expect(quadFromCoords(coords)).toEqual(want);
  });

  it.each([
    ['too few values', [1, 2, 3, 4, 5, 6, 7], 'Expected 8 coordinates, got 7'],
    ['not a number', [1, 2, 3, Number.NaN, 5, 6, 7, 8], 'Expected a number for coordinate 4, got null'],
    ['collinear corners', [0, 0, 10, 0, 20, 0, 30, 0], 'The quad has no area (its corners are collinear)'],
  ])('rejects %s', (_name, coords, message) => {
    expect(() => quadFromCoords(coords)).toThrow(message);
  });
});

describe('homography', () => {
  it('maps each corner onto its target, including a perspective quad', () => {
    const from: Point[] = [[0, 0], [100, 0], [100, 20], [0, 20]];
    const to: Point[] = [[10, 10], [120, 18], [118, 44], [8, 30]];
    const h = homography(from, to);
    from.forEach((p, i) => {
      const [x, y] = project(h, p[0], p[1]);
      expect(x).toBeCloseTo(to[i][0], 6);
      expect(y).toBeCloseTo(to[i][1], 6);
    });
  });

  it('throws on a degenerate target', () => {
    expect(() => homography([[0, 0], [1, 0], [1, 1], [0, 1]], [[0, 0], [0, 0], [0, 0], [0, 0]])).toThrow('Degenerate quad');
  });
});

describe('planCrop', () => {
  it.each([
    // [w, h, marginFrac, expected output width, height]
    [257, 38, 0.12, 257 + 2 * 5, 38 + 2 * 5],
    [100, 10, 0.12, 100 + 2 * MIN_MARGIN_PX, 10 + 2 * MIN_MARGIN_PX],
    [100, 40, 0.5, 140, 80],
  ])('a %ix%i box with margin %f gives %ix%i', (w, h, m, ow, oh) => {
    const plan = planCrop(quadFromBox([30, 40, w, h]), m);
    expect([plan.width, plan.height]).toEqual([ow, oh]);
    // The top-left of the tight box sits at (margin, margin) of the output.
    const [x, y] = project(plan.toSource, plan.margin, plan.margin);
    expect(x).toBeCloseTo(30, 6);
    expect(y).toBeCloseTo(40, 6);
  });

  it('refuses a sub-pixel line', () => {
    expect(() => planCrop([[0, 0], [0.5, 0], [0.5, 0.5], [0, 0.5]], 0.1)).toThrow('smaller than one pixel');
  });
});

describe('planCrop on upright rectangles', () => {
  it.each([
    [[12, 30, 200, 24]],
    [[0.5, 3.25, 99.5, 20.5]],
  ] as const)('matches the general homography for box %j', (box) => {
    const q = quadFromBox([...box]);
    const plan = planCrop(q, 0.15);
    const rect: Point[] = [[plan.margin, plan.margin], [plan.width - plan.margin, plan.margin], [plan.width - plan.margin, plan.height - plan.margin], [plan.margin, plan.height - plan.margin]];
    const general = homography(rect, q as unknown as Point[]);
    plan.toSource.forEach((v, i) => expect(v).toBeCloseTo(general[i], 9));
  });
});
