import { describe, expect, it } from 'vitest';
import type { Crop } from './crop.js';
import { joinPieces, splitWide } from './rec.js';

/** A white crop, 2 rows high, with black columns at `ink`. */
function strip(width: number, ink: number[]): Crop {
  const data = new Uint8Array(width * 2 * 3).fill(255);
  for (const x of ink) for (let y = 0; y < 2; y++) data.fill(0, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { data, width, height: 2 };
}

describe('splitWide', () => {
  it('keeps a crop within maxWidth whole', () => {
    const c = strip(10, [1, 2]);
    expect(splitWide(c, 10)).toEqual([c]);
  });

  it('cuts at the lightest column of the last quarter of each piece', () => {
    // maxWidth 8: the cut is searched in columns 6..7; column 7 is blank, column 6 has ink.
    const ink = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11];
    const pieces = splitWide(strip(12, ink), 8);
    expect(pieces.map((p) => p.width)).toEqual([7, 5]);
    expect(pieces.reduce((a, p) => a + p.width, 0)).toBe(12);
  });
});

describe('joinPieces', () => {
  it('concatenates text and re-averages confidence over all characters', () => {
    const j = joinPieces([
      { text: 'ab', confidence: 0.9, charConfidences: [1, 0.8], foreignRatio: 0 },
      { text: 'c', confidence: 0.3, charConfidences: [0.3], foreignRatio: 1 },
    ]);
    expect(j.text).toBe('abc');
    expect(j.confidence).toBeCloseTo(0.7, 9);
    expect(j.foreignRatio).toBeCloseTo(1 / 3, 9);
  });
});
