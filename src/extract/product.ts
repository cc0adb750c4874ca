/**
 * Product fields of labels and shelf price tags: product name, price, unit price (per kg / per piece) and net
 * quantity ("500 g", "6 x 500 ml", "১ কেজি").
 */
import type { DocContext, RowInfo } from './context.js';
import { letterRatio } from './digits.js';
import { confidenceOf } from './layout.js';
import { moneyLikelihood, type MoneyMatch } from './money.js';
import { UNIT_ALT, fuzzyUnit, unitOf, type QuantityMatch } from './quantity.js';

export interface Found<T> {
  value: T;
  raw: string;
  rowIndex: number;
  prior: number;
  ocr: number;
  currency?: string | null;
  unit?: string;
  count?: number;
}

const L = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const R = String.raw`(?![\p{L}\p{M}\p{N}])`;
const PRICE_LABEL = new RegExp(`${L}(?:M\\.?\\s*R\\.?\\s*P\\.?|(?:RETAIL|SALE|SALES|SELLING|OFFER|SPECIAL|UNIT|OUR|NET)?\\s*PRICE|NOW|ONLY|সর্বোচ্চ\\s*খুচরা\\s*মূল্য|খুচরা\\s*মূল্য|মূল্য|দাম|অফার\\s*মূল্য)${R}`, 'iu');
/** "/kg", "per kg", "প্রতি কেজি", "each", "/pc" right after an amount. */
const PER_UNIT_AFTER = new RegExp(String.raw`^\s*(?:\/|per\b|PER\b|প্রতি|a\b)\s*(?<unit>${UNIT_ALT}|each|EACH|unit|UNIT)(?![\p{L}])`, 'u');
const PER_UNIT_BEFORE = new RegExp(String.raw`(?:per|PER|প্রতি)\s*(?<unit>${UNIT_ALT})(?![\p{L}])\s*[:=-]?\s*$`, 'u');
const NOT_NAME = /(?:INGREDIENTS?|NUTRITION|NET\s*(?:WT|WEIGHT|VOL|CONTENT|QTY)|BATCH|LOT\s*NO|MFG|MFD|EXP|BEST\s*BEFORE|USE\s*BY|STORE\s*IN|KEEP|MANUFACTURED|MARKETED|PACKED|IMPORTED|DISTRIBUTED|MRP|PRICE|TEL|PHONE|WWW|HTTP|@|BARCODE|উপাদান|ব্যাচ|উৎপাদন|মেয়াদ|মূল্য|দাম|প্রস্তুতকারক|বাজারজাতকারী)/iu;

/** "per <short word>" where the word is not a known unit as printed (OCR: "per po"). */
const PER_WORD_AFTER = /^\s*(?:\/|per\b|PER\b|প্রতি)\s*(?<w>[\p{L}\d|]{1,4})(?![\p{L}\d])/u;

function unitPriceOf(ri: RowInfo, a: MoneyMatch): string | null {
  const after = PER_UNIT_AFTER.exec(ri.row.text.slice(a.end, a.end + 24));
  if (after?.groups?.unit) return canonicalUnit(after.groups.unit);
  const word = PER_WORD_AFTER.exec(ri.row.text.slice(a.end, a.end + 24));
  const fuzzy = word?.groups?.w ? fuzzyUnit(word.groups.w) : null;
  if (fuzzy) return fuzzy.unit;
  const before = PER_UNIT_BEFORE.exec(ri.row.text.slice(Math.max(0, a.start - 24), a.start));
  if (before?.groups?.unit) return canonicalUnit(before.groups.unit);
  return null;
}

function canonicalUnit(u: string): string {
  if (/^(?:each|unit)$/i.test(u)) return 'pcs';
  return unitOf(u)?.unit ?? u.toLowerCase();
}

/** Price and unit price. The price is the labelled one, else the most prominent money amount. */
export function extractPrices(ctx: DocContext): { price: Found<number> | null; unitPrice: Found<number> | null } {
  let unitPrice: Found<number> | null = null;
  const prices: Array<{ f: Found<number>; score: number }> = [];
  const heights = ctx.rows.map((r) => r.row.height);
  const maxH = Math.max(1, ...heights);
  ctx.rows.forEach((ri, i) => {
    const labelled = PRICE_LABEL.exec(ri.row.text);
    for (const a of ri.amounts) {
      if (a.value <= 0) continue;
      const ocr = confidenceOf(ri.row, a.start, a.end);
      const unit = unitPriceOf(ri, a);
      if (unit) {
        if (!unitPrice) unitPrice = { value: a.value, raw: a.raw, rowIndex: i, prior: 0.85, ocr, currency: a.currency, unit };
        continue;
      }
      const isLabelled = labelled !== null && labelled.index < a.start;
      const score = (isLabelled ? 0.5 : 0) + 0.3 * moneyLikelihood(a) + 0.3 * (ri.row.height / maxH);
      prices.push({ f: { value: a.value, raw: a.raw, rowIndex: i, prior: isLabelled ? 0.85 : 0.6, ocr, currency: a.currency }, score });
    }
  });
  prices.sort((a, b) => b.score - a.score);
  const best = prices[0];
  const price = best ? { ...best.f, prior: best.f.prior - (prices[1] && prices[1].score > best.score - 0.1 && prices[1].f.value !== best.f.value ? 0.15 : 0) } : null;
  return { price, unitPrice };
}

/** Net quantity: a labelled one ("Net Wt. 500 g") first, else the first quantity that is not a per-unit price. */
export function extractQuantity(ctx: DocContext): Found<number> | null {
  let fallback: Found<number> | null = null;
  for (const ri of ctx.rows) {
    for (const q of ri.quantities as QuantityMatch[]) {
      const before = ri.row.text.slice(Math.max(0, q.start - 6), q.start);
      if (/(?:\/|per|প্রতি)\s*$/iu.test(before)) continue;
      const ocr = confidenceOf(ri.row, q.start, q.end);
      const f: Found<number> = { value: q.value, raw: q.raw, rowIndex: ri.row.index, prior: q.labelled ? 0.9 : 0.7, ocr, unit: q.unit, ...(q.count ? { count: q.count } : {}) };
      if (q.labelled) return f;
      fallback ??= f;
    }
  }
  return fallback;
}

/** Product name: the largest, most name-like text near the top (or just above the price on a tag). */
export function extractProductName(ctx: DocContext, priceRow: number | null): Found<string> | null {
  const maxH = Math.max(1, ...ctx.rows.map((r) => r.row.height));
  const scored = ctx.rows.map((ri, i) => {
    const t = ri.row.text.trim();
    const letters = t.replace(/[^\p{L}]/gu, '').length;
    let s = 0.4 * (ri.row.height / maxH) + 0.25 * (1 - i / Math.max(ctx.rows.length, 1));
    if (letters < 3 || letterRatio(t) < 0.6) s -= 1;
    if (NOT_NAME.test(t)) s -= 0.6;
    if (ri.amounts.some((a) => a.decimals > 0 || a.currency) || ri.dates.length > 0) s -= 0.5;
    if (priceRow !== null && i === priceRow - 1) s += 0.2;
    const words = t.split(/\s+/).length;
    if (words > 8) s -= 0.2;
    return { ri, s };
  });
  scored.sort((a, b) => b.s - a.s);
  const best = scored[0];
  if (!best || best.s < 0) return null;
  const margin = scored[1] ? best.s - scored[1].s : 1;
  const text = best.ri.row.text.trim();
  return { value: text, raw: text, rowIndex: best.ri.row.index, prior: Math.min(0.9, 0.55 + margin), ocr: best.ri.row.confidence };
}
