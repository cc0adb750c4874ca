import type { DateField, DocType, FieldValue, Fields, OcrLine, RecordBarcode } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { barcodeField, gs1Expiry, variableMeasure } from './barcode-checks.js';
import { combine, reviewReasons, type CheckResult } from './confidence.js';
import { buildContext, type DocContext } from './context.js';
import { detectCurrency } from './currency.js';
import type { DateOrder } from './date.js';
import { collectDates, pickMainDate, type DateCandidate } from './dates-field.js';
import { classifyDocument } from './doctype.js';
import { extractInvoiceNumber } from './invoice-number.js';
import { extractLineItems } from './line-items.js';
import { extractMerchant } from './merchant.js';
import { extractAddress } from './address.js';
import { extractPrices, extractProductName, extractQuantity, type Found } from './product.js';
import { MONEY_TOLERANCE, extractTotals, type AmountCandidate, type TotalsResult } from './totals.js';

export interface ExtractInput {
  lines: OcrLine[];
  text: string;
  barcodes: RecordBarcode[];
  /** Page size, for layout features (largest text, columns). */
  width: number;
  height: number;
  options: ZakConfig['extract'];
  /** "Now" for plausibility checks (dates in the far future); injectable for tests. */
  now?: Date;
}

export interface ExtractOutput {
  docType: DocType;
  fields: Fields;
  /** Machine-readable reasons the record needs review (missing key field, low confidence, failed check). */
  review: string[];
}

const eq = (a: number, b: number): boolean => Math.abs(a - b) <= MONEY_TOLERANCE + 1e-9;

/** Prior for a total the page's sums set against its printed label (see total-check.ts). */
const DERIVED_PRIOR = 0.55;

/** Prior for a total: label strength, then how clearly it beat a rival with a different value. */
function totalPrior(c: AmountCandidate, margin: number): number {
  const base = c.strength > 0 ? 0.5 + 0.3 * c.strength : 0.35;
  return Math.min(0.95, base + 0.15 * margin - (c.below ? 0.05 : 0));
}

function moneyField(c: AmountCandidate, prior: number, checks: CheckResult[], docCurrency: string | null): FieldValue<number> {
  const s = combine(c.ocr, prior, checks);
  const verified = checks.some((k) => (k.name === 'payment' || k.name === 'tax' || k.name === 'sum') && k.state === 'pass');
  return {
    value: c.value,
    ...(c.money.currency ?? docCurrency ? { currency: (c.money.currency ?? docCurrency)! } : {}),
    raw: c.label ? `${c.label} ${c.money.raw}` : c.money.raw,
    confidence: s.confidence,
    ...(s.flags.length ? { flags: s.flags } : {}),
    ...(verified ? { verified: true } : {}),
  };
}

function foundField<T extends string | number>(f: Found<T>, checks: CheckResult[] = [], docCurrency: string | null = null): FieldValue<T> {
  const s = combine(f.ocr, f.prior, checks);
  const currency = f.currency ?? (typeof f.value === 'number' && f.unit === undefined ? docCurrency : null);
  return {
    value: f.value,
    raw: f.raw,
    ...(currency ? { currency } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.count ? { count: f.count } : {}),
    confidence: s.confidence,
    ...(s.flags.length ? { flags: s.flags } : {}),
  };
}

function dateChecks(d: DateCandidate): CheckResult[] {
  return (['future', 'far_future', 'far_past', 'ambiguous_order'] as const).map((name) => ({ name, state: d.flags.includes(name) ? 'fail' : 'na' }));
}

function dateField(d: DateCandidate, prior: number): DateField {
  const s = combine(d.ocr, prior, dateChecks(d));
  return {
    kind: d.kind,
    value: d.match.iso,
    raw: d.match.raw,
    confidence: s.confidence,
    ...(s.flags.length ? { flags: s.flags } : {}),
  };
}

/** Receipt/invoice amounts, line items, merchant and number. */
function documentFields(ctx: DocContext, docType: DocType, fields: Fields, docCurrency: string | null): void {
  const first: TotalsResult = extractTotals(ctx);
  const endRow = first.candidates
    .filter((c) => c.strength > 0 && ['total', 'subtotal'].includes(c.role) && !c.inSummary)
    .reduce<number | null>((m, c) => (m === null ? c.rowIndex : Math.min(m, c.rowIndex)), null);
  const items = extractLineItems(ctx, endRow);
  // Items whose quantity × unit price = amount are trusted enough for a failed sum to mean something.
  const confidentItems = items.items.length > 0 && items.items.every((i) => i.confidence >= 0.8);
  const t = items.sum !== null ? extractTotals(ctx, items.sum, confidentItems) : first;
  const sumState = t.checks.sum;
  if (t.total) {
    fields.total = moneyField(t.total, t.derivedFrom ? DERIVED_PRIOR : totalPrior(t.total, t.totalMargin), [
      { name: 'payment', state: t.checks.payment },
      { name: 'tax', state: t.checks.arithmetic },
      { name: 'largest', state: t.checks.largest },
      { name: 'rounding', state: t.checks.rounding },
      ...(t.subtotal ? [] : [{ name: 'sum' as const, state: sumState }]),
    ], docCurrency);
    if (t.derivedFrom) fields.total.derivedFrom = t.derivedFrom;
    if (t.alternatives.length) fields.total.alternatives = t.alternatives;
  }
  if (t.subtotal) {
    fields.subtotal = moneyField(t.subtotal, 0.75, [{ name: 'tax', state: t.checks.arithmetic }, { name: 'sum', state: sumState }], docCurrency);
  }
  if (t.tax) fields.tax = moneyField(t.tax, 0.7, [{ name: 'tax', state: t.checks.arithmetic }], docCurrency);
  if (items.items.length > 0) fields.lineItems = items.items;
  const merchant = extractMerchant(ctx);
  if (merchant) {
    const s = combine(merchant.ocr, merchant.prior);
    fields.merchant = { value: merchant.value, confidence: s.confidence };
    if (docType === 'invoice') fields.supplier = { ...fields.merchant };
  }
  const address = extractAddress(ctx, merchant);
  if (address) fields.address = { value: address.value, confidence: combine(address.ocr, address.prior).confidence };
  const inv = extractInvoiceNumber(ctx);
  if (inv) fields.invoiceNumber = { value: inv.value, raw: inv.raw, confidence: combine(inv.ocr, inv.prior).confidence };
}

