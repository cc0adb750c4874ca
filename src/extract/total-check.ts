/**
 * Cross-checks for the document total: what the arithmetic of the page says the total is (amount paid − change,
 * subtotal + tax, the line items' sum, a pre-rounding total + rounding), a repair of the chosen total when two
 * independent sums agree on another value (a total misread as "5417" for 5,47, a change amount taken for the
 * total), and the candidates that lost, for the record.
 *
 * Pure: no I/O.
 */
import type { AmountCandidate } from './totals.js';

/** Where a derived total comes from. */
export type TotalSource = 'payment' | 'tax' | 'items' | 'rounding';

export interface DerivedTotal {
  value: number;
  source: TotalSource;
}

/** A rejected total candidate, as recorded in `fields.total.alternatives`. */
export interface TotalAlternative {
  value: number;
  raw: string;
  /** 'arithmetic': the page's sums contradict it; 'ranked': a better-labelled or better-placed candidate won. */
  reason: 'arithmetic' | 'ranked';
}

/** Two amounts are equal within half a cent. */
const TOLERANCE = 0.005;
/** Unprinted cash rounding (5-sen / 5-cent rounding of cash payments). */
const CASH_ROUNDING = 0.025;
/** Rejected candidates kept in the record. */
const MAX_ALTERNATIVES = 3;

const eq = (a: number, b: number): boolean => Math.abs(a - b) <= TOLERANCE + 1e-9;
const round2 = (x: number): number => Math.round(x * 100) / 100;
/** The same total, allowing for unprinted cash rounding. */
export const sameTotal = (a: number, b: number): boolean => Math.abs(a - b) <= CASH_ROUNDING + 1e-9;

export interface DerivationInputs {
  paid: AmountCandidate | null;
  change: AmountCandidate | null;
  subtotal: AmountCandidate | null;
  tax: AmountCandidate | null;
  rounding: AmountCandidate | null;
  discount: AmountCandidate | null;
  /** Labelled totals (a pre-rounding total is one of them). */
  labelledTotals: AmountCandidate[];
  itemsSum: number | null;
}

/** Totals the page's own arithmetic implies, each with its source. */
export function derivedTotals(x: DerivationInputs): DerivedTotal[] {
  const out: DerivedTotal[] = [];
  if (x.paid && x.change && x.change.value >= 0 && x.paid.value > x.change.value) {
    out.push({ value: round2(x.paid.value - x.change.value), source: 'payment' });
  }
  if (x.subtotal && x.tax && x.tax.value > 0) {
    out.push({ value: round2(x.subtotal.value + x.tax.value + (x.rounding?.value ?? 0)), source: 'tax' });
  }
  if (x.itemsSum !== null && x.itemsSum > 0) {
    const off = x.discount ? Math.abs(x.discount.value) : 0;
    out.push({ value: round2(x.itemsSum - off), source: 'items' });
  }
  if (x.rounding && !eq(x.rounding.value, 0)) {
    for (const t of x.labelledTotals) out.push({ value: round2(t.value + x.rounding.value), source: 'rounding' });
  }
  return out.filter((d) => d.value > 0);
}

/** The printed digits of `raw` contain those of `value` in order ("5417" holds 5,47): a misread of that amount. */
export function digitsContain(raw: string, value: number): boolean {
  const have = raw.replace(/\D/g, '');
  const want = value.toFixed(2).replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  if (want.length >= have.length) return false;
  let i = 0;
  for (const ch of have) if (ch === want[i]) i++;
  return i === want.length;
}

/**
 * The value the arithmetic supports instead of the chosen total, or null when the chosen total agrees with any
 * derived total (or nothing is derived). Another value wins when two independent sources agree on it, or when the
 * payment (paid − change) gives it and the chosen total's digits are a misreading of it.
 */
export function arithmeticTotal(chosen: AmountCandidate | null, derived: DerivedTotal[]): { value: number; sources: TotalSource[] } | null {
  if (derived.length === 0) return null;
  if (chosen && derived.some((d) => sameTotal(d.value, chosen.value))) return null;
  let best: { value: number; sources: TotalSource[] } | null = null;
  for (const d of derived) {
    const sources = [...new Set(derived.filter((o) => eq(o.value, d.value)).map((o) => o.source))];
    if (!best || sources.length > best.sources.length) best = { value: d.value, sources };
  }
  if (!best) return null;
  if (best.sources.length >= 2) return best;
  if (chosen && best.sources[0] === 'payment' && digitsContain(chosen.money.raw, best.value)) return best;
  return null;
}

/** Roles whose amounts are never the document total. */
const NOT_TOTAL = new Set(['paid', 'change', 'count', 'part', 'rounding', 'discount', 'tax']);

/**
 * The candidate standing for an arithmetic total: a printed amount of that value (not a payment, change or tax
 * line), else the chosen candidate with its value corrected.
 */
export function candidateFor(value: number, cands: AmountCandidate[], chosen: AmountCandidate | null): AmountCandidate | null {
  const printed = cands
    .filter((c) => eq(c.value, value) && !NOT_TOTAL.has(c.role))
    .sort((a, b) => b.strength - a.strength || Number(a.inSummary) - Number(b.inSummary))[0];
  if (printed) return printed;
  return chosen ? { ...chosen, value } : null;
}

/** The rejected candidates worth recording: other values in ranking order, and the printed total a repair replaced. */
export function totalAlternatives(chosen: AmountCandidate, ranked: AmountCandidate[], replaced: AmountCandidate | null): TotalAlternative[] {
  const out: TotalAlternative[] = [];
  const seen = new Set<number>([Math.round(chosen.value * 100)]);
  const add = (c: AmountCandidate, reason: TotalAlternative['reason']) => {
    const key = Math.round(c.value * 100);
    if (seen.has(key) || out.length >= MAX_ALTERNATIVES) return;
    seen.add(key);
    out.push({ value: c.value, raw: c.label ? `${c.label} ${c.money.raw}` : c.money.raw, reason });
  };
  if (replaced) add(replaced, 'arithmetic');
  for (const c of ranked) if (c.strength > 0) add(c, 'ranked');
  return out;
}
