import { describe, expect, it } from 'vitest';
import {
  INT7_SYMMETRIC,
  activationParams,
  dequantizePerChannel,
  quantizeBias,
  quantizePerChannel,
  quantizeValue,
  roundHalfEven,
  roundOutward,
} from './math.js';

describe('roundHalfEven', () => {
  it.each([
    [0.5, 0], [1.5, 2], [2.5, 2], [-0.5, -0], [-1.5, -2], [-2.5, -2], [2.4, 2], [-2.6, -3], [3, 3],
  ])('%f → %f', (x, want) => expect(roundHalfEven(x) + 0).toBe(want + 0));
});

describe('roundOutward', () => {
  it('never shrinks a range and inflates it by at most 1/32 with 6 bits', () => {
    for (const x of [0.001234, 1, 1.0001, 3.3, 6, 17.77, -0.42, -123.4]) {
      const r = roundOutward(x);
      expect(Math.abs(r)).toBeGreaterThanOrEqual(Math.abs(x));
      expect(Math.abs(r) / Math.abs(x)).toBeLessThanOrEqual(1 + 1 / 32 + 1e-12);
      expect(Math.sign(r)).toBe(Math.sign(x));
    }
  });
  it('is stable under float noise of a few ulps (the point of storing ranges this way)', () => {
    for (const x of [0.731, 2.9, 11.2, -5.55]) expect(roundOutward(x * (1 + 1e-7))).toBe(roundOutward(x));
    expect(roundOutward(0)).toBe(0);
  });
});

describe('activationParams (uint8, asymmetric)', () => {
  it('maps the range onto 0…255 with zero exactly representable', () => {
    const p = activationParams(-1, 3);
    expect(p.scale).toBe(Math.fround(4 / 255));
    expect(p.zeroPoint).toBe(64);
    expect(quantizeValue(0, p)).toBe(p.zeroPoint);
    expect(quantizeValue(-1, p)).toBe(0);
    expect(quantizeValue(3, p)).toBe(255);
    expect(quantizeValue(99, p)).toBe(255);
  });
  it('widens a range that excludes 0 (after ReLU / sigmoid the floor is 0)', () => {
    expect(activationParams(0.5, 2)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 0 });
    expect(activationParams(-4, -1).zeroPoint).toBe(255);
  });
  it('gives scale 1 for an all-zero tensor instead of dividing by zero', () => {
    expect(activationParams(0, 0)).toEqual({ scale: 1, zeroPoint: 0 });
  });
});

describe('quantizePerChannel (symmetric int8)', () => {
  const dims = [3, 2, 2, 2]; // Conv [M, C, kh, kw]
  const w = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * (1 + Math.floor(i / 8) * 10));

  it('gives each output channel its own scale = max|w| / 127 and round-trips within half a step', () => {
    const q = quantizePerChannel(w, dims, 0);
    expect(q.scales).toHaveLength(3);
    for (let c = 0; c < 3; c++) {
      const absMax = Math.max(...w.slice(c * 8, c * 8 + 8).map(Math.abs));
      expect(q.scales[c]).toBe(Math.fround(absMax / 127));
    }
    const back = dequantizePerChannel(q, dims, 0);
    back.forEach((v, i) => expect(Math.abs(v - w[i])).toBeLessThanOrEqual(q.scales[Math.floor(i / 8)] / 2 + 1e-7));
    expect(Math.max(...q.values)).toBe(127);
  });

  it('uses the last axis for MatMul weights [K, N] (one scale per output column)', () => {
    const m = Float32Array.from([1, -20, 0.5, 10, 0.25, -5]); // K = 3, N = 2
    const q = quantizePerChannel(m, [3, 2], 1);
    expect([...q.scales]).toEqual([Math.fround(1 / 127), Math.fround(20 / 127)]);
    expect([...q.values]).toEqual([127, -127, 64, 64, 32, -32]);
  });

  it('stays inside ±63 with 7-bit weights and keeps an all-zero channel at scale 1', () => {
    const z = new Float32Array(8).fill(0);
    const q = quantizePerChannel(Float32Array.from([...w.slice(0, 16), ...z]), dims, 0, INT7_SYMMETRIC);
    expect(Math.max(...q.values.map(Math.abs))).toBe(63);
    expect(q.scales[2]).toBe(1);
  });
});

describe('quantizeBias', () => {
  it('quantizes at input scale × weight scale per channel (the int32 the accumulator adds)', () => {
    const b = quantizeBias(Float32Array.from([0.5, -1]), 0.01, Float32Array.from([0.1, 0.2]));
    expect([...b.scales]).toEqual([Math.fround(Math.fround(0.01) * Math.fround(0.1)), Math.fround(Math.fround(0.01) * Math.fround(0.2))]);
    expect([...b.values]).toEqual([500, -500]);
  });
});
