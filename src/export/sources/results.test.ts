import { describe, expect, it } from 'vitest';
import { candidatePaths, recordText, samplesOfRecord } from './results.js';

describe('recordText', () => {
  it.each([
    ['{"a":1}', { json: '{"a":1}', suffix: '' }],
    ['\ufeff{"a":1}', { json: '{"a":1}', suffix: '' }],
    ['{"a":1},', { json: '{"a":1}', suffix: ',' }],
    ['  {"a":1}  ', { json: '{"a":1}', suffix: '' }],
    ['[', null],
    [']', null],
    ['[]', null],
    ['   ', null],
  ])('%j → %j', (line, want) => expect(recordText(line)).toEqual(want));
});

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

describe('candidatePaths', () => {
  it('tries the images root, the cwd and the results folder, in that order', () => {
    expect(candidatePaths('/abs/x.png', '/r/results.jsonl', '/img')).toEqual(['/abs/x.png']);
    expect(candidatePaths('a/x.png', '/r/results.jsonl', '/img')).toEqual(['/img/a/x.png', `${process.cwd()}/a/x.png`, '/r/a/x.png']);
  });
});
