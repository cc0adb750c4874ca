import { describe, expect, it } from 'vitest';
import { assignSplit, checkRatios, hashUnit, parseRatios, type Split } from './split.js';

describe('parseRatios', () => {
  it.each([
    ['0.8,0.1,0.1', { train: 0.8, val: 0.1, test: 0.1 }],
    ['80,10,10', { train: 0.8, val: 0.1, test: 0.1 }],
    ['9:1:0', { train: 0.9, val: 0.1, test: 0 }],
    [' 1 , 1 , 2 ', { train: 0.25, val: 0.25, test: 0.5 }],
  ])('%j → %j', (text, want) => {
    const r = parseRatios(text);
    for (const k of ['train', 'val', 'test'] as const) expect(r[k]).toBeCloseTo(want[k], 12);
  });

  it.each([
    ['0.8,0.2', 'Expected three non-negative numbers train,val,test (e.g. 0.8,0.1,0.1), got "0.8,0.2"'],
    ['0.8,-0.1,0.3', 'Expected three non-negative numbers train,val,test (e.g. 0.8,0.1,0.1), got "0.8,-0.1,0.3"'],
    ['a,b,c', 'Expected three non-negative numbers train,val,test (e.g. 0.8,0.1,0.1), got "a,b,c"'],
    ['0.8,,0.2', 'Expected three non-negative numbers train,val,test (e.g. 0.8,0.1,0.1), got "0.8,,0.2"'],
    ['0,0,0', 'Expected split ratios with a positive sum, got "0,0,0"'],
  ])('rejects %j', (text, message) => {
    expect(() => parseRatios(text)).toThrow(message);
  });
});

describe('checkRatios', () => {
  it.each([
    [{ train: 0.8, val: 0.1, test: 0.2 }, 'Expected split ratios that sum to 1, got 0.8 + 0.1 + 0.2 = 1.1'],
    [{ train: 1.2, val: 0, test: -0.2 }, 'Expected a ratio in 0..1 for train, got 1.2'],
  ])('rejects %j', (r, message) => {
    expect(() => checkRatios(r)).toThrow(message);
  });
});

describe('assignSplit', () => {
  const ratios = { train: 0.8, val: 0.1, test: 0.1 };

  it('is a pure function of key and seed', () => {
    expect(assignSplit('abc|0|1,2', 'zakocr', ratios)).toBe(assignSplit('abc|0|1,2', 'zakocr', ratios));
    expect(hashUnit('k', 's1')).not.toBe(hashUnit('k', 's2'));
  });

  it('honours the ratios within 1 point on 20 000 keys, and a zero ratio exactly', () => {
    const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
    for (let i = 0; i < 20_000; i++) counts[assignSplit(`line-${i}`, 'zakocr', ratios)]++;
    expect(Math.abs(counts.train / 20_000 - 0.8)).toBeLessThan(0.01);
    expect(Math.abs(counts.val / 20_000 - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(counts.test / 20_000 - 0.1)).toBeLessThan(0.01);
    const noTest = { train: 0.9, val: 0.1, test: 0 };
    for (let i = 0; i < 2000; i++) expect(assignSplit(`line-${i}`, 'x', noTest)).not.toBe('test');
  });

  it('keeps old items in place when the dataset grows', () => {
    const before = Array.from({ length: 500 }, (_, i) => assignSplit(`k${i}`, 'zakocr', ratios));
    const after = Array.from({ length: 1000 }, (_, i) => assignSplit(`k${i}`, 'zakocr', ratios)).slice(0, 500);
    expect(after).toEqual(before);
  });
});
