/**
 * Quantities with units: "500 g", "1.5kg", "2 ltr", "6 x 500 ml", "12 pcs", "1 dozen", "৫০০ গ্রাম", "২ লিটার",
 * "১২ পিস", "Net Wt. 400g", "pack of 6". Units are reported in a canonical spelling (kg, g, mg, l, ml, pcs, pack,
 * dozen, m, cm, mm, oz, lb); a multipack keeps the size of one piece as `value` and the piece count as `count`.
 */
import { normalizeText } from './digits.js';

/** Printed unit spelling → canonical unit, and a factor for units folded into another (হালি = 4 pieces). */
const UNITS: ReadonlyArray<[spelling: string, unit: string, factor?: number]> = [
  ['kilograms', 'kg'], ['kilogram', 'kg'], ['kilos', 'kg'], ['kilo', 'kg'], ['kgs', 'kg'], ['kg', 'kg'],
  ['grams', 'g'], ['gram', 'g'], ['grammes', 'g'], ['gms', 'g'], ['grm', 'g'], ['gm', 'g'], ['gr', 'g'], ['g', 'g'],
  ['mg', 'mg'],
  ['litres', 'l'], ['litre', 'l'], ['liters', 'l'], ['liter', 'l'], ['ltrs', 'l'], ['ltr', 'l'], ['lt', 'l'], ['l', 'l'],
  ['ml', 'ml'], ['cl', 'cl'],
  ['pieces', 'pcs'], ['piece', 'pcs'], ['pcs', 'pcs'], ['pc', 'pcs'], ['nos', 'pcs'], ['units', 'pcs'],
  ['packets', 'pack'], ['packet', 'pack'], ['packs', 'pack'], ['pack', 'pack'], ['pkts', 'pack'], ['pkt', 'pack'],
  ['dozen', 'dozen'], ['doz', 'dozen'], ['dz', 'dozen'],
  ['cm', 'cm'], ['mm', 'mm'], ['oz', 'oz'], ['lbs', 'lb'], ['lb', 'lb'],
  // Bengali (with the abbreviations printed on loose goods and labels)
  ['কেজি', 'kg'], ['কে.জি.', 'kg'], ['কে.জি', 'kg'], ['কিলো', 'kg'], ['গ্রাম', 'g'], ['গ্রা.', 'g'], ['গ্রাঃ', 'g'],
  ['মিলিগ্রাম', 'mg'], ['লিটার', 'l'], ['লি.', 'l'], ['লিঃ', 'l'], ['মিলি', 'ml'], ['মি.লি.', 'ml'], ['মিলিলিটার', 'ml'],
  ['পিস', 'pcs'], ['পিছ', 'pcs'], ['টি', 'pcs'], ['প্যাকেট', 'pack'], ['ডজন', 'dozen'], ['হালি', 'pcs', 4],
];

/** Single letters and other short spellings that are only units when printed in this case. */
const CASE_SENSITIVE = new Set(['g', 'l', 'L', 'gr', 'lt', 'dz', 'nos', 'units', 'pc', 'gm']);
/** Spellings accepted in upper case as well (labels print "500G", "1L", "2 LTR"). */
const UPPER_OK = new Set(['g', 'l', 'gm', 'gr', 'lt', 'pc', 'nos']);

const BY_SPELLING = new Map<string, { unit: string; factor: number }>();
for (const [sp, unit, factor] of UNITS) {
  BY_SPELLING.set(sp, { unit, factor: factor ?? 1 });
  if (!CASE_SENSITIVE.has(sp) || UPPER_OK.has(sp)) BY_SPELLING.set(sp.toUpperCase(), { unit, factor: factor ?? 1 });
}
BY_SPELLING.set('L', { unit: 'l', factor: 1 });
BY_SPELLING.set('mL', { unit: 'ml', factor: 1 });

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regex alternation of every unit spelling (case-sensitive), longest first; no capture groups. */
export const UNIT_ALT: string = [...BY_SPELLING.keys()]
  .map((sp) => {
    // Case-insensitive spellings match in any case ("Kg", "KG", "Pcs").
    const ci = !CASE_SENSITIVE.has(sp) && sp === sp.toLowerCase() && /[a-z]/.test(sp);
    return { sp, src: ci ? [...sp].map((c) => (/[a-z]/.test(c) ? `[${c.toUpperCase()}${c}]` : escapeRe(c))).join('') : escapeRe(sp) };
  })
  .sort((a, b) => b.sp.length - a.sp.length)
  .map((e) => e.src)
  .join('|');

