/**
 * Receipt and invoice totals: total, subtotal, tax, rounding, amount paid and change, chosen by labels, the page's
 * geometry (amount at the right of its label, or just below it) and arithmetic between them.
 *
 * A receipt typically prints several "totals" (before and after rounding, with and without tax, the tax summary's
 * own TOTAL row). The final amount is the labelled candidate that best agrees with the others:
 * cash − change = total, pre-rounding total + rounding = total, subtotal + tax = total, and the largest plausible
 * amount on the page.
 */
import type { DocContext, RowInfo } from './context.js';
import type { AmountRole, LabelHit } from './labels.js';
import { confidenceOf } from './layout.js';
import { moneyLikelihood, type MoneyMatch } from './money.js';
import { type TotalAlternative, type TotalSource, arithmeticTotal, candidateFor, derivedTotals, totalAlternatives } from './total-check.js';

export interface AmountCandidate {
  role: AmountRole;
  /** Label strength (0..1); 0 for an unlabelled amount. */
  strength: number;
  value: number;
  money: MoneyMatch;
  label: string;
  rowIndex: number;
  /** Lowest OCR confidence of the label and amount text. */
  ocr: number;
  /** Inside a tax summary table. */
  inSummary: boolean;
  /** The amount sits below its label instead of beside it. */
  below: boolean;
}

import type { CheckState } from './confidence.js';
export type { CheckState };

export interface TotalsChecks {
  /** Amount paid − change = total. */
  payment: CheckState;
  /** Subtotal + tax (± rounding, − discount) = total, or subtotal = total when tax is included. */
  arithmetic: CheckState;
  /** The total is the largest plausible amount on the page. */
  largest: CheckState;
  /** A total before rounding + rounding = this total. */
  rounding: CheckState;
  /** Line items add up to the subtotal, a pre-tax/pre-rounding total or the total. */
  sum: CheckState;
}

export interface TotalsResult {
  total: AmountCandidate | null;
  /** Score margin of the chosen total over the runner-up with a different value (0..1). */
  totalMargin: number;
  subtotal: AmountCandidate | null;
  tax: AmountCandidate | null;
  rounding: AmountCandidate | null;
  paid: AmountCandidate | null;
  change: AmountCandidate | null;
  discount: AmountCandidate | null;
  checks: TotalsChecks;
  candidates: AmountCandidate[];
  /** Total candidates that lost (other values), best first, for the record. */
  alternatives: TotalAlternative[];
  /** The sums that set the total when they overruled the labelled candidate. */
  derivedFrom?: TotalSource[];
}

/** Two amounts are equal within half a cent. */
export const MONEY_TOLERANCE = 0.005;
/** Most rows between a label and an amount printed below it. */
const BELOW_MAX_ROWS = 1;
/** An amount below its label must start within this many label-heights. */
const BELOW_MAX_GAP = 1.6;

const eq = (a: number, b: number): boolean => Math.abs(a - b) <= MONEY_TOLERANCE + 1e-9;
/** Largest cash rounding that goes unprinted (5-sen/5-cent rounding of cash payments: at most 2 of the smallest unit). */
const CASH_ROUNDING = 0.025;
/** Paid − change differs from the total only by unprinted cash rounding (17.22 paid in cash as 17.20). */
const cashRounded = (a: number, b: number): boolean => !eq(a, b) && Math.abs(a - b) <= CASH_ROUNDING + 1e-9;

function amountsBetween(ri: RowInfo, from: number, to: number): MoneyMatch[] {
  return ri.amounts.filter((a) => a.start >= from && a.start < to);
}

/** The amount a label names: the rightmost one after it on its row, else one alone on the row below. */
function valueFor(ctx: DocContext, i: number, label: LabelHit, next: LabelHit | undefined): { money: MoneyMatch; row: RowInfo; below: boolean } | null {
  const ri = ctx.rows[i];
  const own = amountsBetween(ri, label.end, next ? next.start : Infinity);
  if (own.length > 0) {
    // Prefer real money (decimals or a currency) over a bare count when both follow the label.
    const best = Math.max(...own.map(moneyLikelihood));
    const pick = [...own].reverse().find((a) => moneyLikelihood(a) >= best - 0.05)!;
    return { money: pick, row: ri, below: false };
  }
  if (next) return null;
  for (let j = i + 1; j <= Math.min(ctx.rows.length - 1, i + BELOW_MAX_ROWS); j++) {
    const rj = ctx.rows[j];
    if (rj.labels.some((l) => l.role !== 'count')) return null;
    if (rj.amounts.length === 0) continue;
    const h = Math.max(ri.row.height, 1);
    const gap = rj.row.box[1] - (ri.row.box[1] + ri.row.box[3]);
    if (ctx.medianHeight > 0 && gap > BELOW_MAX_GAP * h) return null;
    // The text of the row below must be (almost) only the amount.
    const rest = rj.row.text.replace(rj.amounts[rj.amounts.length - 1].raw, '').replace(/[\s:=*]/g, '');
    if (rest.length > 3) return null;
    return { money: rj.amounts[rj.amounts.length - 1], row: rj, below: true };
  }
  return null;
}

