import { describe, expect, it } from 'vitest';
import { clsCrop, orientLines } from './cls.js';

const o = (...p: number[]) => p.map((p180) => ({ p180 }));

describe('orientLines', () => {
  it.each([
    [o(), false, []],
    [o(0.99), true, [false]],
    [o(0.6), false, [true]],
    [o(0.3), false, [true]],
    [o(0.02), false, [false]],
    [o(0.95, 0.92, 0.02), true, [false, false, true]],
    [o(0.95, 0.02, 0.01), false, [true, false, false]],
    [o(0.95, 0.5, 0.3), true, [false, false, true]],
    [o(0.95, 0.03, 0.7, 0.3), false, [true, false, true, false]],
  ])('%j → upside down %s, unsure %j', (orients, upsideDown, unsure) => {
    expect(orientLines(orients, 0.9)).toEqual({ upsideDown, unsure });
  });
});

describe('clsCrop', () => {
  it('squeezes wide crops to 192 columns and keeps narrow ones', () => {
    const wide = { data: new Uint8Array(400 * 48 * 3), width: 400, height: 48 };
    const narrow = { data: new Uint8Array(100 * 48 * 3), width: 100, height: 48 };
    expect(clsCrop(wide).width).toBe(192);
    expect(clsCrop(narrow)).toBe(narrow);
  });

  it('rejects a crop of the wrong height', () => {
    expect(() => clsCrop({ data: new Uint8Array(30), width: 10, height: 1 })).toThrow('Expected a 48-row crop for the classifier, got 1');
  });
});
