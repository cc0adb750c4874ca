/**
 * Document type from keywords, layout and what was found: receipts (cash/change, cashier, narrow and long),
 * invoices (bill-to, due date, invoice number, A4 proportions), product labels (net quantity, MFG/EXP dates,
 * ingredients, EAN barcode) and shelf price tags (few lines, one prominent price, per-kg prices).
 */
import type { DocType, RecordBarcode } from '../core/types.js';
import type { DocContext } from './context.js';
import { keywordText } from './digits.js';

export interface DocTypeResult {
  docType: DocType;
  /** Score of the winner minus the runner-up (0..1). */
  margin: number;
  scores: Record<Exclude<DocType, 'unknown'>, number>;
}

const RECEIPT_WORDS = /(?:RECEIPT|CASHIER|CASH\s*(?:BILL|MEMO|SALES?)|THANK\s*YOU|THANKS|TERIMA\s*KASIH|COUNTER|TABLE\s*(?:NO|#)|POS\b|DANKE|KASSE\b|KASSIERER|BEDIENT|BON[-\s]?(?:NR|NUMMER)?\b|রশিদ|ক্যাশ\s*মেমো|ধন্যবাদ|ক্যাশিয়ার)/iu;
const INVOICE_WORDS = /(?:BILL\s*TO|SHIP\s*TO|SOLD\s*TO|DUE\s*DATE|PAYMENT\s*TERMS|INVOICE\s*(?:NO|NUMBER|DATE|#)|\bIBAN\b|\bSWIFT\b|\bBIC\b|P\.?O\.?\s*(?:NO|NUMBER)|FACTUUR|FACTURE|RECHNUNG|VERVALDATUM|CUSTOMER\s*(?:NO|ID)|ACCOUNT\s*NO|চালান|ইনভয়েস|পরিশোধের\s*শেষ)/iu;
const LABEL_WORDS = /(?:INGREDIENTS?|NUTRITION|NET\s*(?:WT|WEIGHT|VOL|CONTENT|QTY)|BATCH|LOT\s*NO|B\.?\s*NO|MFG|MFD|EXP(?:IRY)?|BEST\s*BEFORE|USE\s*BY|STORE\s*IN|KEEP\s*(?:IN|AWAY)|MANUFACTURED\s*BY|MARKETED\s*BY|MRP|উপাদান|ব্যাচ|উৎপাদন|মেয়াদ|সর্বোচ্চ\s*খুচরা\s*মূল্য|নিট\s*ওজন)/iu;
const TAG_WORDS = /(?:PRICE|OFFER|SALE|SPECIAL|NOW\b|ONLY\b|PER\s*(?:KG|PC|PCS|PIECE|UNIT|LTR|LITRE|DOZEN)|\/\s*(?:KG|PC|PCS|LTR|L|DOZEN)\b|মূল্য|দাম|প্রতি\s*(?:কেজি|পিস|লিটার|ডজন)|অফার)/iu;

const INVOICE_WORDS_G = new RegExp(INVOICE_WORDS.source, 'giu');
const LABEL_WORDS_G = new RegExp(LABEL_WORDS.source, 'giu');

/** Receipts are printed on rolls: much taller than wide. */
const RECEIPT_ASPECT = 1.6;

function clamp(x: number): number {
  return Math.max(0, Math.min(1, x));
}

/** Classifies the page. Pure: reads only the analysed rows and the barcodes. */
export function classifyDocument(ctx: DocContext, barcodes: RecordBarcode[]): DocTypeResult {
  const text = keywordText(ctx.text);
  const rows = ctx.rows;
  const roles = new Set(rows.flatMap((r) => r.labels.map((l) => l.role)));
  const labelledAmount = (role: string): boolean => rows.some((r) => r.labels.some((l) => l.role === role) && r.amounts.length > 0);
  const hasTotal = labelledAmount('total') || labelledAmount('subtotal');
  const payment = labelledAmount('paid') || labelledAmount('change');
  const amountRows = rows.filter((r) => r.amounts.length > 0).length;
  const aspect = ctx.width > 0 ? ctx.height / ctx.width : 0;
  const productCode = barcodes.some((b) => ['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E'].includes(b.format));
  const kinds = new Set(rows.flatMap((r) => r.dates.map((d) => d.kind)));
  const quantityLabelled = rows.some((r) => r.quantities.some((q) => q.labelled));

  let receipt = 0;
  if (payment) receipt += 0.35;
  if (hasTotal) receipt += 0.25;
  if (RECEIPT_WORDS.test(text)) receipt += 0.2;
  if (aspect >= RECEIPT_ASPECT) receipt += 0.15;
  if (rows.some((r) => r.dates.some((d) => d.hasTime))) receipt += 0.1;
  if (amountRows >= 4) receipt += 0.1;

  let invoice = 0;
  const invoiceHits = (text.match(INVOICE_WORDS_G) ?? []).length;
  invoice += Math.min(0.45, 0.2 * invoiceHits);
  if (/INVOICE|FACTUUR|FACTURE|RECHNUNG|চালান/iu.test(text)) invoice += 0.15;
  if (hasTotal) invoice += 0.2;
  if (aspect > 1.2 && aspect < RECEIPT_ASPECT) invoice += 0.15;
  if (kinds.has('due') || kinds.has('invoice')) invoice += 0.15;
  if (payment) invoice -= 0.15;

  let label = 0;
  const labelHits = (text.match(LABEL_WORDS_G) ?? []).length;
  label += Math.min(0.4, 0.15 * labelHits);
  if (kinds.has('expiry') || kinds.has('manufactured') || kinds.has('best_before')) label += 0.3;
  if (quantityLabelled) label += 0.2;
  else if (rows.some((r) => r.quantities.length > 0)) label += 0.1;
  if (productCode) label += 0.15;
  if (hasTotal || roles.has('paid')) label -= 0.3;

  let tag = 0;
  if (rows.length <= 10) tag += 0.2;
  if (TAG_WORDS.test(text)) tag += 0.25;
  const tallest = [...rows].sort((a, b) => b.row.height - a.row.height).slice(0, 2);
  if (tallest.some((r) => r.amounts.length > 0)) tag += 0.25;
  if (amountRows >= 1 && amountRows <= 3) tag += 0.15;
  if (productCode) tag += 0.05;
  if (hasTotal || payment) tag -= 0.4;

  const scores = { receipt: clamp(receipt), invoice: clamp(invoice), label: clamp(label), price_tag: clamp(tag) };
  const ranked = (Object.entries(scores) as Array<[Exclude<DocType, 'unknown'>, number]>).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  const docType: DocType = best[1] >= 0.35 ? best[0] : 'unknown';
  return { docType, margin: best[1] - second[1], scores };
}
