import { describe, expect, it } from 'vitest';
import type { Box, OcrLine } from '../core/types.js';
import { gutterCut, layoutSegments, orderLines } from './index.js';
import { boxToQuad } from './merge.js';

const line = (text: string, box: Box, engine = 'tesseract'): OcrLine => ({ text, confidence: 0.9, engine, box });

describe('orderLines', () => {
  it("joins a label and its amount that an engine returned as separate lines (Tesseract's blocks) into one row", () => {
    const lines = [line('TOTAL', [40, 200, 100, 20]), line('CASH', [40, 228, 80, 20]), line('64.15', [400, 201, 60, 20]), line('70.00', [400, 229, 60, 20])];
    expect(orderLines(lines).map((l) => [l.text, l.block])).toEqual([['TOTAL 64.15', 0], ['CASH 70.00', 0]]);
  });

  it('reads two columns of lines column by column, each line in its block, boxes kept', () => {
    const lines: OcrLine[] = [];
    for (let i = 0; i < 4; i++) lines.push(line(`left ${i}`, [100, 100 + 28 * i, 300, 20]), line(`right ${i}`, [500, 100 + 28 * i, 320, 20]));
    const out = orderLines(lines);
    expect(out.map((l) => l.text)).toEqual(['left 0', 'left 1', 'left 2', 'left 3', 'right 0', 'right 1', 'right 2', 'right 3']);
    expect(out.map((l) => l.block)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(out[4].box).toEqual([500, 100, 320, 20]);
    expect(out[4].quad).toBeUndefined();
  });

  it('is stable: ordering its own output again changes nothing', () => {
    const lines: OcrLine[] = [line('Statement', [100, 40, 500, 30])];
    for (let i = 0; i < 5; i++) lines.push(line(`a${i}`, [100, 100 + 28 * i, 300 + 10 * i, 20]), line(`b${i}`, [520, 100 + 28 * i, 280, 20]));
    const once = orderLines(lines);
    expect(orderLines(once)).toEqual(once);
  });

  it('drops empty lines', () => {
    expect(orderLines([line('  ', [0, 0, 10, 10]), line('x', [0, 20, 10, 10])]).map((l) => l.text)).toEqual(['x']);
  });
});

describe('gutterCut', () => {
  it.each<[string, number, [number, number] | null]>([
    ['shelf supplier  invoice invoice', 0.5, [14, 16]],
    ['shelf supplier invoice invoice', 0.5, [14, 15]],
    ['shelf supplier invoice invoice', 0.9, null],
    ['nospace', 0.5, null],
    ['a  b c d e f g h i j', 0.3, [6, 7]],
    ['left words here  right', 0.6, [15, 17]],
  ])('%j at %d → %j', (text, fraction, cut) => {
    expect(gutterCut(text, fraction)).toEqual(cut);
  });
});

describe('layoutSegments', () => {
  it('splits a box that a detector ran across the column gutter at its word gap, and reads the columns apart', () => {
    const seg = (text: string, x: number, y: number, w: number) => ({ text, quad: boxToQuad([x, y, w, 20]), confidence: 0.9, engine: 'paddle' });
    const segments = [];
    for (let i = 0; i < 7; i++) {
      if (i === 3) segments.push(seg('left three  right three', 100, 100 + 28 * i, 740));
      else segments.push(seg(`left ${i}`, 100, 100 + 28 * i, 300 + 5 * i), seg(`right ${i}`, 460, 100 + 28 * i, 380));
    }
    const laid = layoutSegments(segments);
    const text = laid.rows.map((r) => r.map((k) => laid.segments[k].text).join(' '));
    expect(text).toEqual(['left 0', 'left 1', 'left 2', 'left three', 'left 4', 'left 5', 'left 6', 'right 0', 'right 1', 'right 2', 'right three', 'right 4', 'right 5', 'right 6']);
    expect(new Set(laid.blocks).size).toBe(2);
  });
});
