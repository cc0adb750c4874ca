/**
 * Money amounts in OCR text: separators (1,250.00 · 1.250,00 · Indian 1,25,000 · Swiss 1'250.00), currency
 * before or after (৳ 450, 450 Tk, Tk. 450/-, RM39.00, 12,50 €), negatives (-0.01, (5.00)), Bengali digits.
 * Numbers that are something else — percentages, quantities with units, dates, times, phone numbers, IDs —
 * are not amounts.
 */
import { normalizeText } from './digits.js';
import { CURRENCY_ALT, currencyOf } from './currency.js';
import { UNIT_ALT } from './quantity.js';

/** Which character separates decimals; 'auto' decides per number (and per document in {@link decimalStyle}). */
export type DecimalMark = '.' | ',' | 'auto';

/** Longest run of integer digits that can still be money (larger runs are IDs, phone numbers, barcodes). */
const MAX_INTEGER_DIGITS = 9;

/**
 * Parses the numeric part of an amount ("1,250.00", "1.250,00", "1,25,000", "12,50", ".50", "450/-").
 * Returns null when the string is not a well-formed number.
 * @param decimal - decimal mark of the document; 'auto' (default) reads the last separator followed by one or
 *   two digits as decimal, three digits as thousands (so "1,250" is 1250 and "1.250" is 1250 too).
 * @example parseAmount('1,25,000') // 125000
 * @example parseAmount('1.250,00') // 1250
 */
