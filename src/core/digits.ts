/**
 * Decimal digits of other scripts. Bangladeshi labels, receipts and catalogs mix Bengali digits (০-৯) with ASCII;
 * every stage that reads numbers (extraction, barcodes, catalogs, PII checks, review sheets, bench scoring) folds
 * them here first.
 */

/** First code point of each decimal-digit block mapped to ASCII 0-9. */
const DIGIT_BLOCKS: readonly number[] = [
  0x09e6, // Bengali ০-৯
  0x0966, // Devanagari ०-९
  0x0660, // Arabic-Indic ٠-٩
  0x06f0, // Extended Arabic-Indic ۰-۹
  0xff10, // Fullwidth ０-９
];

/** One character of any of the digit blocks above (not ASCII). */
export const NON_ASCII_DIGIT = /[\u09e6-\u09ef\u0966-\u096f\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/;
const NON_ASCII_DIGIT_G = new RegExp(NON_ASCII_DIGIT.source, 'g');

/** Maps one UTF-16 unit to its ASCII digit, or returns it unchanged. */
export function foldDigit(ch: string): string {
  const cp = ch.charCodeAt(0);
  for (const base of DIGIT_BLOCKS) {
    if (cp >= base && cp <= base + 9) return String.fromCharCode(48 + cp - base);
  }
  return ch;
}

/**
 * Replaces Bengali, Devanagari, Arabic-Indic and fullwidth digits with ASCII digits. Length-preserving. Pure.
 * @example toAsciiDigits('৳ ১২৫.৫০') // '৳ 125.50'
 */
export function toAsciiDigits(s: string): string {
  return NON_ASCII_DIGIT.test(s) ? s.replace(NON_ASCII_DIGIT_G, foldDigit) : s;
}
