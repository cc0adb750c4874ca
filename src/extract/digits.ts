/**
 * Digit and text normalisation shared by every extractor.
 *
 * OCR of Bangladeshi labels mixes scripts: Bengali digits (০-৯), the taka sign ৳, Bengali words for units and
 * months, next to ASCII. Everything downstream works on ASCII digits, so every extractor first runs
 * {@link normalizeText}; offsets into the normalised string stay 1:1 with the input (each replacement is one UTF-16
 * unit for one unit), so a match can be reported with its raw text.
 */
import { NON_ASCII_DIGIT, foldDigit } from '../core/digits.js';

/** Single-unit punctuation look-alikes folded to ASCII (same length, so offsets are kept). */
const PUNCT: Readonly<Record<string, string>> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\uff0d': '-',
  '\u00a0': ' ', '\u2007': ' ', '\u2009': ' ', '\u202f': ' ', '\u3000': ' ', '\t': ' ',
  '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"',
  '\uff0c': ',', '\uff0e': '.', '\uff1a': ':', '\uff0f': '/', '\u2044': '/', '\u00d7': 'x',
  '\u066b': '.', // Arabic decimal separator
  '\u066c': ',', // Arabic thousands separator
};

/** Digits and punctuation look-alikes to ASCII. */
function foldChar(ch: string): string {
  const d = foldDigit(ch);
  return d !== ch ? d : PUNCT[ch] ?? ch;
}

/** Every character normalizeText changes (one UTF-16 unit each). */
const FOLDABLE_G = new RegExp(`[${NON_ASCII_DIGIT.source.slice(1, -1)}${Object.keys(PUNCT).map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`, 'g');

/**
 * Normalises OCR text for matching: NFC, ASCII digits, ASCII dashes/spaces/quotes/colons.
 * Length-preserving after NFC (the caller keeps the NFC string as the "raw" source for offsets).
 */
export function normalizeText(s: string): string {
  return s.normalize('NFC').replace(FOLDABLE_G, foldChar);
}

/**
 * Text for keyword matching only: digits that OCR put inside a word become the letters they resemble
 * ("INV0ICE" → "INVOICE", "T0TAL" → "TOTAL", "SUBT0TAL"). Length-preserving; values are still read from the
 * original text at the same offsets.
 */
export function keywordText(s: string): string {
  return s.replace(/(?<=\p{L})[01](?=\p{L})/gu, (d) => (d === '0' ? 'O' : 'I'));
}

/**
 * Text to print as a name or address: zeros and ones that OCR put between letters become the letters they resemble
 * ("L0T" → "LOT", "FL00R" → "FLOOR", "R0ad" → "Road", "N0. 3" → "NO. 3"). Codes with digits at their edges ("A1", "U13") are kept.
 */
export function lettersForDigits(s: string): string {
  return s
    .replace(/(?<=\p{Lu})[01]+(?=\p{Lu})/gu, (d) => d.replace(/0/g, 'O').replace(/1/g, 'I'))
    .replace(/(?<=\p{Lu})0(?=\p{Ll}{2})/gu, 'o')
    .replace(/(?<![\p{L}\p{N}])N0(?=\s?[.:#]|\s?\d)/gu, 'NO');
}

/** Collapses runs of whitespace and trims. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** True when the string contains Bengali script letters (U+0980-U+09FF, digits excluded). */
export function hasBengali(s: string): boolean {
  return /[\u0980-\u09e5\u09f0-\u09ff]/.test(s);
}

/** Share of letters (any script) among the non-space characters; 0 for an empty string. */
export function letterRatio(s: string): number {
  const chars = s.replace(/\s+/g, '').length;
  if (chars === 0) return 0;
  return (s.match(/[\p{L}\p{M}]/gu)?.length ?? 0) / chars;
}

/** Share of digits among the non-space characters; 0 for an empty string. */
export function digitRatio(s: string): number {
  const chars = s.replace(/\s+/g, '').length;
  if (chars === 0) return 0;
  return (s.match(/\d/g)?.length ?? 0) / chars;
}