export function parseAmount(input: string, decimal: DecimalMark = 'auto'): number | null {
  let s = normalizeText(input).trim().replace(/['\u2019]/g, '');
  s = s.replace(/(?:\/-|\.-|=-?|\/=|-)$/, ''); // Tk 450/-  450.-  450=  450/=
  if (/^[.,]\d{1,2}$/.test(s)) return Number(`0.${s.slice(1)}`);
  if (!/^\d[\d.,]*$/.test(s) || /[.,]{2}/.test(s) || /[.,]$/.test(s)) return null;
  const seps = s.replace(/\d/g, '');
  // Runs of digits with two or more leading zeros are codes ("000849813504"), not amounts.
  if (seps.length === 0) return s.length <= MAX_INTEGER_DIGITS && !/^0{2,}\d/.test(s) ? Number(s) : null;
  const last = seps[seps.length - 1];
  const lastIdx = s.lastIndexOf(last);
  const after = s.length - lastIdx - 1;
  const mixed = seps.includes('.') && seps.includes(',');
  let decimalMark: string | null;
  if (mixed) decimalMark = last;
  else if (seps.length > 1) decimalMark = null; // 1,250,000 or 1.250.000 (a repeated mark is never decimal)
  else if (decimal !== 'auto') decimalMark = last === decimal ? last : null;
  else decimalMark = after === 3 ? null : last;
  if (decimalMark && decimal !== 'auto' && decimalMark !== decimal && mixed) return null;
  let intPart = s;
  let frac = '';
  if (decimalMark) {
    intPart = s.slice(0, lastIdx);
    frac = s.slice(lastIdx + 1);
    if (frac.length < 1 || frac.length > 3) return null;
  }
  const thousands = intPart.replace(/\d/g, '');
  if (thousands.length > 0) {
    if (new Set(thousands).size > 1 || thousands[0] === decimalMark) return null;
    const groups = intPart.split(thousands[0]);
    // Western groups of three or Indian lakh/crore groups (…,2-digit,2-digit,3-digit).
    const head = groups[0];
    const tail = groups.slice(1);
    if (head.length < 1 || head.length > 3) return null;
    const western = tail.every((g) => g.length === 3);
    const indian = tail.length >= 2 && tail[tail.length - 1].length === 3 && tail.slice(0, -1).every((g) => g.length === 2);
    if (!western && !indian) return null;
  }
  const digits = intPart.replace(/[.,]/g, '');
  if (digits.length > MAX_INTEGER_DIGITS) return null;
  return Number(frac ? `${digits}.${frac}` : digits);
}

/** One amount found in a text. Offsets index the (NFC) input string. */
export interface MoneyMatch {
  value: number;
  /** ISO code when a currency is printed beside the number. */
  currency: string | null;
  /** Certainty of the currency reading (1 explicit code; lower for `$`, `Rs`). */
  currencyCertainty: number;
  raw: string;
  start: number;
  end: number;
  /** Digits after the decimal mark (0 for "450" or "450/-"). */
  decimals: number;
  negative: boolean;
}

const NUMBER = String.raw`\d{1,3}(?:[,.']\d{2,3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,3})?|[.,]\d{2}`;
const MONEY_RE = new RegExp(
  String.raw`(?<pre>(?:${CURRENCY_ALT})\s?:?\s*)?(?<sign>[-(]\s?)?(?<pre2>(?:${CURRENCY_ALT})\s?)?` +
    String.raw`(?<num>${NUMBER})(?<tail>\/-|\/=|\.-|=(?!\d)|\)|-(?!\d))?(?<post>\s?(?:${CURRENCY_ALT})(?!\s?[-(]?\d))?`,
  'g',
);
/** Characters looked at after a number (units, %, letters): enough for any unit word. */
const LOOK = 24;
const UNIT_AFTER = new RegExp(String.raw`^\s?(?:${UNIT_ALT})(?![\p{L}])`, 'u');

export interface FindAmountOptions {
  /** The document's decimal mark (see {@link decimalStyle}); 'auto' by default. */
  decimal?: DecimalMark;
  /** Spans [start, end) already read as something else (dates, times): numbers inside them are skipped. */
  exclude?: ReadonlyArray<readonly [number, number]>;
}

/** Every amount in `text`, left to right. */
export function findAmounts(text: string, opts: FindAmountOptions = {}): MoneyMatch[] {
  const decimal = opts.decimal ?? 'auto';
  const exclude = opts.exclude ?? [];
  const src = text.normalize('NFC');
  const { text: s, shifted } = repairOcrNumbers(normalizeText(src));
  const out: MoneyMatch[] = [];
  if (!/\d/.test(s)) return out;
  const re = MONEY_RE; // shared and reset: compiling this pattern per call costs more than scanning a row
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const g = { ...(m.groups ?? {}) } as Record<string, string | undefined> & { num: string };
    const start = m.index;
    let end = start + m[0].length;
    if ((g.pre || g.pre2) && g.post) {
      // "$ 112.90 $ 16.94": the second symbol belongs to the next amount.
      end -= g.post.length;
      g.post = undefined;
      re.lastIndex = end;
    }
    const numStart = start + (g.pre?.length ?? 0) + (g.sign?.length ?? 0) + (g.pre2?.length ?? 0);
    const numEnd = numStart + g.num.length;
    if (exclude.some(([a, b]) => numStart < b && a < numEnd)) continue;
    const before = s.slice(Math.max(0, numStart - 2), numStart);
    const after = s.slice(numEnd, numEnd + LOOK); // bounded look-ahead keeps long rows linear
    // Glued to letters or other digits: part of a code ("E8318", "BAT0220"), a date or a time.
    if (!g.pre && !g.pre2 && /[\p{L}_]$/u.test(before)) continue;
    if (/^[\p{L}_]/u.test(after) && !g.post && !UNIT_AFTER.test(after)) continue;
    if (/[\/:#]$/.test(before) && !g.pre && !g.pre2) continue;
    if (/^(?:[\/:]\d|[-.,]\d{1,4}[-\/.]\d)/.test(after) && !g.tail) continue; // 12/03/2018, 12:31, 23-01-2019
    if (/\d[-.]$/.test(s.slice(Math.max(0, numStart - 2), numStart)) && !g.sign) continue; // second half of "23-01-…" or "1.2.3"
    if (g.sign && /[\p{L}\p{N}]$/u.test(s.slice(Math.max(0, start - 1), start))) continue; // "2019-01", "SW-204518": a hyphen, not a minus
    if (/^\s?%/.test(after)) continue;
    // 500 g, 2 kg, 6 pcs; but "80.91 G" is an amount with a one-letter tax code after it.
    const letterAfter = /^\s?\p{L}/u.test(after);
    if (letterAfter && UNIT_AFTER.test(after) && !(/^\s\p{Lu}(?!\p{L})/u.test(after) && /[.,]\d{2}$/.test(g.num))) continue;
    const bare = !g.pre && !g.pre2 && !g.post && !/[.,]/.test(g.num);
    if (bare && /^\s?[xX×*@](?!\w)/.test(after)) continue; // "2 x" quantity
    if (bare && /^\s\p{L}{3,}/u.test(after)) continue; // "1 Night", "3 ITEMS": a count before a word
    // "7,601" where the document's decimal mark is ",": two decimals and a glued tax-class digit ("7,60 1"). (With
    // a decimal point, three decimals are house numbers and weights: "NO 122.124 JALAN", "1.250 kg".)
    const glued = decimal === ',' && !g.tail && !g.post && /^(?:\s|$)/.test(s.slice(numEnd, numEnd + 1))
      && /^\d+,\d{3}$/.test(g.num);
    if (glued) {
      g.num = g.num.slice(0, -1);
      end = numStart + g.num.length;
      re.lastIndex = end + 1; // the glued digit is not an amount of its own
    }
    const value = parseAmount(g.num + (g.tail && g.tail !== ')' ? g.tail : ''), decimal);
    if (value === null) continue;
    const curToken = (g.pre ?? g.pre2 ?? g.post ?? '').replace(/[\s:]/g, '');
    const cur = curToken ? currencyOf(curToken) : null;
    const negative = Boolean(g.sign && (g.sign.trim() === '-' || (g.sign.trim() === '(' && g.tail === ')')));
    const dm = /[.,](\d{1,3})$/.exec(g.num);
    const decimals = dm && !(decimal === 'auto' && dm[1].length === 3) && (decimal === 'auto' || g.num[g.num.length - dm[1].length - 1] === decimal)
      ? dm[1].length : 0;
    out.push({
      value: negative ? -value : value,
      currency: cur?.code ?? null,
      currencyCertainty: cur?.certainty ?? 0,
      raw: src.slice(start, end + shifted.filter((p) => p >= start && p < end).length).trim(),
      start,
      end,
      decimals,
      negative,
    });
  }
  return out;
}

/** "64. 15" (a space after the decimal point): the digits are moved left and the space to the end. */
const SPACED_DECIMAL = /(\d)\. (\d{2})(?![\d.,])/g;
/** "RM 64 13" (the point read as a space) right after a currency, at the end of the text. */
const SPACE_FOR_POINT = new RegExp(String.raw`((?:${CURRENCY_ALT})\s?\d{1,4}) (\d{2})(?=\s*$|\s+[^\d\s.,])`, 'g');
/** "RM.34.80": a stray point between the currency and an amount that has its own decimal point. */
const DOT_AFTER_CURRENCY = new RegExp(String.raw`((?:${CURRENCY_ALT}))\.(?=\d+[.,]\d{2}(?!\d))`, 'g');
/** "1 249,00 €", "EUR 1 249,00": a space as the thousands separator, trusted only next to a currency. */
const SPACE_THOUSANDS_AFTER = new RegExp(String.raw`(?<![\d.,'])(?<!\d )(\d{1,3}) (?=\d{3}[.,]\d{2}(?!\d)\s?(?:${CURRENCY_ALT}))`, 'g');
const SPACE_THOUSANDS_BEFORE = new RegExp(String.raw`((?:${CURRENCY_ALT})\s?\d{1,3}) (?=\d{3}[.,]\d{2}(?![\d]))`, 'g');
/** "S8.20": a dollar sign read as S, glued to an amount with cents. */
const S_FOR_DOLLAR = /(^|[\s:(])S(?=\d+\.\d{2}(?!\d))/g;

/**
 * Undoes common OCR slips in amounts without changing the text length (offsets stay valid): "64. 15" → "64.15 ",
 * "1 249,00 €" → "1'249,00 €" (a space thousands separator), "RM 64 13" → "RM 64.13", "S8.20" → "$8.20", "RM.34.80" → "RM 34.80". `shifted` lists the positions where a space was moved to later.
 */
function repairOcrNumbers(s: string): { text: string; shifted: number[] } {
  const shifted: number[] = [];
  let t = s.replace(SPACED_DECIMAL, (m, a: string, b: string, off: number) => {
    shifted.push(off + 1);
    return `${a}.${b} `;
  });
  t = t.replace(SPACE_THOUSANDS_AFTER, "$1'").replace(SPACE_THOUSANDS_BEFORE, "$1'");
  t = t.replace(SPACE_FOR_POINT, '$1.$2');
  t = t.replace(S_FOR_DOLLAR, '$1$$');
  t = t.replace(DOT_AFTER_CURRENCY, '$1 ');
  return { text: t, shifted };
}

/**
 * The decimal mark a document uses: ',' when amounts like "12,50" clearly outnumber "12.50", else '.'.
 * European invoices ("1.250,00 €") need ',' so that "1.250" is not read as 1.25.
 */
export function decimalStyle(text: string): '.' | ',' {
  const s = normalizeText(text);
  const comma = (s.match(/\d,\d{2}(?!\d)/g) ?? []).length + 2 * (s.match(/\d\.\d{3},\d{2}(?!\d)/g) ?? []).length;
  const dot = (s.match(/\d\.\d{2}(?!\d)/g) ?? []).length + 2 * (s.match(/\d,\d{3}\.\d{2}(?!\d)/g) ?? []).length;
  return comma > dot ? ',' : '.';
}

/**
 * How much an amount looks like money on its own (0..1): a printed currency, two decimals, a sane size.
 * Used to rank unlabelled amounts and to pick the largest plausible one.
 */
export function moneyLikelihood(m: MoneyMatch): number {
  let p = 0.3;
  if (m.currency) p += 0.35 * m.currencyCertainty + 0.05;
  if (m.decimals === 2) p += 0.3;
  else if (m.decimals === 0 && m.raw.match(/\/-|\/=|\.-|=$/)) p += 0.25;
  if (Math.abs(m.value) >= 1e7) p -= 0.3;
  // A long bare integer among priced lines is more often a code or a mangled reading than an amount.
  else if (m.decimals === 0 && !m.currency && Math.abs(m.value) >= 10_000 && !/[,.']/.test(m.raw)) p -= 0.2;
  return Math.max(0, Math.min(1, p));
}
