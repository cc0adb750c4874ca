import { describe, expect, it } from 'vitest';
import type { OcrLine } from '../core/types.js';
import { MAX_ROW_CHARS, buildRows, confidenceOf } from './layout.js';

const seg = (text: string, x: number, y: number, w: number, h = 20, confidence = 0.9): OcrLine => ({ text, confidence, engine: 't', box: [x, y, w, h] });

describe('buildRows', () => {
  it('joins a label and its amount printed as separate boxes on one line', () => {
    const rows = buildRows([seg('TOTAL', 10, 100, 60), seg('64.15', 300, 103, 50), seg('CASH', 10, 130, 50), seg('100.00', 290, 131, 60)]);
    expect(rows.map((r) => r.text)).toEqual(['TOTAL 64.15', 'CASH 100.00']);
  });

  it('reads columns of labels beside columns of amounts row by row', () => {
    const rows = buildRows([
      seg('TOTAL INCL. GST@6%', 27, 1440, 375, 35), seg('CASH', 29, 1485, 83, 34), seg('CHANGE', 30, 1525, 121, 35),
      seg('RM 71.90', 687, 1437, 167, 38), seg('RM 72.00', 689, 1482, 166, 34), seg('RM 0.10', 713, 1526, 142, 34),
    ]);
    expect(rows.map((r) => r.text)).toEqual(['TOTAL INCL. GST@6% RM 71.90', 'CASH RM 72.00', 'CHANGE RM 0.10']);
  });

  it('follows the skew of a tilted photo', () => {
    // 3° tilt: the right end of each printed line sits ~26 px lower than its left end.
    const tilt = (text: string, x: number, y: number, w: number): OcrLine => ({
      ...seg(text, x, y + Math.round(x * 0.052), w),
      quad: [[x, y + x * 0.052], [x + w, y + (x + w) * 0.052], [x + w, y + 20 + (x + w) * 0.052], [x, y + 20 + x * 0.052]],
    });
    const rows = buildRows([tilt('SUBTOTAL', 10, 100, 300), tilt('12.00', 480, 100, 60), tilt('TAX', 10, 126, 300), tilt('0.72', 480, 126, 60)]);
    expect(rows.map((r) => r.text)).toEqual(['SUBTOTAL 12.00', 'TAX 0.72']);
  });

  it('keeps lines without geometry in their order', () => {
    expect(buildRows([seg('B', 0, 0, 0, 0), seg('A', 0, 0, 0, 0)]).map((r) => r.text)).toEqual(['B', 'A']);
  });

  it(`cuts a row at ${MAX_ROW_CHARS} characters so no rule's cost grows with garbage input`, () => {
    const [row] = buildRows([seg('1,'.repeat(5000), 0, 0, 4000), seg('TOTAL 5.00', 4100, 0, 100)]);
    expect(row.text.length).toBe(MAX_ROW_CHARS);
    expect(row.segments).toHaveLength(1);
  });

  it('reports the lowest confidence of the segments a span touches', () => {
    const [row] = buildRows([seg('TOTAL', 10, 100, 60, 20, 0.95), seg('64.15', 300, 100, 50, 20, 0.7)]);
    expect(confidenceOf(row, 0, 5)).toBe(0.95);
    expect(confidenceOf(row, 0, row.text.length)).toBe(0.7);
  });
});
