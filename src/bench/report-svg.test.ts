import { describe, expect, it } from 'vitest';
import { countTicks, histogramChart, latencyBins, niceStep } from './report-svg.js';

describe('chart axes', () => {
  it.each([[0.3, 0, 0.5], [1, 0, 1], [1.2, 0, 2], [3, 0, 5], [7, 0, 10], [23, 0, 50], [140, 0, 200], [0.3, 1, 1]])('niceStep(%d, min %d) = %d', (raw, min, want) => {
    expect(niceStep(raw, min)).toBe(want);
  });

  it.each([
    [0, [0, 1]],
    [1, [0, 1]],
    [2, [0, 1, 2]],
    [3, [0, 1, 2, 3]],
    [5, [0, 2, 4, 6]],
    [9, [0, 5, 10]],
    [37, [0, 10, 20, 30, 40]],
  ])('count ticks up to %d are whole and evenly spaced: %j', (max, want) => {
    expect(countTicks(max)).toEqual(want);
  });

  it('a histogram never labels two gridlines with the same count (was 0 1 1 for a maximum of 1 or 2)', () => {
    for (const max of [1, 2, 3, 7]) {
      const svg = histogramChart('t', ['a', 'b'], [{ name: 's', counts: [max, 0] }], 'x');
      const ticks = [...svg.matchAll(/<text class="tick"[^>]*>(\d+)<\/text>/gu)].map((m) => m[1]);
      expect(new Set(ticks).size, ticks.join(' ')).toBe(ticks.length);
      expect(Number(ticks[ticks.length - 1])).toBeGreaterThanOrEqual(max);
    }
  });

  it('latency bins have a round width and one unit for the whole axis', () => {
    const ms = latencyBins([{ name: 'a', ms: [130, 480, 910, 1220, 1730] }]);
    expect(ms.unit).toBe('ms');
    expect(ms.labels).toEqual(['≤200', '≤400', '≤600', '≤800', '≤1000', '≤1200', '≤1400', '≤1600', '≤1800']);
    expect(ms.counts[0]!.counts).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const s = latencyBins([{ name: 'a', ms: [900, 15_000, 31_000] }, { name: 'b', ms: [2_000] }]);
    expect(s.unit).toBe('s');
    expect(s.labels[0]).toBe('≤5');
    expect(s.labels.every((l) => /^≤\d+$/u.test(l))).toBe(true);
    expect(s.counts.map((c) => c.counts.reduce((a, b) => a + b, 0))).toEqual([3, 1]);
    expect(latencyBins([])).toEqual({ labels: [], counts: [], unit: 'ms' });
    expect(latencyBins([{ name: 'a', ms: [40, 40] }]).labels).toEqual(['≤41']);
  });
});
