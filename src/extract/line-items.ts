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

const HEADER_WORDS = /(?:ITEM|DESC(?:RIPTION)?|PRODUCT|PARTICULARS|SKU|STK|CODE|RM|TK|QTY|QUANTITY|PRICE|U\.?\s*P(?:RICE)?|UNIT|AMOUNT|AMT|RATE|TOTAL|ARTIKEL|OMSCHRIJVING|AANTAL|PRIJS|BEDRAG|D[ÉE]SIGNATION|NOMBRE|MONTANT|MENGE|BESCHREIBUNG|BETRAG|বিবরণ|পণ্য|পরিমাণ|দর|মূল্য|টাকা)/giu;
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

/** Splits a row's amounts into quantity / unit price / amount (quantity × unit price = amount when possible). */
function readNumbers(amounts: MoneyMatch[]): { quantity: number | null; unitPrice: number | null; amount: number; consistent: boolean } {
  const amount = amounts[amounts.length - 1].value;
  const before = amounts.slice(0, -1);
  for (let i = before.length - 2; i >= 0; i--) {
    for (let j = before.length - 1; j > i; j--) {
      const [a, b] = [before[i], before[j]];
      if (a.value <= 0 || b.value <= 0 || Math.abs(a.value * b.value - amount) > MONEY_TOLERANCE * 2) continue;
      // The count is the one printed without cents ("2.70 1 2.70": quantity 1, unit price 2.70).
      const [q, u] = b.decimals === 0 && a.decimals > 0 ? [b, a] : [a, b];
      return { quantity: q.value, unitPrice: u.value, amount, consistent: true };
    }
  }
  if (before.length === 1) {
    const x = before[0];
    if (Math.abs(x.value - amount) <= MONEY_TOLERANCE) return { quantity: 1, unitPrice: x.value, amount, consistent: true };
    if (Number.isInteger(x.value) && x.value > 0 && x.value < 1000 && x.decimals === 0) {
      return { quantity: x.value, unitPrice: Math.round((amount / x.value) * 100) / 100, amount, consistent: false };
    }
    return { quantity: null, unitPrice: x.value, amount, consistent: false };
  }
  return { quantity: null, unitPrice: null, amount, consistent: false };
}

function priced(ri: RowInfo): MoneyMatch[] {
  const money = ri.amounts.filter((a) => !a.negative || a.decimals === 2);
  return money.every((a) => a.decimals === 0 && !a.currency) ? [] : money;
}

/** A row of description text only (no priced amount). */
function isTextRow(ri: RowInfo): boolean {
  const text = ri.row.text.trim();
  return priced(ri).length === 0 && /\p{L}/u.test(text) && !HEADING_ONLY.test(text) && ri.dates.length === 0;
}

/** A priced row whose own text before the numbers is empty or an article code. */
function isPricedCodeRow(ri: RowInfo): boolean {
  const money = priced(ri);
  if (money.length === 0) return false;
  const d = ri.row.text.slice(0, money[0].start).replace(COUNT_IN_TEXT, '').trim();
  return d === '' || CODE_ONLY.test(d);
}

/** Rows that end the item table: totals, payment, tax lines and "TOTAL QTY" counts. */
function endsItems(ri: RowInfo): boolean {
  return ri.labels.some((l) => ['total', 'subtotal', 'tax', 'paid', 'change', 'rounding'].includes(l.role) || (l.role === 'count' && /TOTAL|ITEM\s*\(S\)|ITEMS?\s*:/i.test(l.text)))
    && (ri.amounts.length > 0 || ri.labels.some((l) => l.role === 'total' || l.role === 'subtotal'));
}

