import { describe, expect, it } from 'vitest';
import { textRegion, type Rect } from './crop.js';

/** A line of `n` glyph boxes (10 px high, 7 wide, 3 apart) starting at (x, y). */
function line(x: number, y: number, n: number): Rect[] {
  return Array.from({ length: n }, (_, i) => ({ x0: x + i * 10, y0: y, x1: x + i * 10 + 7, y1: y + 10 }));
}

describe('textRegion', () => {
  it('bounds the text lines plus a margin of 2.5 text heights', () => {
    const boxes = [...line(200, 300, 10), ...line(200, 320, 8)];
    expect(textRegion(boxes, 10, 1000, 1000)).toEqual({ x0: 175, y0: 275, x1: 322, y1: 355 });
  });

  it('ignores isolated specks and blobs that are not on a line', () => {
    const boxes = [...line(200, 300, 10), { x0: 900, y0: 900, x1: 905, y1: 905 }, { x0: 10, y0: 10, x1: 40, y1: 60 }];
    expect(textRegion(boxes, 10, 1000, 1000)).toEqual({ x0: 175, y0: 275, x1: 322, y1: 335 });
  });

  it.each<[string, Rect[], number, number, number]>([
    ['no glyphs', [], 10, 100, 100],
    ['no text height', line(0, 0, 5), 0, 100, 100],
    ['text fills the page: gain too small', line(0, 0, 10), 10, 100, 12],
    ['only isolated glyphs', [{ x0: 0, y0: 0, x1: 7, y1: 10 }, { x0: 60, y0: 60, x1: 67, y1: 70 }], 10, 100, 100],
  ])('null when %s', (_n, boxes, th, w, h) => {
    expect(textRegion(boxes, th, w, h)).toBeNull();
  });

  it('always returns the region when minGain is 0', () => {
    expect(textRegion(line(0, 0, 10), 10, 100, 12, 0)).toEqual({ x0: 0, y0: 0, x1: 100, y1: 12 });
  });
});
