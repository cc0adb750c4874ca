import { describe, expect, it } from 'vitest';
import { substringDistance, worstLines } from './line-errors.js';

const chars = (s: string) => Array.from(s);

describe('substringDistance', () => {
  it.each([
    ['TOTAL', 'SHOP A\nTOTAL 80.90', 0],
    ['TOTAI', 'SHOP A\nTOTAL 80.90', 1],
    ['80.9O', 'SHOP A\nTOTAL 80.90', 1],
    ['XYZ', 'SHOP', 3],
    ['', 'SHOP', 0],
    ['AB', '', 2],
  ])('%j in %j: %i edits', (p, t, want) => {
    expect(substringDistance(chars(p), chars(t))).toBe(want);
  });
});

describe('worstLines', () => {
  const box = (y: number): [number, number, number, number] => [10, y, 200, 20];
  const ref = 'SHOP A\nNO. 12 JALAN\nTOTAL 80.90\nTHANK YOU';

  it('ranks lines by edits against their best match anywhere in the reference, in any reading order', () => {
    const lines = [
      { text: 'THANK Y0U', box: box(90) },   // 1 edit
      { text: 'SHOP A', box: box(0) },       // exact: left out
      { text: 'T0TAI 8O.90', box: box(60) }, // 3 edits
      { text: 'NO. 12 JALAN', box: box(30) },
    ];
    expect(worstLines(lines, ref, {}).map((l) => [l.text, l.errors, l.box[1]])).toEqual([['T0TAI 8O.90', 3, 60], ['THANK Y0U', 1, 90]]);
  });

  it('compares with the run\'s folds and keeps at most `max` lines', () => {
    const lines = [{ text: 'total 80.90', box: box(0) }, { text: 'qqq', box: box(1) }, { text: 'ww', box: box(2) }, { text: 'zz', box: box(3) }];
    expect(worstLines(lines, ref, { foldCase: true }).map((l) => l.text)).toEqual(['qqq', 'ww', 'zz']);
    expect(worstLines(lines, ref, {}, 1)).toHaveLength(1);
  });
});