/** Every labelled amount on the page, plus unlabelled amounts (role 'total', strength 0) as fallbacks. */
export function collectCandidates(ctx: DocContext): AmountCandidate[] {
  const out: AmountCandidate[] = [];
  const used = new Set<MoneyMatch>();
  ctx.rows.forEach((ri, i) => {
    ri.labels.forEach((label, k) => {
      const v = valueFor(ctx, i, label, ri.labels[k + 1]);
      if (!v || used.has(v.money)) return;
      used.add(v.money);
      const ocr = Math.min(confidenceOf(ri.row, label.start, label.end), confidenceOf(v.row.row, v.money.start, v.money.end));
      out.push({
        role: label.role, strength: label.strength, value: v.money.value, money: v.money, label: label.text,
        rowIndex: v.row.row.index, ocr, inSummary: i >= ctx.summaryFrom, below: v.below,
      });
    });
  });
  ctx.rows.forEach((ri, i) => {
    for (const a of ri.amounts) {
      if (used.has(a)) continue;
      out.push({
        role: 'total', strength: 0, value: a.value, money: a, label: '', rowIndex: i,
        ocr: confidenceOf(ri.row, a.start, a.end), inSummary: i >= ctx.summaryFrom, below: false,
      });
    }
  });
  return out;
}

function first(cands: AmountCandidate[], role: AmountRole): AmountCandidate | null {
  return cands.find((c) => c.role === role && c.strength > 0 && !c.inSummary) ?? null;
}

/** Tax: the labelled tax lines before the summary; CGST+SGST style splits are added up. */
function pickTax(cands: AmountCandidate[]): AmountCandidate | null {
  const taxes = cands.filter((c) => c.role === 'tax' && !c.inSummary);
  if (taxes.length === 0) return null;
  const split = taxes.filter((t) => /\b[CSIU]GST\b|\bCESS\b/i.test(t.label));
  if (split.length >= 2) {
    const sum = Math.round(split.reduce((s, t) => s + t.value, 0) * 100) / 100;
    return { ...split[0], value: sum, label: split.map((t) => t.label).join(' + '), ocr: Math.min(...split.map((t) => t.ocr)) };
  }
  return taxes.find((t) => /TOTAL/i.test(t.label)) ?? taxes[taxes.length - 1];
}

/** Subtotal + (tax, rounding, −discount in any combination) = total. */
function adds(sub: number, parts: number[], total: number): boolean {
  for (let mask = 0; mask < 1 << parts.length; mask++) {
    if (eq(sub + parts.reduce((s, p, k) => s + ((mask >> k) & 1 ? p : 0), 0), total)) return true;
  }
  return false;
}

/**
 * The subtotal: among labelled subtotals outside the summary (invoices print one per section), the one that adds up
 * to the total, else the last one above the total, else the first.
 */
function pickSubtotal(subs: AmountCandidate[], total: AmountCandidate | null, parts: number[]): AmountCandidate | null {
  if (subs.length === 0) return null;
  if (!total) return subs[0];
  return subs.find((s) => adds(s.value, parts, total.value))
    ?? [...subs].reverse().find((s) => s.rowIndex < total.rowIndex)
    ?? subs[0];
}

/**
 * Chooses total, subtotal, tax, rounding, paid and change from the page and runs the arithmetic checks.
 */
