/**
 * Field accuracy: exact and normalised match of extracted fields against labels. Pure, no I/O.
 *
 * Exact: both values as strings, NFC, trimmed, are equal ("80.90" ≠ 80.9).
 * Normalised, by the field's kind:
 * - amount   — Bengali digits → ASCII, currency marks and thousands separators dropped, equal to the cent;
 * - date     — both parse to the same ISO yyyy-mm-dd (day-first unless the day cannot be one);
 * - code     — upper-cased, whitespace and - _ / . # removed (invoice numbers);
 * - currency — symbols and local names mapped to ISO 4217 (৳, Tk, টাকা → BDT; $ → USD; RM → MYR);
 * - text     — lower-cased, punctuation removed, whitespace collapsed (names, addresses).
 */
import { toAsciiDigits } from '../core/digits.js';

export type FieldKind = 'text' | 'amount' | 'date' | 'code' | 'currency';

export interface FieldComparison {
  exact: boolean;
  normalized: boolean;
}

/** Per-field figures; rates are over the items that have a label for the field. */
export interface FieldScore {
  field: string;
  kind: FieldKind;
  /** Items with a label for this field. */
  labelled: number;
  /** Of those, items where the pipeline produced any value. */
  present: number;
  exact: number;
  normalized: number;
  exactRate: number | null;
  normalizedRate: number | null;
}

const AMOUNT_FIELDS = /^(total|amount|amount_untaxed|amount_tax|subtotal|tax|price|unit_?price)$/iu;
const DATE_FIELDS = /(^|_)date$/iu;
const CODE_FIELDS = /(number|_no|_id|^id)$/iu;

/** The comparison kind for a label name (SROIE and invoice2data names, camelCase or snake_case). */
export function fieldKindOf(name: string): FieldKind {
  const snake = name.replace(/([a-z])([A-Z])/gu, '$1_$2').toLowerCase();
  if (snake === 'currency') return 'currency';
  if (AMOUNT_FIELDS.test(snake)) return 'amount';
  if (DATE_FIELDS.test(snake)) return 'date';
  if (CODE_FIELDS.test(snake)) return 'code';
  return 'text';
}

/** Unwraps a `FieldValue` ({ value, confidence, … }) to its value. */
function plain(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && 'value' in v) return (v as { value: unknown }).value;
  return v;
}

/** Parses an amount written with optional currency marks and thousands separators; null if none. */
export function parseAmount(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = toAsciiDigits(v.normalize('NFC'));
  const m = /-?\d[\d.,\s]*/u.exec(s);
  if (!m) return null;
  let num = m[0].replace(/\s/gu, '').replace(/[.,]$/u, '');
  const lastDot = num.lastIndexOf('.');
  const lastComma = num.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // both: the later one is the decimal mark
    num = lastDot > lastComma ? num.replace(/,/gu, '') : num.replace(/\./gu, '').replace(',', '.');
  } else if (lastComma >= 0) {
    // only commas: "12,50" is a decimal, "1,234" and "1,23,456" (lakh grouping) are thousands
    num = /,\d{1,2}$/u.test(num) && num.split(',').length === 2 ? num.replace(',', '.') : num.replace(/,/gu, '');
  } else if ((num.match(/\./gu) ?? []).length > 1) {
    num = num.replace(/\./gu, '');
  }
  const n = Number(num);
  return Number.isFinite(n) ? n : null;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function iso(y: number, m: number, d: number): string | null {
  if (y < 100) y += y < 70 ? 2000 : 1900;
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Parses a date in the common receipt/invoice layouts to ISO yyyy-mm-dd; null if it is none. */
export function parseDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = toAsciiDigits(v.normalize('NFC')).trim();
  let m = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/u.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})/u.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    // day-first (Bangladesh, Malaysia, most of the world) unless the month slot cannot be a month
    return b > 12 && a <= 12 ? iso(Number(m[3]), a, b) : iso(Number(m[3]), b, a);
  }
  m = /(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]{3})[a-z]*\.?[\s\-/.,]*(\d{2,4})/iu.exec(s);
  if (m && MONTHS[m[2]!.toLowerCase()]) return iso(Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]));
  m = /([a-z]{3})[a-z]*\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{2,4})/iu.exec(s);
  if (m && MONTHS[m[1]!.toLowerCase()]) return iso(Number(m[3]), MONTHS[m[1]!.toLowerCase()]!, Number(m[2]));
  return null;
}

