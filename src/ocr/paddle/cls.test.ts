import { describe, expect, it } from 'vitest';
import { clsCrop, pageUpsideDown } from './cls.js';

const o = (...p: number[]) => p.map((p180) => ({ p180 }));

describe('pageUpsideDown', () => {
  it.each([
    [o(), false],
    [o(0.99), true],
    [o(0.2), false],
    [o(0.9, 0.8, 0.1), true],
    [o(0.9, 0.1), false],
    [o(0.95, 0.05, 0.4, 0.3), false],
  ])('%j → %s', (orients, upside) => {
    expect(pageUpsideDown(orients)).toBe(upside);
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
