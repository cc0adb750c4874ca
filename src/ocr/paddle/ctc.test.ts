import { describe, expect, it } from 'vitest';
import { allowedMask, ctcGreedyDecode, isLatinTextChar, parseCharset } from './ctc.js';

// Classes: 0 blank, 1 'a', 2 'b', 3 space (parseCharset appends the space class).
const charset = parseCharset('a\nb\n');
const C = 4;

/** [T, C] probabilities from rows written as { class: p } (unlisted classes share the rest). */
function probs(rows: Record<number, number>[]): Float32Array {
  const out = new Float32Array(rows.length * C);
  rows.forEach((row, t) => {
    const listed = Object.values(row).reduce((a, b) => a + b, 0);
    const unlisted = C - Object.keys(row).length;
    for (let c = 0; c < C; c++) out[t * C + c] = row[c] ?? (1 - listed) / unlisted;
  });
  return out;
}

describe('parseCharset', () => {
  it.each([
    ['a\nb\n', ['', 'a', 'b', ' ']],
    ['a\r\nb', ['', 'a', 'b', ' ']],
    ['x', ['', 'x', ' ']],
  ])('%j → %j', (text, chars) => {
    expect(parseCharset(text).chars).toEqual(chars);
  });

  it('rejects an empty dictionary', () => {
    expect(() => parseCharset('')).toThrow('Expected a non-empty recogniser dictionary, got 0 entries');
  });
});

describe('ctcGreedyDecode', () => {
  it('merges repeats, drops blanks, keeps a repeat split by a blank; confidence = mean of first-step maxima', () => {
    const p = probs([{ 1: 0.9 }, { 1: 0.8 }, { 0: 0.7 }, { 1: 0.6 }, { 2: 0.5 }]);
    const r = ctcGreedyDecode(p, 5, C, charset);
    expect(r.text).toBe('aab');
    expect(r.charConfidences.map((x) => +x.toFixed(4))).toEqual([0.9, 0.6, 0.5]);
    expect(r.confidence).toBeCloseTo((0.9 + 0.6 + 0.5) / 3, 6);
    expect(r.foreignRatio).toBe(0);
  });

  it('returns empty text and confidence 0 for all-blank input', () => {
    const r = ctcGreedyDecode(probs([{ 0: 0.9 }, { 0: 0.95 }]), 2, C, charset);
    expect(r).toEqual({ text: '', confidence: 0, charConfidences: [], foreignRatio: 0 });
  });

  it('takes the best allowed class when the winner is masked out, and counts it as foreign', () => {
    const allowed = Uint8Array.from([1, 1, 0, 1]); // 'b' not allowed
    const p = probs([{ 1: 0.9 }, { 0: 0.6 }, { 2: 0.55, 1: 0.3, 0: 0.1 }]);
    const r = ctcGreedyDecode(p, 3, C, charset, { allowed });
    expect(r.text).toBe('aa');
    expect(r.charConfidences.map((x) => +x.toFixed(4))).toEqual([0.9, 0.3]);
    expect(r.foreignRatio).toBeCloseTo(1 / 2, 6);
  });

  it.each([
    [0.02, 'a b'],
    [0.05, 'a b'],
    [0.1, 'ab'],
    [undefined, 'ab'],
  ])('a blank gap with space probability 0.05 becomes a space at threshold %s → %j', (spaceThreshold, text) => {
    const p = probs([{ 1: 0.9 }, { 0: 0.9, 3: 0.05 }, { 2: 0.9 }]);
    expect(ctcGreedyDecode(p, 3, C, charset, { spaceThreshold }).text).toBe(text);
  });

  it('never adds a space before the first character or doubles an emitted one', () => {
    const p = probs([{ 0: 0.9, 3: 0.05 }, { 1: 0.9 }, { 3: 0.9 }, { 0: 0.9, 3: 0.05 }, { 2: 0.9 }]);
    expect(ctcGreedyDecode(p, 5, C, charset, { spaceThreshold: 0.02 }).text).toBe('a b');
  });

  it.each([
    [5, 'Expected 4 classes to match the charset, got 5'],
    [3, 'Expected 4 classes to match the charset, got 3'],
  ])('rejects %i classes', (classes, message) => {
    expect(() => ctcGreedyDecode(new Float32Array(20), 4, classes, charset)).toThrow(message);
  });

  it('rejects too few probabilities', () => {
    expect(() => ctcGreedyDecode(new Float32Array(8), 5, C, charset)).toThrow('Expected at least 20 probabilities for [5, 4], got 8');
  });
});

describe('allowedMask / isLatinTextChar', () => {
  it.each([
    ['A', true], ['z', true], ['7', true], [' ', true], ['%', true], ['é', true], ['£', true], ['৳', true], ['€', true],
    ['中', false], ['，', false], ['Ａ', false], ['ab', false],
  ])('%j → %s', (ch, ok) => {
    expect(isLatinTextChar(ch)).toBe(ok);
  });

  it('always allows the blank', () => {
    const cs = parseCharset('中\na\n');
    expect([...allowedMask(cs, isLatinTextChar)]).toEqual([1, 0, 1, 1]);
  });
});
