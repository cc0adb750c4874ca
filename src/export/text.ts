/**
 * Label text for retraining sets: normalised so that every layout can store it on one line,
 * and classified by script for the `--script` filter. Pure functions.
 */

/** Control characters (C0/C1, incl. tab and newlines) and zero-width/BOM characters that labels must not carry. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b\ufeff\u2028\u2029]/gu;
const SPACE_RUN = /\s+/gu;

/**
 * A label as the layouts store it: Unicode NFC, control characters turned into spaces, runs of
 * whitespace collapsed to one space, trimmed. ZWJ/ZWNJ stay (they change Bengali conjunct shapes).
 * Digits are NOT normalised: a model must learn the glyphs that were printed (০-৯ stay Bengali).
 */
export function normalizeLabel(text: string): string {
  return text.normalize('NFC').replace(CONTROL, ' ').replace(SPACE_RUN, ' ').trim();
}

export const SCRIPTS = ['latin', 'bengali', 'mixed', 'common'] as const;
/** latin: Latin letters only; bengali: Bengali-script letters only; mixed: both; common: neither (digits, punctuation). */
export type Script = (typeof SCRIPTS)[number];

const BENGALI = /[\u0980-\u09ff]/u;
const LATIN = /\p{Script=Latin}/u;

/** The writing system of a label (Bengali digits and the taka sign ৳ count as Bengali script). */
export function scriptOf(text: string): Script {
  const ben = BENGALI.test(text);
  const lat = LATIN.test(text);
  if (ben && lat) return 'mixed';
  if (ben) return 'bengali';
  if (lat) return 'latin';
  return 'common';
}

/** The distinct characters (code points) of the labels, sorted by code point. */
export function charset(labels: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const l of labels) for (const ch of l) set.add(ch);
  return [...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}
