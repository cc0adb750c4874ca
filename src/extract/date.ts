/**
 * Dates in OCR text → ISO 8601 (yyyy-mm-dd).
 *
 * Forms: 25/12/2018 · 23-01-2019 · 5.3.18 · 2018/02/22 · 19 MAR 2018 · 15-Jun-18 · March 19, 2018 · 2018-Jun-15 ·
 * 12/2026 and DEC 2026 (month precision) · 20181225 (only after a label) · Bengali digits and month names
 * (২৫ ডিসেম্বর ২০২৬), Bengali-calendar dates (১৪ বৈশাখ ১৪৩০). A date printed as d/m or m/d with both parts ≤ 12 is
 * resolved by `order` (default day-first) and marked `ambiguous`. Labels before a date (MFG, EXP, Best before,
 * Use by, Invoice date, Due date, মেয়াদ, উৎপাদন…) set its `kind`.
 */
import { keywordText, normalizeText } from './digits.js';
import { BANGLA_MONTH_ALT, MONTH_ALT, banglaMonthNumber, banglaToGregorian, daysInMonth, monthNumber } from './months.js';
import type { DateField } from '../core/types.js';

export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export type DateKind = DateField['kind'];

export interface DateMatch {
  iso: string;
  raw: string;
  start: number;
  end: number;
  kind: DateKind;
  /** A kind label (or the word "date") stands right before it. */
  labelled: boolean;
  /** Day and month could be swapped (both ≤ 12, different); resolved by `order`. */
  ambiguous: boolean;
  /** 'month' for "12/2026" or "DEC 2026" (day filled in: last day for expiry/best-before, else the 1st). */
  precision: 'day' | 'month';
  /** A time of day (12:31, 6:05 PM) follows the date. */
  hasTime: boolean;
  /** Year printed with two digits. */
  shortYear: boolean;
  /** How the date was written: 'numeric' | 'month-name' | 'iso' | 'compact' | 'bangla-calendar'. */
  form: 'numeric' | 'month-name' | 'iso' | 'compact' | 'bangla-calendar';
}

export interface DateOptions {
  /** Order for ambiguous numeric dates. Default 'dmy'. */
  order?: DateOrder;
  /** Reference "now" for two-digit years. Default: the current date. */
  now?: Date;
}

