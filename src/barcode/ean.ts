/**
 * GTIN arithmetic for the retail symbologies (EAN-13, EAN-8, UPC-A, UPC-E) and GS1 keys. Pure functions.
 *
 * - Check digit: GS1 mod-10, weights 3,1,3,1… from the right (excluding the check digit itself).
 * - UPC-E is a zero-suppressed UPC-A: `expandUpcE` restores the 12-digit form, `compressUpcA` reverses it.
 * - GTIN-14 is the common key: every spelling of one trade item (UPC-A `036000291452`, EAN-13
 *   `0036000291452`, UPC-E `01234565` → `00012345000065`) maps to the same 14 digits.
 */
import { toAsciiDigits } from '../core/digits.js';
import type { BarcodeFormat } from '../core/types.js';

const DIGITS = /^\d+$/;

/**
 * The GS1 mod-10 check digit for `body` (the digits before the check digit), any length.
 * @throws TypeError when `body` is not all ASCII digits.
 */
export function gs1CheckDigit(body: string): number {
  if (!DIGITS.test(body)) throw new TypeError(`Expected digits for a GS1 check digit, got ${JSON.stringify(body)}`);
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `digits` is the right GS1 check digit (needs ≥ 2 digits). */
export function hasValidCheckDigit(digits: string): boolean {
  if (digits.length < 2 || !DIGITS.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/**
 * UPC-E (8 digits: number system 0/1, six data digits, check digit) → UPC-A (12 digits).
 * Returns null when the input is not an 8-digit UPC-E with number system 0 or 1.
 */
export function expandUpcE(upcE: string): string | null {
  if (!/^[01]\d{7}$/.test(upcE)) return null;
  const ns = upcE[0];
  const d = upcE.slice(1, 7);
  const check = upcE[7];
  const last = d[5];
  let body: string;
  if (last === '0' || last === '1' || last === '2') body = d.slice(0, 2) + last + '0000' + d.slice(2, 5);
  else if (last === '3') body = d.slice(0, 3) + '00000' + d.slice(3, 5);
  else if (last === '4') body = d.slice(0, 4) + '00000' + d[4];
  else body = d.slice(0, 5) + '0000' + last;
  return ns + body + check;
}

/**
 * UPC-A (12 digits) → UPC-E (8 digits) when the number can be zero-suppressed, else null.
 * `compressUpcA(expandUpcE(e)) === e` for every valid UPC-E.
 */
export function compressUpcA(upcA: string): string | null {
  if (!/^[01]\d{11}$/.test(upcA)) return null;
  const ns = upcA[0];
  const m = upcA.slice(1, 6); // manufacturer
  const p = upcA.slice(6, 11); // product
  const check = upcA[11];
  let d: string | null = null;
  if (/^\d\d[012]00$/.test(m) && /^00\d{3}$/.test(p)) d = m.slice(0, 2) + p.slice(2, 5) + m[2];
  else if (/^\d{3}00$/.test(m) && /^000\d\d$/.test(p)) d = m.slice(0, 3) + p.slice(3, 5) + '3';
  else if (/^\d{4}0$/.test(m) && /^0000\d$/.test(p)) d = m.slice(0, 4) + p[4] + '4';
  else if (/^\d{5}$/.test(m) && m[4] !== '0' && /^0000[5-9]$/.test(p)) d = m + p[4];
  return d === null ? null : ns + d + check;
}

/** Retail formats whose text is a GTIN with a GS1 check digit. */
export const GTIN_FORMATS: ReadonlySet<BarcodeFormat> = new Set<BarcodeFormat>(['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E']);

/** Expected text length per retail format. */
const LENGTH: Partial<Record<BarcodeFormat, number>> = { EAN_13: 13, EAN_8: 8, UPC_A: 12, UPC_E: 8 };

/**
 * Whether a retail code's check digit is right: true/false for EAN/UPC, null for formats without one
 * (their decoders verify their own checksums, or there is none).
 */
export function retailCheck(format: BarcodeFormat, text: string): boolean | null {
  const len = LENGTH[format];
  if (len === undefined) return null;
  if (text.length !== len || !DIGITS.test(text)) return false;
  if (format === 'UPC_E') {
    const a = expandUpcE(text);
    return a !== null && hasValidCheckDigit(a);
  }
  return hasValidCheckDigit(text);
}

/**
 * The GTIN-14 of a retail code (zero-padded on the left; UPC-E expanded first), or null for other formats
 * or malformed text. The check digit is not required to be right: callers look at `retailCheck`.
 */
export function retailGtin14(format: BarcodeFormat, text: string): string | null {
  const len = LENGTH[format];
  if (len === undefined || text.length !== len || !DIGITS.test(text)) return null;
  const digits = format === 'UPC_E' ? expandUpcE(text) : text;
  return digits === null ? null : digits.padStart(14, '0');
}

/**
 * Every GTIN-14 a printed number can stand for: 8, 12, 13 or 14 digits padded to 14, and for 8 digits
 * also the UPC-E expansion when that has a valid check digit (an 8-digit number may be EAN-8 or UPC-E).
 * Spaces and dashes are ignored; Bengali and other Unicode decimal digits are read as digits.
 * Returns [] when it is not a GTIN spelling.
 */
export function gtinKeys(raw: string): string[] {
  const digits = toAsciiDigits(raw).replace(/[\s-]/g, '');
  if (!DIGITS.test(digits)) return [];
  const keys: string[] = [];
  if (digits.length === 8 || digits.length === 12 || digits.length === 13 || digits.length === 14) keys.push(digits.padStart(14, '0'));
  if (digits.length === 8) {
    const a = expandUpcE(digits);
    if (a && hasValidCheckDigit(a)) keys.push(a.padStart(14, '0'));
  }
  return keys;
}
