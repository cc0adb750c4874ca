/**
 * `--redact`: recognises text lines that look like personal data, so that they are left out of a
 * retraining set. Deliberately cautious: a line is dropped when it holds an e-mail address, a
 * payment-card number (14-19 digits with a card-network prefix, passing the Luhn check — so EAN-13
 * barcodes and 13-digit IDs do not count) or a phone number (labelled, in
 * international +CC form, a Bangladeshi mobile number, or a trunk-prefixed landline like 03-5542 3228).
 * Bengali digits count as digits. Pure functions.
 */
import { toAsciiDigits } from '../core/digits.js';

export type PiiKind = 'email' | 'card' | 'phone';

/** Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
/** Issuer prefixes of card networks: Visa, Mastercard, Amex, Diners, Discover/UnionPay/RuPay, JCB, Maestro. */
const CARD_PREFIX = /^(4|5[1-5]|2[2-7]|3[47]|3[0689]|6|35|50|5[6-8])/;

/** Digit groups joined by single spaces or dashes (how card numbers are printed). */
const DIGIT_RUN = /\d(?:[ -]?\d){12,18}/g;
const PHONE_LABEL =
  /(?:\b(?:tel|telephone|phone|ph|mob|mobile|cell|hp|fax|whatsapp|contact)\b|ফোন|মোবাইল|যোগাযোগ)\s*(?:no\.?|number|#)?\s*[:.]?\s*\(?\+?\d[\d\s().-]{5,}\d/iu;
const INTERNATIONAL = /(?:^|[^\w+])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?!\d)/u;
/** Bangladeshi mobile numbers: 01[3-9] + 8 digits, optionally +88 / 88 in front, with spaces or dashes. */
const BD_MOBILE = /(?<!\d)(?:\+?88[\s-]?)?01[3-9](?:[\s-]?\d){8}(?!\d)/u;
/** Landlines with a trunk prefix: 0 + 1-3 digit area code, a separator, then 6-8 digits (03-55423228, (02) 9876543). */
const LANDLINE = /(?<![\d.,/-])\(?0[1-9]\d{0,2}\)?[\s-]\s?\d{3,4}[\s-]?\d{3,4}(?![\d.,/-])/u;

/** The kinds of personal data a line seems to contain (empty when none). */
export function detectPii(text: string): PiiKind[] {
  const t = toAsciiDigits(text.normalize('NFKC'));
  const kinds: PiiKind[] = [];
  if (EMAIL.test(t)) kinds.push('email');
  for (const m of t.matchAll(DIGIT_RUN)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length >= 14 && digits.length <= 19 && CARD_PREFIX.test(digits) && luhnValid(digits)) {
      kinds.push('card');
      break;
    }
  }
  if (PHONE_LABEL.test(t) || INTERNATIONAL.test(t) || BD_MOBILE.test(t) || LANDLINE.test(t)) kinds.push('phone');
  return kinds;
}
