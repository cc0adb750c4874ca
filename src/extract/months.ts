/**
 * Month names: English, Malay, French, German, Dutch (imported goods and supplier invoices) and Bengali, both the
 * Gregorian months written in Bengali script and the months of the Bengali calendar (Bangabda), which Bangladeshi
 * shops still print on cash memos. Spellings are matched after {@link normalizeText} and lower-casing.
 */

/** Gregorian month names and abbreviations (lower case, without trailing dots) → 1..12. */
const GREGORIAN: ReadonlyArray<[number, string[]]> = [
  [1, ['january', 'jan', 'januari', 'janvier', 'janv', 'januar', 'jänner', 'jaenner', 'জানুয়ারি', 'জানুয়ারী', 'জানুয়ারি', 'জানুয়ারী', 'জানু']],
  [2, ['february', 'feb', 'febr', 'februari', 'février', 'fevrier', 'févr', 'fevr', 'februar', 'ফেব্রুয়ারি', 'ফেব্রুয়ারী', 'ফেব্রুয়ারি', 'ফেব্রুয়ারী', 'ফেব্রু']],
  [3, ['march', 'mar', 'mac', 'mars', 'märz', 'maerz', 'mär', 'maart', 'mrt', 'মার্চ']],
  [4, ['april', 'apr', 'avril', 'avr', 'এপ্রিল']],
  [5, ['may', 'mei', 'mai', 'মে']],
  [6, ['june', 'jun', 'juin', 'juni', 'জুন']],
  [7, ['july', 'jul', 'julai', 'juillet', 'juil', 'juli', 'জুলাই']],
  [8, ['august', 'aug', 'ogos', 'ogo', 'août', 'aout', 'augustus', 'আগস্ট', 'আগষ্ট']],
  [9, ['september', 'sep', 'sept', 'septembre', 'সেপ্টেম্বর', 'সেপ্টে']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre', 'অক্টোবর', 'অক্টো']],
  [11, ['november', 'nov', 'novembre', 'নভেম্বর', 'নভে']],
  [12, ['december', 'dec', 'disember', 'dis', 'décembre', 'decembre', 'déc', 'dezember', 'dez', 'ডিসেম্বর', 'ডিসে']],
];

/** Bengali calendar months (Bangabda), 1 = Boishakh. */
const BANGLA: ReadonlyArray<[number, string[]]> = [
  [1, ['বৈশাখ']], [2, ['জ্যৈষ্ঠ', 'জৈষ্ঠ্য', 'জ্যেষ্ঠ']], [3, ['আষাঢ়', 'আষাঢ়']], [4, ['শ্রাবণ']], [5, ['ভাদ্র']],
  [6, ['আশ্বিন']], [7, ['কার্তিক', 'কার্ত্তিক']], [8, ['অগ্রহায়ণ', 'অগ্রহায়ণ', 'অঘ্রাণ']], [9, ['পৌষ']], [10, ['মাঘ']],
  [11, ['ফাল্গুন']], [12, ['চৈত্র']],
];

const GREG = new Map<string, number>();
for (const [n, names] of GREGORIAN) for (const s of names) GREG.set(s.normalize('NFC'), n);
const BANG = new Map<string, number>();
for (const [n, names] of BANGLA) for (const s of names) BANG.set(s.normalize('NFC'), n);

function alt(keys: Iterable<string>): string {
  return [...keys].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** Regex alternation of every Gregorian month spelling (use with the `i` and `u` flags). */
export const MONTH_ALT: string = alt(GREG.keys());
/** Regex alternation of the Bengali calendar months. */
export const BANGLA_MONTH_ALT: string = alt(BANG.keys());

/** 1..12 for a Gregorian month spelling (any case, optional trailing dot), else null. */
export function monthNumber(name: string): number | null {
  return GREG.get(name.normalize('NFC').toLowerCase().replace(/\.$/, '')) ?? null;
}

/** 1..12 for a Bengali calendar month, else null. */
export function banglaMonthNumber(name: string): number | null {
  return BANG.get(name.normalize('NFC')) ?? null;
}

/** Days per Bengali month in the Bangladesh calendar as revised in 2019 (Falgun gets 30 in Gregorian leap years). */
function banglaMonthDays(month: number, gregorianLeap: boolean): number {
  if (month <= 6) return 31;
  if (month === 11) return gregorianLeap ? 30 : 29;
  return 30;
}

/**
 * Converts a Bangladesh-calendar date (Bangabda year, month 1..12, day) to a Gregorian [y, m, d].
 * 1 Boishakh falls on 14 April of Gregorian year bengaliYear + 593. Null for a day outside the month.
 */
export function banglaToGregorian(year: number, month: number, day: number): [number, number, number] | null {
  const gy = year + 593;
  // Falgun lies in the next Gregorian year, whose February decides the leap day.
  const leap = isLeap(gy + 1);
  if (month < 1 || month > 12 || day < 1 || day > banglaMonthDays(month, leap)) return null;
  let offset = day - 1;
  for (let m = 1; m < month; m++) offset += banglaMonthDays(m, leap);
  const t = Date.UTC(gy, 3, 14) + offset * 86_400_000;
  const d = new Date(t);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in a Gregorian month. */
export function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}