const CURRENCY_ALIASES: Array<[RegExp, string]> = [
  [/^(৳|tk\.?|taka|টাকা|bdt)$/iu, 'BDT'],
  [/^(\$|us\$|usd)$/iu, 'USD'],
  [/^(€|eur)$/iu, 'EUR'],
  [/^(£|gbp)$/iu, 'GBP'],
  [/^(rm|myr)$/iu, 'MYR'],
  [/^(₹|rs\.?|inr)$/iu, 'INR'],
];

/** ISO 4217 code for a currency symbol, local name or code; the upper-cased input otherwise. */
export function normalizeCurrency(v: string): string {
  const s = v.normalize('NFC').trim();
  for (const [re, code] of CURRENCY_ALIASES) if (re.test(s)) return code;
  return s.toUpperCase();
}

/** The canonical string a value normalises to for its kind, or null when it cannot be read as one. */
export function normalizeFieldValue(kind: FieldKind, value: unknown): string | null {
  const v = plain(value);
  if (v === null || v === undefined || v === '') return null;
  switch (kind) {
    case 'amount': {
      const n = parseAmount(v);
      return n === null ? null : (Math.round(n * 100) / 100).toFixed(2);
    }
    case 'date':
      return parseDate(v);
    case 'currency':
      return typeof v === 'string' ? normalizeCurrency(v) : null;
    case 'code':
      return toAsciiDigits(String(v).normalize('NFC')).toUpperCase().replace(/[\s\-_/.#]/gu, '');
    case 'text':
      return String(v).normalize('NFC').toLowerCase().replace(/\p{P}/gu, '').replace(/\s+/gu, ' ').trim();
  }
}

function exactString(v: unknown): string | null {
  const p = plain(v);
  if (p === null || p === undefined) return null;
  return String(p).normalize('NFC').trim();
}

/** Compares one extracted value with its label. A missing actual value matches nothing. */
export function compareField(kind: FieldKind, expected: unknown, actual: unknown): FieldComparison {
  const ea = exactString(actual);
  if (ea === null || ea === '') return { exact: false, normalized: false };
  const exact = exactString(expected) === ea;
  const ne = normalizeFieldValue(kind, expected);
  const na = normalizeFieldValue(kind, actual);
  return { exact, normalized: exact || (ne !== null && ne === na) };
}

/**
 * Scores many items: one row per labelled field name (sorted), kinds from {@link fieldKindOf}
 * unless `kinds` names them.
 */
export function scoreFields(
  items: ReadonlyArray<{ expected: Readonly<Record<string, unknown>>; actual: Readonly<Record<string, unknown>> }>,
  kinds: Readonly<Record<string, FieldKind>> = {},
): FieldScore[] {
  const rows = new Map<string, FieldScore>();
  for (const item of items) {
    for (const [field, want] of Object.entries(item.expected)) {
      if (want === null || want === undefined || want === '') continue;
      const kind = kinds[field] ?? fieldKindOf(field);
      let r = rows.get(field);
      if (!r) {
        r = { field, kind, labelled: 0, present: 0, exact: 0, normalized: 0, exactRate: null, normalizedRate: null };
        rows.set(field, r);
      }
      const got = item.actual[field];
      const c = compareField(kind, want, got);
      r.labelled++;
      if (exactString(got)) r.present++;
      if (c.exact) r.exact++;
      if (c.normalized) r.normalized++;
    }
  }
  return [...rows.values()]
    .sort((a, b) => a.field.localeCompare(b.field))
    .map((r) => ({ ...r, exactRate: r.exact / r.labelled, normalizedRate: r.normalized / r.labelled }));
}
