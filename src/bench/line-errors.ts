/**
 * Which recognised lines of a page item are the worst: each line is matched against the best-fitting stretch of the
 * page's reference text (approximate substring matching, so reading order and line breaks of the labels do not
 * matter), and the lines needing the most edits win. The HTML report crops those lines instead of showing the page.
 * Pure.
 */
import type { Box } from '../core/types.js';
import { charTokens, type TextCompareOptions } from './metrics.js';

export interface WorstLine {
  text: string;
  /** In the item's first image's pixels (as in the record). */
  box: Box;
  /** Character edits between the line and its best match in the reference. */
  errors: number;
}

/** Longest line compared (tokens): a runaway "line" is cut, so one item stays at most this × reference cells. */
const MAX_LINE_TOKENS = 400;

/**
 * Fewest edits turning `pattern` into some contiguous part of `text` (start and end in `text` are free).
 * O(|pattern|·|text|) time, O(|text|) memory.
 */
export function substringDistance(pattern: readonly string[], text: readonly string[]): number {
  let prev = new Uint32Array(text.length + 1); // row 0: an empty pattern matches anywhere for free
  let cur = new Uint32Array(text.length + 1);
  for (let i = 1; i <= pattern.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= text.length; j++) {
      const sub = prev[j - 1]! + (pattern[i - 1] === text[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  let best = pattern.length;
  for (const v of prev) if (v < best) best = v;
  return best;
}

/** The `max` lines with the most edits against `ref` (ties: the longer line first); lines without errors are left out. */
export function worstLines(lines: ReadonlyArray<{ text: string; box: Box }>, ref: string, compare: TextCompareOptions, max = 3): WorstLine[] {
  const refTokens = charTokens(ref, compare);
  return lines
    .map((l) => {
      const tokens = charTokens(l.text, compare).slice(0, MAX_LINE_TOKENS);
      return { text: l.text, box: l.box, errors: tokens.length ? substringDistance(tokens, refTokens) : 0, length: tokens.length };
    })
    .filter((l) => l.errors > 0)
    .sort((a, b) => b.errors - a.errors || b.length - a.length)
    .slice(0, max)
    .map(({ text, box, errors }) => ({ text, box, errors }));
}
