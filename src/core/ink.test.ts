import { describe, expect, it } from 'vitest';
import type { Box, PageImage } from './types.js';
import { barsPage } from '../../test/fakes/pages.js';
import { countTextBands, inkBounds, otsuThreshold } from './ink.js';

describe('countTextBands', () => {
  it.each<[string, PageImage, number]>([
    ['one line', barsPage(500, 60, [[20, 40]]), 1],
    ['one line, RGB', barsPage(500, 60, [[20, 40]], false, 3), 1],
    ['one line, light text on a dark label', barsPage(500, 60, [[20, 40]], true), 1],
    ['two lines', barsPage(534, 137, [[34, 62], [75, 103]]), 2],
    ['a one-row gap does not split a line', barsPage(500, 60, [[10, 25], [26, 40]]), 1],
    ['a two-row gap does', barsPage(500, 60, [[10, 25], [27, 40]]), 2],
    ['five receipt lines', barsPage(400, 300, [[10, 30], [60, 80], [110, 130], [160, 180], [210, 230]]), 5],
    ['a blank page', barsPage(300, 100, []), 0],
    ['an empty page', { data: Buffer.alloc(0), width: 0, height: 0, channels: 1, page: null }, 0],
  ])('%s', (_name, page, bands) => {
    expect(countTextBands(page)).toBe(bands);
  });

  it('stops counting at the limit', () => {
    expect(countTextBands(barsPage(400, 300, [[10, 30], [60, 80], [110, 130]]), 2)).toBe(2);
  });
});

describe('inkBounds', () => {
  it.each<[string, PageImage, number, Box | null]>([
    // bars: ink at every other column from 10 to width-12
    ['one line, no pad', barsPage(500, 60, [[20, 40]]), 0, [10, 20, 479, 20]],
    ['one line, pad = a quarter of its height', barsPage(500, 60, [[20, 40]]), 0.25, [5, 15, 489, 30]],
    ['pad clamped to the page', barsPage(500, 60, [[2, 58]]), 0.25, [0, 0, 500, 60]],
    ['light text on a dark label', barsPage(500, 60, [[20, 40]], true), 0, [10, 20, 479, 20]],
    ['RGB', barsPage(500, 60, [[20, 40]], false, 3), 0, [10, 20, 479, 20]],
    ['two lines: one box round both', barsPage(300, 100, [[10, 20], [60, 70]]), 0, [10, 10, 279, 60]],
    ['a blank page', barsPage(300, 100, []), 0.25, null],
    ['an empty page', { data: Buffer.alloc(0), width: 0, height: 0, channels: 1, page: null }, 0.25, null],
  ])('%s', (_name, page, pad, box) => {
    const got = inkBounds(page, pad);
    if (box === null) return expect(got).toBeNull();
    // The minimum pad is 2 px, so "no pad" boxes are 2 px larger on every side.
    const expected = pad === 0 ? [Math.max(0, box[0] - 2), Math.max(0, box[1] - 2), box[2] + 4, box[3] + 4] : box;
    expect(got).toEqual(expected);
  });
});

describe('otsuThreshold', () => {
  it('splits a two-level histogram between the levels', () => {
    const h = new Uint32Array(256);
    h[30] = 100;
    h[220] = 300;
    expect(otsuThreshold(h)).toBeGreaterThanOrEqual(30);
    expect(otsuThreshold(h)).toBeLessThan(220);
  });
});
