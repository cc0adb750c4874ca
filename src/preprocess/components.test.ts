import { describe, expect, it } from 'vitest';
import { findComponents } from './components.js';

function mask(rows: string[]) {
  const width = rows[0].length;
  const data = Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0));
  return { data, width, height: rows.length };
}

describe('findComponents (8-connected)', () => {
  it.each<[string, string[], number, number[]]>([
    ['empty', ['....', '....'], 0, []],
    ['one blob', ['.##.', '.##.'], 1, [4]],
    ['diagonal touch joins', ['#...', '.#..', '..#.'], 1, [3]],
    ['a gap separates', ['#.#', '#.#'], 2, [2, 2]],
    ['U shape merges late', ['#.#', '#.#', '###'], 1, [7]],
    ['nested ring and dot', ['#####', '#...#', '#.#.#', '#...#', '#####'], 2, [16, 1]],
  ])('%s', (_n, rows, count, areas) => {
    const c = findComponents(mask(rows));
    expect(c.count).toBe(count);
    expect(Array.from(c.area).sort((a, b) => b - a)).toEqual(areas);
  });

  it('gives exclusive bounding boxes', () => {
    const c = findComponents(mask(['......', '..##..', '..#...', '......']));
    expect([c.x0[0], c.y0[0], c.x1[0], c.y1[0]]).toEqual([2, 1, 4, 3]);
  });
});
