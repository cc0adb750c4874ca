import { describe, expect, it } from 'vitest';
import { samplesOfRecord } from './results.js';

describe('samplesOfRecord', () => {
  it('uses the quad when present, the box otherwise, and marks lines without a box', () => {
    const s = samplesOfRecord({
      lines: [
        { text: 'A', confidence: 0.9, engine: 'paddle', box: [1, 2, 10, 5] },
        { text: 'B', confidence: 0.5, engine: 'tesseract', box: [0, 0, 10, 5], quad: [[0, 2], [10, 0], [11, 5], [1, 7]], verified: true },
        { text: 'C', confidence: 0.9, engine: 'paddle', box: [0, 0, 0, 5] },
      ],
    });
    expect(s.map((l) => [l.text, l.origin, l.quad?.[0], !!l.invalid])).toEqual([
      ['A', 'ocr', [1, 2], false],
      ['B', 'reviewed', [0, 2], false],
      ['C', 'ocr', undefined, true],
    ]);
  });
});