/** Label spellings per kind; tested (case-insensitively) against the text just before a date. */
const KIND_LABELS: ReadonlyArray<[DateKind, RegExp]> = [
  ['best_before', /(?:best\s*before(?:\s*end)?|best\s*by|\bbbe?\b|\bb\.b\.?|consume\s*before|à\s*consommer|mindestens\s*haltbar|ten\s*minste\s*houdbaar|এর\s*পূর্বে\s*ব্যবহার\S*)/iu],
  ['expiry', /(?:\bexp(?:iry|ires?|iration|\.|\b)|\bexp\s*(?:date|dt)|use\s*(?:by|before)|valid\s*(?:till|until|upto|up\s*to|thru)|\bexd\b|\bed\b|মেয়াদ\S*|মেয়াদোত্তীর্ণ\S*|ব্যবহারের\s*শেষ\S*|শেষ\s*তারিখ)/iu],
  ['manufactured', /(?:\bmfg|\bmfd|\bmanuf\w*|\bm\.f\.g|\bprod(?:uction|uced)?\b(?:\s*date)?|\bpkd\b|\bpacked(?:\s*on)?|\bpacking\s*date|\bpack\s*date|date\s*of\s*(?:mfg|manuf\w*|packing)|উৎপাদন\S*|প্রস্তুত\S*|তৈরি\S*|প্যাকিং\S*)/iu],
  ['due', /(?:due\s*date|date\s*due|payment\s*due|pay\s*by|due\s*on|vervaldatum|échéance|echeance|fällig\w*|zahlbar\s*bis)/iu],
  ['invoice', /(?:invoice\s*date|factuur\s*datum|rechnungs\s*datum|(?:invoice|facture|factuur|rechnung)\b[^\n]{0,30}?\s(?:du|dated|vom|van|of)\s*$|inv\.?\s*date|bill\s*date|receipt\s*date|date\s*of\s*(?:issue|invoice)|issue\s*date|issued\s*on|order\s*date|factuurdatum|rechnungsdatum|date\s*de\s*(?:la\s*)?facture|date\s*d'émission|belegdatum|চালান(?:ের)?\s*তারিখ|বিল(?:ের)?\s*তারিখ|ইনভয়েস\s*তারিখ)/iu],
  ['date', /(?:\bdate\b|\bdated\b|\bdt\b\.?|\btarikh\b|\btarikh\b|\bdatum\b|\bfecha\b|তারিখ|তাং|তাঃ)/iu],
];

/** What may stand between a label and its date ("EXP. DATE : ", "MFG-", "মেয়াদ উত্তীর্ণের তারিখ: "). */
const LABEL_GAP = /^(?:[\s:.\-=#/()]|date|dt|on|no|উত্তীর্ণের|উত্তীর্ণ|এর|তারিখ|তাং)*$/iu;

const YEAR_PIVOT_AHEAD = 30;

function expandYear(y: string, now: Date): number {
  const n = Number(y);
  if (y.length === 4) return n;
  const cur = now.getUTCFullYear();
  const century = Math.floor(cur / 100) * 100;
  const guess = century + n;
  return guess > cur + YEAR_PIVOT_AHEAD ? guess - 100 : guess;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function valid(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const SEP = String.raw`\s?[-/.]\s?`;
const MONTH = `(?:${MONTH_ALT})\\.?`;
const ORD = '(?:st|nd|rd|th)?';
/** A time of day after a date: "18:42", "1:11:38 PM", "(SAT) 6.05 PM" (a dot only with AM/PM, else it is money). */
const TIME_AFTER = /^[\s,T]*(?:\(?[A-Za-z]{3}\)?\s*)?(?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?!\d)|(?:0?\d|1[0-2])\.[0-5]\d\s*[AaPp]\.?[Mm]\b)/;

/** d/m/y or m/d/y by the values, else by `order` (then marked ambiguous); yy/mm/dd where the locale says year first. */
function numericDayMonth(g: Record<string, string>, o: Required<DateOptions>): [number, number, number, boolean, 'day'] {
  const a = Number(g.a);
  const b = Number(g.b);
  if (o.order === 'ymd' && g.y.length === 2 && g.a.length === 2) {
    // yy/mm/dd where the locale says year first.
    return [expandYear(g.a, o.now), b, Number(g.y), false, 'day'];
  }
  const y = expandYear(g.y, o.now);
  let dayFirst: boolean;
  let ambiguous = false;
  if (a > 12 && b <= 12) dayFirst = true;
  else if (b > 12 && a <= 12) dayFirst = false;
  else {
    dayFirst = o.order !== 'mdy';
    ambiguous = a !== b && a <= 12 && b <= 12;
  }
  return dayFirst ? [y, b, a, ambiguous, 'day'] : [y, a, b, ambiguous, 'day'];
}

interface Pattern {
  re: RegExp;
  form: DateMatch['form'];
  /** Returns [y, m, d, ambiguous, precision] or null. */
  build(g: Record<string, string>, o: Required<DateOptions>): [number, number, number, boolean, 'day' | 'month'] | null;
  /** Only accepted after a label: 'kind' = MFG/EXP/invoice… (not the bare word "date"), 'any' = any date label. */
  needsLabel?: 'kind' | 'any';
}

/** Tried in this order; a span taken by one pattern is not matched again by later ones. */
const PATTERNS: Pattern[] = [
  {
    form: 'iso',
    re: new RegExp(String.raw`(?<![\d.,])(?<y>(?:19|20|21)\d{2})(?<s>${SEP})(?<m>\d{1,2})\k<s>(?<d>\d{1,2})(?![\d])`, 'gu'),
    build: (g) => [Number(g.y), Number(g.m), Number(g.d), false, 'day'],
  },
  {
    form: 'month-name',
    re: new RegExp(String.raw`(?<![\d\p{L}])(?<d>\d{1,2})${ORD}[\s\-./,]*(?<mon>${MONTH})(?![\p{L}])[\s\-./,']*(?<y>\d{4}|\d{2})(?![\d])`, 'giu'),
    build: (g, o) => [expandYear(g.y, o.now), monthNumber(g.mon) ?? 0, Number(g.d), false, 'day'],
  },
  {
    form: 'month-name',
    re: new RegExp(String.raw`(?<![\p{L}])(?<mon>${MONTH})(?![\p{L}])[\s\-./]*(?<d>\d{1,2})${ORD}(?![\d:])\s?,?[\s\-./']*(?<y>\d{4}|'\d{2})(?![\d])`, 'giu'),
    build: (g, o) => [expandYear(g.y.replace("'", ''), o.now), monthNumber(g.mon) ?? 0, Number(g.d), false, 'day'],
  },
  {
    form: 'month-name',
    re: new RegExp(String.raw`(?<![\d])(?<y>(?:19|20|21)\d{2})[\s\-./,]*(?<mon>${MONTH})(?![\p{L}])[\s\-./,]*(?<d>\d{1,2})(?![\d])`, 'giu'),
    build: (g) => [Number(g.y), monthNumber(g.mon) ?? 0, Number(g.d), false, 'day'],
  },
  {
    form: 'bangla-calendar',
    re: new RegExp(String.raw`(?<![\d])(?<d>\d{1,2})\s*(?:শে|লা|রা|ঠা|ই)?[\s\-,]*(?<mon>${BANGLA_MONTH_ALT})[\s\-,]*(?<y>1[34]\d{2})(?![\d])`, 'gu'),
    build: (g) => {
      const r = banglaToGregorian(Number(g.y), banglaMonthNumber(g.mon) ?? 0, Number(g.d));
      return r ? [r[0], r[1], r[2], false, 'day'] : null;
    },
  },
  {
    form: 'numeric',
    // "Sa,28.06.2025": a comma after a weekday is not part of a number.
    // The separators must match; OCR's spaces around them need not ("28. 06.25").
    re: new RegExp(String.raw`(?<![\d./-])(?<!\d,)(?<!\d:)(?<a>\d{1,2})\s?(?<s>[-/.])\s?(?<b>\d{1,2})\s?\k<s>\s?(?<y>\d{4}|\d{2})(?![\d]|[.,/-]\d)`, 'gu'),
    build: (g, o) => numericDayMonth(g, o),
  },
  {
    // A time glued to the year ("28.06.2513:29": the space before the time lost).
    form: 'numeric',
    re: new RegExp(String.raw`(?<![\d./-])(?<!\d,)(?<!\d:)(?<a>\d{1,2})(?<s>[-/.])(?<b>\d{1,2})\k<s>(?<y>\d{2}|\d{4})(?=(?:[01]?\d|2[0-3]):[0-5]\d(?!\d))`, 'gu'),
    build: (g, o) => numericDayMonth(g, o),
  },
  {
    // OCR dropped or changed one separator ("Date 18 4/2017"): only right after a date label.
    form: 'numeric',
    needsLabel: 'any',
    re: new RegExp(String.raw`(?<![\d.,/-])(?<!\d:)(?<a>\d{1,2})(?:\s|\s?[-/.]\s?)(?<b>\d{1,2})(?:\s|\s?[-/.]\s?)(?<y>(?:19|20)\d{2})(?![\d]|[.,/-]\d)`, 'gu'),
    build: (g, o) => {
      const a = Number(g.a);
      const b = Number(g.b);
      const dayFirst = a > 12 ? true : b > 12 ? false : o.order !== 'mdy';
      return dayFirst ? [Number(g.y), b, a, a <= 12 && b <= 12 && a !== b, 'day'] : [Number(g.y), a, b, a <= 12 && b <= 12 && a !== b, 'day'];
    },
  },
  {
    form: 'month-name',
    re: new RegExp(String.raw`(?<![\d\p{L}])(?<mon>${MONTH})(?![\p{L}])[\s\-./,]*(?<y>\d{4}|'?\d{2})(?![\d:.,])`, 'giu'),
    build: (g, o) => {
      const short = g.y.replace("'", '');
      if (short.length === 2 && !g.y.startsWith("'")) return null; // "MAR 19" is more likely a day than a year
      return [expandYear(short, o.now), monthNumber(g.mon) ?? 0, 1, false, 'month'];
    },
  },
  {
    form: 'numeric',
    re: new RegExp(String.raw`(?<![\d.,/-])(?<!\d:)(?<m>\d{1,2})${SEP}(?<y>(?:19|20|21)\d{2})(?![\d]|[.,/-]\d)`, 'gu'),
    build: (g) => [Number(g.y), Number(g.m), 1, false, 'month'],
  },
  {
    form: 'numeric',
    needsLabel: 'kind',
    re: new RegExp(String.raw`(?<![\d.,/-])(?<!\d:)(?<m>\d{1,2})${SEP}(?<y>\d{2})(?![\d]|[.,/:-]\d)`, 'gu'),
    build: (g, o) => [expandYear(g.y, o.now), Number(g.m), 1, false, 'month'],
  },
  {
    form: 'compact',
    needsLabel: 'kind',
    re: /(?<!\d)(?<y>(?:19|20)\d{2})(?<m>0[1-9]|1[0-2])(?<d>0[1-9]|[12]\d|3[01])(?!\d)/gu,
    build: (g) => [Number(g.y), Number(g.m), Number(g.d), false, 'day'],
  },
];

/** Global copies of the kind labels, compiled once (labelBefore needs the last match on a line). */
const KIND_LABELS_G: ReadonlyArray<[DateKind, RegExp]> = KIND_LABELS.map(([k, re]) => [k, new RegExp(re.source, 'giu')]);
/** Cheap gate for the month-name patterns: letters next to a digit. */
const MAY_HAVE_MONTH = /[\p{L}\p{M}]{2,}[\s\-./,']{0,3}\d|\d[\s\-./,]{0,3}[\p{L}\p{M}]{2,}/u;
const HAS_BENGALI = /[\u0980-\u09ff]/u;

/** The label kind right before `pos` (same line, or a label-only previous line), and whether there is one. */
function labelBefore(s: string, pos: number): { kind: DateKind; labelled: boolean } {
  const lineStart = s.lastIndexOf('\n', pos - 1) + 1;
  let ctx = s.slice(lineStart, pos);
  if (ctx.trim() === '' && lineStart > 0) {
    // "EXP. DATE" alone on the line above the date.
    const prevStart = s.lastIndexOf('\n', lineStart - 2) + 1;
    ctx = s.slice(prevStart, lineStart - 1);
  }
  const tail = keywordText(ctx.slice(-40));
  for (const [kind, g] of KIND_LABELS_G) {
    g.lastIndex = 0;
    let last: RegExpExecArray | null = null;
    for (let m = g.exec(tail); m; m = g.exec(tail)) last = m;
    // The label must end just before the date (only separators in between) or be the nearest label on the line.
    if (last && LABEL_GAP.test(tail.slice(last.index + last[0].length))) return { kind, labelled: true };
  }
  for (const [kind, re] of KIND_LABELS) if (re.test(tail)) return { kind, labelled: true };
  return { kind: 'date', labelled: false };
}

/**
 * Every date in `text`, left to right. Impossible calendar dates (31/02/2018) are not dates and are skipped.
 * @example findDates('EXP 12/2026')[0].iso // '2026-12-31'
 */
export function findDates(text: string, opts: DateOptions = {}): DateMatch[] {
  const o: Required<DateOptions> = { order: opts.order ?? 'dmy', now: opts.now ?? new Date() };
  const src = text.normalize('NFC');
  const s = normalizeText(src);
  const taken: Array<[number, number]> = [];
  const out: DateMatch[] = [];
  if (!/\d/.test(s)) return out;
  const monthy = MAY_HAVE_MONTH.test(s);
  const bengali = HAS_BENGALI.test(src);
  for (const p of PATTERNS) {
    if (p.form === 'month-name' && !monthy) continue;
    if (p.form === 'bangla-calendar' && !bengali) continue;
    const re = p.re;
    re.lastIndex = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && a < end)) continue;
      const built = p.build(m.groups ?? {}, o);
      if (!built) continue;
      let [y, mo, d, ambiguous, precision] = built;
      const { kind, labelled } = labelBefore(s, start);
      if (p.needsLabel && (!labelled || (p.needsLabel === 'kind' && kind === 'date'))) continue;
      if (precision === 'month') {
        if (!(y >= 1900 && mo >= 1 && mo <= 12)) continue;
        // "EXP 12/2026" means the end of that month.
        d = kind === 'expiry' || kind === 'best_before' ? daysInMonth(y, mo) : 1;
      }
      if (!valid(y, mo, d)) {
        // An ambiguous-looking date that only works the other way round ("02/25/2018" with dmy) is not ambiguous.
        continue;
      }
      taken.push([start, end]);
      out.push({
        iso: iso(y, mo, d),
        raw: src.slice(start, end),
        start,
        end,
        kind,
        labelled,
        ambiguous,
        precision,
        hasTime: TIME_AFTER.test(s.slice(end, end + 32)),
        shortYear: /(?<!\d)\d{2}$/.test(m.groups?.y ?? '') && (m.groups?.y ?? '').length <= 3,
        form: p.form,
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The first date in a string, or null. */
export function parseDate(text: string, opts: DateOptions = {}): DateMatch | null {
  return findDates(text, opts)[0] ?? null;
}

/**
 * The kind a label text names ("EXP. DATE" → expiry, "Invoice Date:" → invoice, "Date" → date), or null when
 * the text holds no date label. Used for labels printed above their date (column headers on invoices).
 */
export function kindOfLabel(text: string): DateKind | null {
  const s = normalizeText(text);
  for (const [kind, re] of KIND_LABELS) if (re.test(s)) return kind;
  return null;
}
