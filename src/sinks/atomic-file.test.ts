import { describe, expect, it } from 'vitest';
import { comparePaths } from './atomic-file.js';

describe('comparePaths (walk order of record paths)', () => {
  it.each<[string, string, number]>([
    ['in/a.png', 'in/b.png', -1],
    ['in/b.png', 'in/a.png', 1],
    ['in/a.png', 'in/a.png', 0],
    ['in/A.png', 'in/a.png', -1], // code-unit order, like the walker's sort
    ['in/img10.png', 'in/img2.png', -1], // not a natural sort
    ['in/a/z.png', 'in/a.png', -1], // folder "a" sorts before file "a.png", and its files come first
    ['in/a.png', 'in/a/z.png', 1],
    ['in/sub/deeper/y.png', 'in/sub/z.png', -1],
    ['in\\sub\\x.png', 'in/sub/y.png', -1], // Windows separators
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(comparePaths(a, b))).toBe(sign);
  });

  it('sorts a folder listing exactly as the walker yields it', () => {
    const walked = ['shop/A-upper.jpg', 'shop/a.jpg', 'shop/aa/c.webp', 'shop/b.png', 'shop/sub/deeper/y.tiff', 'shop/sub/z.png'];
    expect([...walked].reverse().sort(comparePaths)).toEqual(walked);
  });
});