/** The canonical unit for a printed spelling, or null. */
export function unitOf(spelling: string): { unit: string; factor: number } | null {
  return BY_SPELLING.get(spelling) ?? BY_SPELLING.get(spelling.toLowerCase()) ?? null;
}

/** Letters OCR confuses inside short unit words: "po" for "pc", "0z" for "oz", "1b" for "lb", "rnl" for "ml". */
const UNIT_CONFUSIONS: ReadonlyArray<[string, string]> = [['o', 'c'], ['c', 'o'], ['0', 'o'], ['1', 'l'], ['I', 'l'], ['|', 'l'], ['rn', 'm'], ['9', 'g'], ['q', 'g']];

/**
 * The unit a short word most likely is when the context says it must be one ("Tk 55 per po"): the word itself, or
 * the word with one common OCR confusion undone. Null when no reading is a unit.
 */
export function fuzzyUnit(word: string): { unit: string; factor: number } | null {
  const direct = unitOf(word);
  if (direct) return direct;
  for (const [from, to] of UNIT_CONFUSIONS) {
    for (let i = word.indexOf(from); i >= 0; i = word.indexOf(from, i + 1)) {
      const u = unitOf(word.slice(0, i) + to + word.slice(i + from.length));
      if (u) return u;
    }
  }
  return null;
}

export interface QuantityMatch {
  /** Size of one piece (for "6 x 500 ml": 500). */
  value: number;
  unit: string;
  /** Pieces in a multipack ("6 x 500 ml": 6); absent for a single item. */
  count?: number;
  /** value × count, in `unit`. */
  total: number;
  raw: string;
  start: number;
  end: number;
  /** A net-content label ("Net Wt", "নিট ওজন", "Qty") stands before the quantity. */
  labelled: boolean;
}

const NUM = String.raw`\d+(?:[.,]\d+)?`;
const QTY_RE = new RegExp(
  String.raw`(?<![\d.,])(?:(?<count>\d{1,3})\s?[xX*]\s?)?(?<num>${NUM})\s?(?<unit>${UNIT_ALT})(?![\p{L}\p{M}\d])`,
  'gu',
);
const PACK_OF_RE = /\b(?:pack|box|set|case)\s+of\s+(\d{1,4})\b|\b(\d{1,4})[- ]?(?:pack|pk)\b/giu;
const LABEL_RE = /(?:net\s*(?:wt|weight|content|contents|vol|volume|qty|quantity|mass)\.?|\bqty\.?|\bquantity|নিট\s*ওজন|ওজন|পরিমাণ|নীট)\s*[:.=-]?\s*$/iu;

function toNumber(s: string): number {
  return Number(s.replace(',', '.'));
}

/**
 * Every quantity in `text`, left to right (multipacks as one match).
 * @example findQuantities('Net Wt. 6 x 500 ml')[0] // { value: 500, unit: 'ml', count: 6, total: 3000, … }
 */
export function findQuantities(text: string): QuantityMatch[] {
  const src = text.normalize('NFC');
  const s = normalizeText(src);
  const out: QuantityMatch[] = [];
  if (!/\d/.test(s)) return out;
  QTY_RE.lastIndex = 0;
  for (let m = QTY_RE.exec(s); m; m = QTY_RE.exec(s)) {
    const g = m.groups ?? {};
    const u = unitOf(g.unit);
    if (!u) continue;
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const size = toNumber(g.num) * u.factor;
    const count = g.count ? Number(g.count) : undefined;
    out.push({
      value: size,
      unit: u.unit,
      ...(count ? { count } : {}),
      total: round(size * (count ?? 1)),
      raw: src.slice(start, end),
      start,
      end,
      labelled: LABEL_RE.test(s.slice(Math.max(0, start - 24), start)),
    });
  }
  PACK_OF_RE.lastIndex = 0;
  for (let m = PACK_OF_RE.exec(s); m; m = PACK_OF_RE.exec(s)) {
    const start = m.index ?? 0;
    if (out.some((q) => start < q.end && q.start < start + m[0].length)) continue;
    const n = Number(m[1] ?? m[2]);
    if (!n) continue;
    out.push({ value: n, unit: 'pcs', total: n, raw: src.slice(start, start + m[0].length), start, end: start + m[0].length, labelled: false });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The first quantity in a string, or null. */
export function parseQuantity(text: string): QuantityMatch | null {
  return findQuantities(text)[0] ?? null;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
