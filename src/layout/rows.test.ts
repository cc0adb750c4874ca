import { describe, expect, it } from 'vitest';
import type { Quad } from '../core/types.js';
import { orderIntoRows } from './rows.js';

/** An axis-aligned box as a quad. */
const box = (x: number, y: number, w: number, h: number): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
/** A box slanted by `slope` (dy/dx), top-left at (x, y). */
const slanted = (x: number, y: number, w: number, h: number, slope: number): Quad => [
  [x, y], [x + w, y + slope * w], [x + w, y + slope * w + h], [x, y + h],
];

describe('orderIntoRows', () => {
  it('reads rows top to bottom and boxes left to right, whatever the input order', () => {
    const quads = [box(300, 52, 80, 20), box(10, 100, 200, 20), box(10, 50, 150, 20), box(250, 103, 60, 20)];
    expect(orderIntoRows(quads)).toEqual([[2, 0], [1, 3]]);
  });

  it('keeps boxes of one row together within half a line height of misalignment', () => {
    expect(orderIntoRows([box(0, 0, 100, 20), box(200, 9, 50, 20)])).toEqual([[0, 1]]);
    expect(orderIntoRows([box(0, 0, 100, 20), box(200, 11, 50, 20)])).toEqual([[0], [1]]);
  });

  it('follows the page slant, so a skewed row stays one row', () => {
    // Slope 0.1: the right box sits 40 px lower than the left one on the same printed line.
    const quads = [slanted(0, 100, 300, 20, 0.1), slanted(400, 140, 300, 20, 0.1), slanted(0, 130, 300, 20, 0.1)];
    expect(orderIntoRows(quads)).toEqual([[0, 1], [2]]);
  });

  it('puts boxes that overlap horizontally in different rows', () => {
    expect(orderIntoRows([box(0, 0, 100, 20), box(10, 8, 100, 20)])).toEqual([[0], [1]]);
  });

  it('lets a short box (a speck, a lone digit) join a row without splitting the words around it', () => {
    // UW-III line 010051: two specks the detector kept sit between and under the words of one line.
    const quads: Quad[] = [
      [[481, 7], [802, 0], [802, 41], [483, 48]],
      [[3, 7], [237, 11], [236, 48], [2, 43]],
      [[253, 15], [467, 12], [468, 43], [254, 46]],
      [[459, 20], [498, 20], [498, 38], [459, 38]],
      [[238, 24], [264, 24], [264, 37], [238, 37]],
    ];
    expect(orderIntoRows(quads)).toEqual([[1, 4, 2, 3, 0]]);
  });

  it('returns nothing for no boxes', () => {
    expect(orderIntoRows([])).toEqual([]);
  });
});
