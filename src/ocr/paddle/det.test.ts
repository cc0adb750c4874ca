import { describe, expect, it } from 'vitest';
import { boxesToPage, borderColour, detSize, type DetInput } from './det.js';

describe('detSize', () => {
  it.each([
    // [width, height, maxSide, margin] → sides (+ 2×margin) are multiples of 32, no upscaling
    [100, 50, 960, 0, { w: 96, h: 64 }],
    [2000, 1000, 960, 0, { w: 960, h: 480 }],
    [1000, 2000, 960, 16, { w: 480, h: 928 }],
    [10, 10, 960, 0, { w: 32, h: 32 }],
    [461, 933, 960, 16, { w: 448, h: 928 }],
    // a side under the margins (a strip, the short side of a very long page) keeps a positive size
    [12, 40, 960, 16, { w: 32, h: 32 }],
    [4000, 20, 960, 16, { w: 928, h: 32 }],
  ])('%i×%i max %i margin %i → %j', (w, h, max, margin, size) => {
    const s = detSize(w, h, max, margin);
    expect(s).toEqual(size);
    expect((s.w + 2 * margin) % 32).toBe(0);
    expect((s.h + 2 * margin) % 32).toBe(0);
    expect(Math.min(s.w, s.h)).toBeGreaterThan(0);
  });
});

describe('boxesToPage', () => {
  it('undoes margin and scale and clips to the page', () => {
    const input: DetInput = { data: new Float32Array(0), dims: [1, 3, 64, 96], scaleX: 0.5, scaleY: 0.25, margin: 16 };
    const [b] = boxesToPage([{ score: 0.7, quad: [[16, 16], [56, 16], [56, 26], [10, 26]] }], input, { width: 100, height: 100 });
    expect(b.quad).toEqual([[0, 0], [80, 0], [80, 40], [0, 40]]);
    expect(b.score).toBe(0.7);
  });
});

describe('borderColour', () => {
  it('averages the outer ring only', () => {
    const data = Buffer.from([10, 10, 10, 10, 99, 10, 10, 10, 10]);
    expect(borderColour({ data, width: 3, height: 3, channels: 1, page: null })).toEqual([10]);
  });
});
