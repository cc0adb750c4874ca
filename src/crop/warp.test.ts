import { describe, expect, it } from 'vitest';
import type { PageImage, Quad } from '../core/types.js';
import { quadFromBox } from '../core/geometry.js';
import { cropLine, MAX_CROP_PIXELS, warpCrop } from './warp.js';

/** A grey page whose pixel value encodes its position, so copied pixels can be traced. */
function gradientPage(w: number, h: number): PageImage {
  const data = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = (x * 7 + y * 13) % 256;
  return { data, width: w, height: h, channels: 1, page: null };
}

/** White page with a black bar drawn along a rotated rectangle (centre cx,cy, size bw×bh, angle deg). */
function rotatedBarPage(w: number, h: number, cx: number, cy: number, bw: number, bh: number, deg: number): { page: PageImage; quad: Quad } {
  const a = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  const data = Buffer.alloc(w * h, 255);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = dx * c + dy * s;
      const v = -dx * s + dy * c;
      // Left half of the rectangle black, right half grey: orientation is visible after rectification.
      if (Math.abs(u) <= bw / 2 && Math.abs(v) <= bh / 2) data[y * w + x] = u < 0 ? 0 : 128;
    }
  }
  const corner = (u: number, v: number): [number, number] => [cx + u * c - v * s, cy + u * s + v * c];
  const quad: Quad = [corner(-bw / 2, -bh / 2), corner(bw / 2, -bh / 2), corner(bw / 2, bh / 2), corner(-bw / 2, bh / 2)];
  return { page: { data, width: w, height: h, channels: 1, page: null }, quad };
}

describe('cropLine', () => {
  it('copies an axis-aligned box exactly (margin included)', () => {
    const page = gradientPage(60, 40);
    const c = cropLine(page, quadFromBox([10, 8, 30, 10]), 0.2);
    expect([c.width, c.height, c.plan.margin]).toEqual([34, 14, 2]);
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) expect(c.data[y * c.width + x]).toBe(page.data[(y + 6) * 60 + x + 8]);
    }
  });

  it('repeats edge pixels where the margin leaves the page', () => {
    const page = gradientPage(20, 20);
    const c = cropLine(page, quadFromBox([0, 0, 10, 10]), 0.2);
    expect(c.data[0]).toBe(page.data[0]);
    expect(c.data[c.width * 2 + 2]).toBe(page.data[0]);
  });

  it.each([12, -25, 40])('rectifies a line rotated %i° into an upright crop', (deg) => {
    const { page, quad } = rotatedBarPage(200, 160, 100, 80, 120, 24, deg);
    const c = cropLine(page, quad, 0);
    const m = c.plan.margin;
    expect(Math.abs(c.width - 2 * m - 120)).toBeLessThanOrEqual(1);
    expect(Math.abs(c.height - 2 * m - 24)).toBeLessThanOrEqual(1);
    // Away from the anti-aliased border, the left half is black and the right half grey; the margin is paper.
    const at = (x: number, y: number) => c.data[(y + m) * c.width + x + m];
    expect(c.data[0]).toBe(255);
    for (const y of [4, 12, 19]) {
      expect(at(20, y)).toBeLessThan(40);
      expect(at(40, y)).toBeLessThan(40);
      expect(Math.abs(at(80, y) - 128)).toBeLessThan(40);
      expect(Math.abs(at(100, y) - 128)).toBeLessThan(40);
    }
  });

  it('refuses absurdly large crops', () => {
    const page = gradientPage(10, 10);
    expect(() => warpCrop(page, { width: 5000, height: 5000, margin: 0, toSource: [1, 0, 0, 0, 1, 0, 0, 0, 1], angleDeg: 0 })).toThrow(
      `over the limit of ${MAX_CROP_PIXELS}`,
    );
  });

  it('keeps 3-channel pixels interleaved', () => {
    const data = Buffer.alloc(8 * 4 * 3);
    for (let i = 0; i < 32; i++) data.set([i, 100, 200], i * 3);
    const c = cropLine({ data, width: 8, height: 4, channels: 3, page: null }, quadFromBox([2, 1, 4, 2]), 0);
    expect(c.channels).toBe(3);
    // The minimum 2 px margin puts the box's top-left pixel (2,1) at (2,2) of the crop.
    expect([...c.data.subarray((2 * c.width + 2) * 3, (2 * c.width + 2) * 3 + 3)]).toEqual([10, 100, 200]);
  });
});

describe('whole-pixel shift path', () => {
  it.each([
    ['inside', [10, 8, 30, 10]],
    ['touching the left/top edge', [0, 0, 12, 6]],
    ['touching the right/bottom edge', [50, 34, 10, 6]],
  ] as const)('matches bilinear sampling for a box %s', (_n, box) => {
    const page = gradientPage(60, 40);
    const fast = cropLine(page, quadFromBox([...box]), 0.3);
    // A sub-pixel nudge forces the general path; at 1e-7 px the samples are the same pixels.
    const slowPlan = { ...fast.plan, toSource: fast.plan.toSource.map((v, i) => (i === 2 ? v + 1e-7 : v)) as typeof fast.plan.toSource };
    const slow = warpCrop(page, slowPlan);
    expect(fast.data.equals(slow.data)).toBe(true);
  });
});
