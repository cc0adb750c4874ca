import { describe, expect, it } from 'vitest';
import type { Quad } from '../../core/types.js';
import { resolveLayout } from './engine.js';
import { uprightQuad } from './reader.js';

describe('resolveLayout', () => {
  it.each([
    [{ width: 1400, height: 54 }, undefined, 'line'],
    [{ width: 186, height: 44 }, undefined, 'line'],
    [{ width: 100, height: 44 }, undefined, 'page'],
    [{ width: 1400, height: 200 }, undefined, 'page'],
    [{ width: 900, height: 1800 }, undefined, 'page'],
    [{ width: 1400, height: 54 }, 'page', 'page'],
    [{ width: 900, height: 1800 }, 'line', 'line'],
  ] as const)('%j with layout %s → %s', (page, layout, expected) => {
    expect(resolveLayout(page, layout)).toBe(expected);
  });
});

describe('uprightQuad', () => {
  const box = (w: number, h: number): Quad => [[0, 0], [w, 0], [w, h], [0, h]];
  it('turns a tall box (vertical text) so it reads along its length', () => {
    expect(uprightQuad(box(20, 200), 20)).toEqual([[0, 200], [0, 0], [20, 0], [20, 200]]);
  });
  it('keeps a narrow single character (tall but no taller than a line) as it is', () => {
    expect(uprightQuad(box(12, 30), 25)).toEqual(box(12, 30));
  });
  it('keeps horizontal boxes', () => {
    expect(uprightQuad(box(200, 20), 20)).toEqual(box(200, 20));
  });
});
