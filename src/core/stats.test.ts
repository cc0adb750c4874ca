import { describe, expect, it } from 'vitest';
import { LineConfidenceMean, meanLineConfidence, median, percentile, summarizeLatency, upperMedian } from './stats.js';

describe('percentile and latency', () => {
  it.each([
    [[1, 2, 3, 4], 50, 2.5],
    [[1, 2, 3, 4], 95, 3.85],
    [[4, 1, 3, 2], 0, 1],
    [[4, 1, 3, 2], 100, 4],
    [[5], 95, 5],
  ])('percentile(%j, %d) = %d', (values, p, want) => {
    expect(percentile(values, p)).toBeCloseTo(want, 12);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it.each([
    [101, 'Expected a number between 0 and 100 for p, got 101 (number)'],
    [-1, 'Expected a number between 0 and 100 for p, got -1 (number)'],
    [Number.NaN, 'Expected a number between 0 and 100 for p, got NaN (number)'],
    ['50', 'Expected a number between 0 and 100 for p, got 50 (string)'],
  ])('rejects p = %j', (p, msg) => {
    expect(() => percentile([1], p as number)).toThrow(msg);
  });

  it('summarises latencies', () => {
    expect(summarizeLatency([10, 20, 30, 40])).toEqual({ count: 4, mean: 25, p50: 25, p95: 38.5, max: 40, min: 10 });
    expect(summarizeLatency([])).toEqual({ count: 0, mean: null, p50: null, p95: null, max: null, min: null });
  });
});

describe('medians', () => {
  it.each([
    [[], 0, 0],
    [[5], 5, 5],
    [[3, 1, 2], 2, 2],
    [[4, 1, 3, 2], 2.5, 3],
  ])('%j: median %d, upper median %d', (values, m, upper) => {
    expect(median(values)).toBe(m);
    expect(upperMedian(values)).toBe(upper);
  });
});

describe('mean line confidence', () => {
  const lines = (...c: number[]) => c.map((confidence) => ({ confidence }));
  it('weighs every line the same, whichever record or item it came from', () => {
    expect(new LineConfidenceMean().add(lines(0.9)).add(lines(0.5, 0.5, 0.5)).value).toBe(0.6);
    // A bench item's mean counts as many lines as it had: the same figure as adding its lines.
    expect(new LineConfidenceMean().addMean(0.9, 1).addMean(0.5, 3).value).toBe(0.6);
    expect(meanLineConfidence(lines(0.81234, 0.9))).toBe(0.8562);
    expect(meanLineConfidence([])).toBeNull();
  });
});
