/**
 * The merchant's address: the header rows under the name, up to the first phone, tax-ID, date, title or amount
 * row. Registration numbers, a date or a second name line printed between the name and the address are stepped
 * over; a row continues the address when it reads like one (street and area words, postcodes, house numbers) or
 * carries on a comma-separated list.
 */
import type { DocContext } from './context.js';
import { lettersForDigits, squash } from './digits.js';
import { headerKind, type MerchantResult } from './merchant.js';

export interface AddressResult {
  value: string;
  rows: number[];
  prior: number;
  ocr: number;
}

/** A street name and a house number: "Am Rathaus 50", "Marktplatz 3a". */
const STREET_AND_NUMBER = /^\s*\p{L}[\p{L}\p{M}\s.'-]{2,}\s\d{1,4}\s?[a-zA-Z]?\s*$/u;
/** "Hauptstra8e", "SchillerstraBe": ß read as B or 8 in the street word. */
const STRASSE_SLIP = /(?<=stra)[B8]e(?![\p{L}])/gu;
/** Rows an address may span. */
const MAX_ROWS = 4;
/** Rows stepped over between the name and the address (registration number, a date, an owner's name). */
const MAX_SKIPPED = 2;

/** The address under the merchant's name (or, without one, the first address block of the header), or null. */
export function extractAddress(ctx: DocContext, merchant: MerchantResult | null): AddressResult | null {
  const rows = ctx.rows;
  const start = merchant && merchant.rows.length ? Math.max(...merchant.rows) + 1 : 0;
  const taken: number[] = [];
  let skipped = 0;
  for (let i = start; i < rows.length && taken.length < MAX_ROWS; i++) {
    const kind = headerKind(rows[i]);
    if (kind === 'address') {
      // "Am Rathaus 50" over "50667 Köln": a street and house number without a street word, just above.
      if (taken.length === 0 && i > start && headerKind(rows[i - 1]) === 'text' && STREET_AND_NUMBER.test(rows[i - 1].row.text)) taken.push(i - 1);
      taken.push(i);
      continue;
    }
    if (taken.length > 0) {
      const prev = rows[taken[taken.length - 1]].row.text.trim();
      if (kind === 'text' && (prev.endsWith(',') || rows[i].row.text.includes(','))) {
        taken.push(i);
        continue;
      }
      break;
    }
    if (kind === 'money' || kind === 'contact' || kind === 'greeting' || ++skipped > MAX_SKIPPED + (merchant ? 0 : 1)) break;
  }
  if (taken.length === 0) return null;
  const value = lettersForDigits(squash(taken.map((i) => rows[i].row.text).join(' ')))
    .replace(STRASSE_SLIP, 'ße')
    .replace(/[\s,;:]+$/u, '');
  if (value.replace(/[^\p{L}]/gu, '').length < 3) return null;
  return {
    value,
    rows: taken.map((i) => rows[i].row.index),
    prior: taken.length >= 2 ? 0.8 : 0.7,
    ocr: Math.min(...taken.map((i) => rows[i].row.confidence)),
  };
}
