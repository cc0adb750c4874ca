import { describe, expect, it } from 'vitest';
import { inHalf, splitHalf } from './split.js';

describe('splitHalf', () => {
  it.each([
    ['003.jpg'], ['img/003.jpg'], ['/data/sroie/img/003.jpg'],
  ])('%s: the half depends on the base name only', (f) => {
    expect(splitHalf(f)).toBe(splitHalf('003.jpg'));
  });

  it('splits a set of names roughly in half, the same way every time', () => {
    const names = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(6, '0')}.png`);
    const dev = names.filter((n) => splitHalf(n) === 'dev').length;
    expect(dev).toBeGreaterThan(160);
    expect(dev).toBeLessThan(240);
    expect(names.map(splitHalf)).toEqual(names.map(splitHalf));
  });

  // Expected halves computed independently (python3 hashlib.sha256(name).digest()[0] % 2).
  it.each([
    ['010001.bin.png', 'check'],
    ['010002.bin.png', 'dev'],
    ['003.jpg', 'dev'],
  ])('%s → %s', (name, half) => {
    expect(splitHalf(name)).toBe(half);
  });
});

describe('inHalf', () => {
  it('keeps the items of one half in order, or all', () => {
    const items = ['010001.bin.png', '010002.bin.png', '003.jpg'].map((f) => ({ f }));
    expect(inHalf(items, 'dev', (x) => x.f).map((x) => x.f)).toEqual(['010002.bin.png', '003.jpg']);
    expect(inHalf(items, 'all', (x) => x.f)).toHaveLength(3);
  });
});
