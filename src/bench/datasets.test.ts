import { describe, expect, it } from 'vitest';
import { pairImage } from './adapters/gt-lines.js';
import { sroieTranscripts } from './adapters/sroie.js';
import { guessLang, insideRoot, spreadSubset } from './datasets.js';

describe('spreadSubset', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, [1, 4, 7]],
    [[1, 2, 3], 5, [1, 2, 3]],
    [[1, 2, 3], undefined, [1, 2, 3]],
    [['a', 'b', 'c', 'd'], 2, ['a', 'c']],
  ])('spreadSubset(%j, %j) = %j', (items, n, want) => {
    expect(spreadSubset(items, n)).toEqual(want);
  });
  it.each([
    [0, '--limit 0: must be a whole number ≥ 1'],
    [1.5, '--limit 1.5: must be a whole number ≥ 1'],
  ])('rejects %j', (n, msg) => {
    expect(() => spreadSubset([1, 2, 3], n)).toThrow(msg);
  });
});

describe('guessLang', () => {
  const item = (text?: string) => ({ id: 'x', images: [], docType: 'line', layout: 'line' as const, ...(text !== undefined ? { text } : {}) });
  it.each([
    [['দাম ৪৫০ টাকা', 'চাল'], 'ben'],
    [['Rice Tk 450', 'দাম'], undefined],
    [[undefined], undefined],
  ])('%j → %j', (texts, want) => {
    expect(guessLang(texts.map(item))).toBe(want);
  });
});

describe('sroieTranscripts', () => {
  it('keeps commas inside transcripts and skips blank lines', () => {
    expect(sroieTranscripts('1,2,3,4,5,6,7,8,NO. 343, JALAN KURAU\r\n\n9,9,9,9,9,9,9,9,TOTAL: 20.00\n1,2,3\n')).toEqual(['NO. 343, JALAN KURAU', 'TOTAL: 20.00']);
  });
});

describe('pairImage', () => {
  const names = new Set(['010001.bin.png', 'a.png', 'a.png.gt.txt', 'b.tif', 'c.nrm.png', 'c.gt.txt']);
  it.each([
    ['010001', '010001.bin.png'],
    ['a.png', 'a.png'],
    ['a', 'a.png'],
    ['b', 'b.tif'],
    ['c', 'c.nrm.png'],
    ['missing', null],
  ])('%s → %s', (stem, want) => {
    expect(pairImage(stem, names)).toBe(want);
  });
});

describe('insideRoot', () => {
  it('resolves paths inside the dataset', () => {
    expect(insideRoot('/data/set', 'img/1.png', 'm:1')).toBe('/data/set/img/1.png');
  });
  it.each([
    ['../etc/passwd', 'm:1: path "../etc/passwd" resolves outside the dataset folder /data/set'],
    ['/etc/passwd', 'm:1: path "/etc/passwd" resolves outside the dataset folder /data/set'],
    ['img/../../x', 'm:1: path "img/../../x" resolves outside the dataset folder /data/set'],
  ])('rejects %j', (rel, msg) => {
    expect(() => insideRoot('/data/set', rel, 'm:1')).toThrow(msg);
  });
});
