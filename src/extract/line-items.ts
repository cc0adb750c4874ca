/**
 * Line items (description, quantity, unit price, amount) from the table between the header of a receipt or
 * invoice and its totals, using the rows' geometry: the amount is the rightmost money column, the numbers left of
 * it are quantity and unit price (chosen so that quantity × unit price = amount when possible), the text left of
 * the numbers is the description, and description lines printed above or below their numbers are joined to them.
 */
import type { LineItem } from '../core/types.js';
import type { DocContext, RowInfo } from './context.js';
import { confidenceOf } from './layout.js';
import type { MoneyMatch } from './money.js';
import { MONEY_TOLERANCE } from './totals.js';

const HEADER_WORDS = /(?:ITEM|DESC(?:RIPTION)?|PRODUCT|PARTICULARS|QTY|QUANTITY|PRICE|U\.?\s*P(?:RICE)?|UNIT|AMOUNT|AMT|RATE|TOTAL|ARTIKEL|OMSCHRIJVING|AANTAL|PRIJS|BEDRAG|D[ÉE]SIGNATION|NOMBRE|MONTANT|MENGE|BESCHREIBUNG|BETRAG|বিবরণ|পণ্য|পরিমাণ|দর|মূল্য|টাকা)/giu;
/** A token that is an article code rather than a description ("E8318", "4132", "[FURN_7777]"). */
const CODE_ONLY = /^[\s[(*]*[A-Z]{0,3}[-_]?\d[\dA-Z_-]*[\])*]*\s*$/iu;

export interface LineItemsResult {
  items: LineItem[];
  /** Sum of the item amounts, or null without items. */
  sum: number | null;
}

function isHeader(ri: RowInfo): boolean {
  const words = new Set((ri.row.text.match(HEADER_WORDS) ?? []).map((w) => w.toUpperCase()));
  return words.size >= 2 && ri.amounts.every((a) => a.decimals === 0 && !a.currency);
}

interface Draft {
  description: string;
  quantity: number | null;
  unitPrice: number | null;
  amount: number;
  ocr: number;
  consistent: boolean;
  row: number;
}

/** Splits a row's amounts into quantity / unit price / amount. */
function readNumbers(amounts: MoneyMatch[]): { quantity: number | null; unitPrice: number | null; amount: number; consistent: boolean } {
  const amount = amounts[amounts.length - 1].value;
  const before = amounts.slice(0, -1).map((a) => a.value);
  for (let i = before.length - 2; i >= 0; i--) {
    for (let j = before.length - 1; j > i; j--) {
      const q = before[i];
      const u = before[j];
      if (Math.abs(q * u - amount) <= MONEY_TOLERANCE * 2 && q > 0) return { quantity: q, unitPrice: u, amount, consistent: true };
    }
  }
  if (before.length === 1) {
    const x = before[0];
    if (Math.abs(x - amount) <= MONEY_TOLERANCE) return { quantity: 1, unitPrice: x, amount, consistent: true };
    if (Number.isInteger(x) && x > 0 && x < 1000 && amounts[0].decimals === 0) return { quantity: x, unitPrice: Math.round((amount / x) * 100) / 100, amount, consistent: false };
    return { quantity: null, unitPrice: x, amount, consistent: false };
  }
  return { quantity: null, unitPrice: null, amount, consistent: false };
}

/**
 * Line items between the item table header (or the first amount row) and the first totals row.
 */
export function extractLineItems(ctx: DocContext, endRow: number | null): LineItemsResult {
  const rows = ctx.rows;
  const header = rows.findIndex((r, i) => i < (endRow ?? rows.length) && isHeader(r));
  const end = endRow ?? rows.findIndex((r) => r.labels.some((l) => ['total', 'subtotal', 'paid', 'change', 'count'].includes(l.role)) && r.amounts.length > 0);
  const stop = end < 0 ? rows.length : end;
  if (header < 0) return { items: [], sum: null };
  const drafts: Draft[] = [];
  let pending: string[] = [];
  let prevCodeOnly = false;
  for (let i = header + 1; i < stop; i++) {
    const ri = rows[i];
    if (ri.labels.some((l) => l.role !== 'count' && l.role !== 'total') && ri.amounts.length > 0) continue; // discount, tax lines
    const money = ri.amounts.filter((a) => !a.negative || a.decimals === 2);
    if (money.length === 0 || money.every((a) => a.decimals === 0 && !a.currency)) {
      const text = ri.row.text.trim();
      if (!text || !/\p{L}{2,}/u.test(text)) continue;
      const last = drafts[drafts.length - 1];
      // Description printed under a row that has only a code and numbers.
      if (last && prevCodeOnly && last.row === i - 1) {
        last.description = [last.description, text].filter(Boolean).join(' ');
        prevCodeOnly = false;
      } else pending.push(text);
      continue;
    }
    const firstNum = money[0].start;
    let description = ri.row.text.slice(0, firstNum).trim();
    const codeOnly = description === '' || CODE_ONLY.test(description);
    if (pending.length > 0) {
      description = [...pending, codeOnly ? '' : description].filter(Boolean).join(' ');
      pending = [];
      prevCodeOnly = false;
    } else prevCodeOnly = codeOnly;
    const n = readNumbers(money);
    drafts.push({
      description,
      ...n,
      ocr: confidenceOf(ri.row, 0, ri.row.text.length),
      row: i,
    });
  }
  const items: LineItem[] = drafts.map((d) => ({
    description: d.description.replace(/\s+/g, ' ').trim(),
    quantity: d.quantity,
    unitPrice: d.unitPrice,
    amount: d.amount,
    confidence: Math.round(d.ocr * (d.consistent ? 0.9 : 0.65) * (d.description ? 1 : 0.8) * 1000) / 1000,
  }));
  const sum = items.length ? Math.round(items.reduce((s, it) => s + (it.amount ?? 0), 0) * 100) / 100 : null;
  return { items, sum };
}