/** "2 X" / "x2" at the end or start of a description: the quantity, printed before the prices. */
const COUNT_IN_TEXT = /(?:^|\s)(\d{1,3})\s?[xX×*]\s*$|^\s*[xX×*]\s?(\d{1,3})(?=\s)/;
/** A text row that is only column headings or currency marks ("(RM) (RM)"). */
const HEADING_ONLY = /^[\s()[\]$%@#.:/-]*(?:(?:RM|TK|BDT|USD|\$|৳|AMT|AMOUNT|QTY|PRICE|TOTAL|TAX|DISC|UNIT|CODE|ITEM|DESC)[\s()[\]$%@#.:/-]*)+$/i;

/**
 * Line items between the item table header (or the first amount row) and the first totals row.
 */
export function extractLineItems(ctx: DocContext, endRow: number | null): LineItemsResult {
  const rows = ctx.rows;
  const limit = endRow ?? rows.length;
  let header = rows.findIndex((r, i) => i < limit && isHeader(r));
  if (header < 0) {
    // No heading row: the table starts at the first unlabelled priced row (one row before it, as if a heading).
    const first = rows.findIndex((r, i) => i < limit && r.labels.length === 0 && r.amounts.some((a) => a.decimals === 2) && r.dates.length === 0);
    if (first < 0) return { items: [], sum: null };
    header = first - 1;
    // Its description may sit on the row above.
    if (header >= 0 && isTextRow(rows[header]) && rows[header].labels.length === 0) header -= 1;
  }
  let stop = rows.findIndex((r, i) => i > header && endsItems(r));
  stop = Math.min(stop < 0 ? rows.length : stop, limit);
  // Where descriptions go when the priced row has only a code: the layout the table uses most (above or below).
  let above = 0;
  let below = 0;
  for (let i = header + 1; i < stop; i++) {
    if (!isPricedCodeRow(rows[i])) continue;
    if (i - 1 > header && isTextRow(rows[i - 1])) above += 1;
    if (i + 1 < stop && isTextRow(rows[i + 1])) below += 1;
  }
  // On a tie, the first item decides: right under the heading, its description can only be below it.
  const firstPriced = rows.findIndex((r, i) => i > header && i < stop && isPricedCodeRow(r));
  const descBelow = below > above || (below === above && below > 0 && firstPriced === header + 1);
  const drafts: Draft[] = [];
  let pending: string[] = [];
  let prevCodeOnly = false;
  for (let i = header + 1; i < stop; i++) {
    const ri = rows[i];
    // A discount/tax/service line starts with its label; "2 X 5.51 (DISC: 1.53) 7.96" is still an item.
    const firstAmount = ri.amounts[0]?.start ?? Infinity;
    if (ri.amounts.length > 0 && ri.labels.some((l) => l.role !== 'count' && l.role !== 'total' && l.start < firstAmount)) continue;
    const money = priced(ri);
    if (money.length === 0) {
      const text = ri.row.text.trim();
      if (!isTextRow(ri)) continue;
      const last = drafts[drafts.length - 1];
      // Description printed under a row that has only a code and numbers.
      if (descBelow && last && prevCodeOnly && last.row === i - 1) {
        last.description = [last.description, text].filter(Boolean).join(' ');
        prevCodeOnly = false;
      } else pending.push(text);
      continue;
    }
    const firstNum = money[0].start;
    let description = ri.row.text.slice(0, firstNum).trim();
    let count: number | null = null;
    const cm = COUNT_IN_TEXT.exec(description);
    if (cm) {
      count = Number(cm[1] ?? cm[2]);
      description = description.replace(COUNT_IN_TEXT, '').trim();
    }
    const codeOnly = description === '' || CODE_ONLY.test(description);
    if (pending.length > 0) {
      description = [...pending, codeOnly ? '' : description].filter(Boolean).join(' ');
      pending = [];
      prevCodeOnly = false;
    } else prevCodeOnly = codeOnly;
    let n = readNumbers(money);
    if (count !== null && n.quantity === null) {
      if (money.length === 1) {
        // "2 X 2.20" with the amount column empty or unread: the number after "X" is the unit price.
        const unit = money[0].value;
        n = { quantity: count, unitPrice: unit, amount: Math.round(count * unit * 100) / 100, consistent: false };
      } else {
        const unit = money[0].value;
        n = { quantity: count, unitPrice: unit, amount: n.amount, consistent: Math.abs(count * unit - n.amount) <= MONEY_TOLERANCE * 2 };
      }
    }
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
