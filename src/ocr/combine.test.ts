import { describe, expect, it } from 'vitest';
import { alignChars, combineReadings, type CharReading } from './combine.js';

/** A reading with one confidence for every character, and `low` for the characters at `weak` positions. */
const read = (text: string, c = 0.99, weak: number[] = [], low = 0.5): CharReading => ({
  text, confidence: c, charConfidences: [...text].map((_, i) => (weak.includes(i) ? low : c)),
});

describe('alignChars', () => {
  it.each([
    ['abc', 'abc', [[0, 0], [1, 1], [2, 2]]],
    ['abc', 'ac', [[0, 0], [1, null], [2, 1]]],
    ['ac', 'abc', [[0, 0], [null, 1], [1, 2]]],
    ['', 'ab', [[null, 0], [null, 1]]],
  ])('%j / %j', (a, b, ops) => {
    expect(alignChars(a, b)).toEqual(ops);
  });
});

describe('combineReadings', () => {
  // Slips seen on UW-III lines: the weaker engine's character loses to the surer one's.
  it.each([
    ['base keeps its sure letters', read('also lists', 0.99), read('aiso lists', 0.99, [1], 0.6), 'also lists'],
    ['the other engine fixes a weak base letter', read('efficient', 0.99, [0], 0.86), read('Efficient', 1), 'Efficient'],
    ['a tie keeps the base', read('1974).', 0.91), read('1974].', 0.92), '1974).'],
    ['a stray mark only one engine saw follows the base', read('even', 0.98), read(': even', 0.98, [0], 0.48), 'even'],
    ['the base keeps its own spaces by default', read('rit hms:', 0.98), read('rithms:', 0.97), 'rit hms:'],
    ['a final full stop only the other engine read surely is added', read('lenges', 0.99), read('lenges.', 0.93), 'lenges.'],
    ['… but not an unsure one', read('lenges', 0.99), read('lenges.', 0.93, [6], 0.6), 'lenges'],
    ['… nor a mark inside the line', read('ab cd', 0.99), read('ab, cd', 0.95), 'ab cd'],
  ])('%s', (_name, base, other, text) => {
    expect(combineReadings(base, other).text).toBe(text);
  });

  it("takes the other engine's word spaces when asked", () => {
    expect(combineReadings(read('algorit hm by', 0.98), read('algorithm by', 0.96), { spaces: 'other' }).text).toBe('algorithm by');
    expect(combineReadings(read('algorithm by', 0.96), read('algorit hm by', 0.98), { spaces: 'base' }).text).toBe('algorithm by');
  });

  it('returns the base unchanged without character confidences', () => {
    const base = { text: 'abc', confidence: 0.5 };
    expect(combineReadings(base, read('abd', 1))).toBe(base);
    expect(combineReadings(read('abc', 0.5), { text: 'abd', confidence: 1 }).text).toBe('abc');
  });

  it('reports the kept characters\' confidences', () => {
    const out = combineReadings(read('efficient', 0.9, [0], 0.5), read('Efficient', 1));
    expect(out.charConfidences).toHaveLength(9);
    expect(out.charConfidences![0]).toBe(1);
    expect(out.confidence).toBeCloseTo((1 + 8 * 0.9) / 9, 6);
  });
});