export function extractTotals(ctx: DocContext, itemsSum: number | null = null, itemsConfident = false): TotalsResult {
  const cands = collectCandidates(ctx);
  const subs = cands.filter((c) => c.role === 'subtotal' && !c.inSummary && c.strength > 0);
  let tax = pickTax(cands);
  const rounding = first(cands, 'rounding');
  const paid = first(cands, 'paid');
  const change = first(cands, 'change');
  const discount = first(cands, 'discount');
  const parts = [tax?.value ?? 0, rounding?.value ?? 0, discount ? -Math.abs(discount.value) : 0];
  const excluded = new Set<AmountRole>(['paid', 'change', 'count', 'part', 'rounding', 'discount', 'tax']);
  const plausible = cands.filter((c) => !excluded.has(c.role) && !c.inSummary && c.value > 0
    && (c.strength > 0 || moneyLikelihood(c.money) >= 0.6));
  const largest = plausible.length ? Math.max(...plausible.map((c) => c.value)) : null;
  const labelledTotals = cands.filter((c) => c.role === 'total' && c.strength > 0);
  const unlabelled = plausible.filter((c) => c.role === 'total' || c.role === 'subtotal');
  const pool = labelledTotals.length > 0 ? labelledTotals : unlabelled.filter((c) => !c.inSummary).length > 0 ? unlabelled.filter((c) => !c.inSummary) : unlabelled;

  // Printed amounts share one style: where labelled amounts carry cents, a bare integer is a count or misread.
  const labelledMoney = cands.filter((c) => c.strength > 0 && c.role !== 'count' && c.role !== 'part');
  const withCents = labelledMoney.filter((c) => c.money.decimals === 2).length;
  const centsStyle = labelledMoney.length >= 2 && withCents / labelledMoney.length >= 0.6;
  const scored = pool.map((c) => {
    let score = c.strength > 0 ? c.strength : 0.3 * moneyLikelihood(c.money);
    if (centsStyle && c.money.decimals === 0 && !c.money.currency) score -= 0.3;
    if (c.inSummary) score -= 0.6;
    if (c.value <= 0) score -= 1;
    if (paid && change && change.value >= 0 && eq(paid.value - change.value, c.value)) score += 0.5;
    else if (paid && change && change.value >= 0 && cashRounded(paid.value - change.value, c.value)) score += 0.3;
    else if (paid && !change && eq(paid.value, c.value)) score += 0.2;
    if (rounding && !eq(rounding.value, 0)) {
      if (labelledTotals.some((o) => o !== c && eq(o.value + rounding.value, c.value))) score += 0.3;
      if (labelledTotals.some((o) => o !== c && eq(c.value + rounding.value, o.value))) score -= 0.3;
    }
    const taxValue = tax?.value;
    if (taxValue !== undefined && subs.some((sub) => eq(sub.value + taxValue, c.value) || (rounding && eq(sub.value + taxValue + rounding.value, c.value)))) score += 0.2;
    if (largest !== null && eq(c.value, largest)) score += 0.1;
    if (itemsSum !== null && eq(itemsSum, c.value)) score += 0.1;
    const repeats = labelledTotals.filter((o) => o !== c && !o.inSummary && eq(o.value, c.value)).length;
    score += Math.min(0.15, 0.05 * repeats);
    return { c, score };
  });
  scored.sort((a, b) => b.score - a.score || b.c.rowIndex - a.c.rowIndex);
  const ranked = scored[0]?.c ?? null;
  const rival = scored.find((s) => ranked && !eq(s.c.value, ranked.value));
  const totalMargin = ranked ? Math.max(0, Math.min(1, scored[0].score - (rival?.score ?? 0))) : 0;
  let subtotal = pickSubtotal(subs, ranked, parts);
  // The page's arithmetic overrules the ranking when two independent sums agree on another value.
  const derived = derivedTotals({ paid, change, subtotal, tax, rounding, discount, labelledTotals, itemsSum });
  const fix = arithmeticTotal(ranked, derived);
  const total = fix ? candidateFor(fix.value, cands, ranked) : ranked;
  const replaced = fix && ranked && total && !eq(ranked.value, total.value) ? ranked : null;
  if (fix) subtotal = pickSubtotal(subs, total, parts);
  // The tax amount that makes subtotal + tax = total, even when it is printed only in the tax summary
  // ("TAX 0.00" above the total, "TAX TOTAL: 6.23" in the summary).
  if (total && subtotal && !adds(subtotal.value, parts, total.value)) {
    for (const t of cands.filter((c) => c.role === 'tax' && c !== tax)) {
      const alt = [t.value, rounding?.value ?? 0, discount ? -Math.abs(discount.value) : 0];
      const sub = subs.find((x) => adds(x.value, alt, total.value));
      if (sub) { tax = t; parts.splice(0, parts.length, ...alt); subtotal = sub; break; }
    }
  }

  const checks: TotalsChecks = { payment: 'na', arithmetic: 'na', largest: 'na', rounding: 'na', sum: 'na' };
  if (total) {
    if (paid && change) checks.payment = eq(paid.value - change.value, total.value) || cashRounded(paid.value - change.value, total.value) ? 'pass' : 'fail';
    if (subtotal) checks.arithmetic = adds(subtotal.value, parts, total.value) ? 'pass' : tax ? 'fail' : 'na';
    if (largest !== null) {
      // The largest amount may be the total before rounding or before a discount.
      const adjusted = [0, rounding?.value ?? 0, discount ? -Math.abs(discount.value) : 0];
      checks.largest = adjusted.some((a) => eq(largest + a, total.value)) ? 'pass' : 'fail';
    }
    if (itemsSum !== null) {
      const targets = [
        ...cands.filter((c) => (c.role === 'total' || c.role === 'subtotal') && c.strength > 0 && !c.inSummary).map((c) => c.value),
        total.value - (rounding?.value ?? 0),
        total.value - (tax?.value ?? 0),
        total.value - (tax?.value ?? 0) - (rounding?.value ?? 0),
        total.value + Math.abs(discount?.value ?? 0),
        // Tax-inclusive receipts print the pre-tax sum only in their tax summary table.
        ...cands.filter((c) => c.inSummary).map((c) => c.value),
      ];
      checks.sum = targets.some((v) => eq(v, itemsSum)) ? 'pass' : itemsConfident ? 'fail' : 'na';
    }
    if (rounding && !eq(rounding.value, 0)) {
      checks.rounding = labelledTotals.some((o) => o !== total && eq(o.value + rounding.value, total.value)) ? 'pass' : 'na';
    }
  }
  const alternatives = total ? totalAlternatives(total, scored.map((x) => x.c), replaced) : [];
  return {
    total, totalMargin, subtotal, tax, rounding, paid, change, discount, checks, candidates: cands, alternatives,
    ...(fix && total ? { derivedFrom: fix.sources } : {}),
  };
}