/** Label and price-tag fields. */
function productFields(ctx: DocContext, fields: Fields, docCurrency: string | null, barcodes: RecordBarcode[]): void {
  const { price, unitPrice } = extractPrices(ctx);
  const vm = variableMeasure(barcodes);
  if (price) {
    const checks: CheckResult[] = vm?.price !== undefined ? [{ name: 'barcode_price', state: eq(vm.price, price.value) ? 'pass' : 'fail' }] : [];
    fields.price = foundField(price, checks, docCurrency);
  }
  if (unitPrice) fields.unitPrice = foundField(unitPrice, [], docCurrency);
  // "Tk 55.00 per pc": the price of one piece is the item's price.
  if (!price && unitPrice?.unit === 'pcs') fields.price = foundField({ ...unitPrice, unit: undefined }, [], docCurrency);
  const quantity = extractQuantity(ctx);
  if (quantity) fields.quantity = foundField(quantity);
  else if (vm?.weightKg !== undefined) fields.quantity = { value: vm.weightKg, unit: 'kg', raw: 'barcode', confidence: 0.9 };
  const name = extractProductName(ctx, price?.rowIndex ?? null);
  if (name) fields.productName = foundField(name);
}

/**
 * Typed fields from OCR lines and barcodes. Pure: no I/O.
 *
 * Reads the page as rows (see `layout.ts`), classifies it, then extracts: for receipts and invoices the total,
 * subtotal, tax, line items, merchant (and supplier), invoice number; for labels and price tags the product name,
 * price, unit price and quantity; for every page the dates (with kinds) and the main date, the currency and the
 * barcode cross-checks. Each field carries a confidence (formula in `confidence.ts`) and the names of failed checks
 * in `flags`; `review` lists why the record should be looked at.
 */
export function extractFields(input: ExtractInput): ExtractOutput {
  const now = input.now ?? new Date();
  const order = (input.options?.dateOrder ?? 'dmy') as DateOrder;
  const minConfidence = input.options?.minFieldConfidence ?? 0.5;
  const ctx = buildContext(input.lines ?? [], input.text ?? '', input.width, input.height, order, now);
  const barcodes = input.barcodes ?? [];
  if (ctx.rows.length === 0 && barcodes.length === 0) return { docType: 'unknown', fields: {}, review: [] };

  const { docType } = classifyDocument(ctx, barcodes);
  const fields: Fields = {};
  const cur = detectCurrency(ctx.text);
  const docCurrency = cur?.value ?? null;
  const labelledTotal = ctx.rows.some((r) => r.labels.some((l) => l.role === 'total') && r.amounts.length > 0);
  if (docType === 'receipt' || docType === 'invoice' || (docType === 'unknown' && labelledTotal)) {
    documentFields(ctx, docType, fields, docCurrency);
  } else {
    productFields(ctx, fields, docCurrency, barcodes);
  }

  const dates = collectDates(ctx);
  const expiry = gs1Expiry(barcodes);
  const dateFields = dates.map((d) => dateField(d, d.labelled ? 0.85 : 0.7));
  if (expiry) {
    const printed = dateFields.find((d) => d.kind === 'expiry' && d.value === expiry.iso);
    if (printed) printed.confidence = Math.max(printed.confidence, 0.97);
    else if (!dateFields.some((d) => d.kind === 'expiry')) dateFields.push({ kind: 'expiry', value: expiry.iso, raw: expiry.raw, confidence: 0.9 });
  }
  if (dateFields.length > 0) fields.dates = dateFields;
  const main = pickMainDate(dates, docType, ctx.rows.length);
  if (main) fields.date = dateField(main.date, main.prior);
  else if (expiry) fields.date = dateFields.find((d) => d.kind === 'expiry')!;

  if (cur) fields.currency = { value: cur.value, raw: cur.raw, confidence: Math.round(cur.confidence * 1000) / 1000 };
  const code = barcodeField(barcodes, ctx.text);
  if (code) fields.barcode = code;

  return { docType, fields, review: reviewReasons(docType, fields as Record<string, unknown>, minConfidence) };
}
