/**
 * Invoice / bill / receipt number: the token after (or under) a number label — "Invoice No: 22497",
 * "INV #A-1029", "Facture n° 2022089083", "Factuurnummer: 993548900", "DOC NO CS00031663", "চালান নং: ১২৩".
 */
import type { DocContext } from './context.js';
import { keywordText } from './digits.js';
import { confidenceOf } from './layout.js';

export interface InvoiceNumberResult {
  value: string;
  raw: string;
  rowIndex: number;
  prior: number;
  ocr: number;
}

const NO = String.raw`(?:N[O0]\.?|NUMBER|NUM\.?|NBR\.?|#|N°|Nº|NR\.?|ID|নং|নম্বর)`;
/** [label pattern, prior]: the more specific the label, the surer the number. */
const LABELS: ReadonlyArray<[RegExp, number]> = [
  [new RegExp(String.raw`(?:TAX\s*)?INVOICE\s*${NO}|INV\.?\s*${NO}|FACTUURNUMMER|FACTUURNR\.?|RECHNUNGS?\s*-?\s*(?:NUMMER|NR\.?)|(?:FACTURE|RECHNUNG)\s*${NO}|N(?:°|º|UM[EÉ]RO)\s*DE\s*FACTURE|চালান\s*${NO}|ইনভয়েস\s*${NO}`, 'iu'), 0.9],
  [new RegExp(String.raw`(?:CASH\s*)?(?:BILL|RECEIPT|RCPT|MEMO|CHALLAN|ক্যাশ\s*মেমো|বিল|রশিদ)\s*${NO}|CASH\s*INV\.?\s*${NO}`, 'iu'), 0.85],
  [new RegExp(String.raw`(?:DOC(?:UMENT)?|TRANS(?:ACTION)?|TXN|BOOKING|ORDER|SLIP|REF(?:ERENCE)?|CHECK|CHQ|TABLE\s*BILL)\s*${NO}|BOOKING\s*ID`, 'iu'), 0.6],
  [/(?:^|\s)(?:INVOICE|FACTUUR|FACTURE|RECHNUNG)(?=\s*[:#]?\s*[A-Z]{0,4}[-/]?\d)/iu, 0.75],
];

/** An invoice number: letters, digits and / - _ . with at least one digit (or an all-caps code like "invoice_number_1"). */
const TOKEN = /^[:#.\s-]*([A-Z0-9][A-Z0-9/_.\-]{1,30})/iu;

function cleanToken(raw: string): string | null {
  const m = TOKEN.exec(raw);
  if (!m) return null;
  const t = m[1].replace(/[.\-/]+$/, '');
  if (!/\d/.test(t) || t.length < 2) return null;
  // A date or an amount is not a number label's value.
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(t) || /^\d+[.,]\d{2}$/.test(t)) return null;
  return t;
}

/** A segment that is only a number heading ("INVOICE", "Factuur", "Booking ID", "Invoice No."): value below. */
const HEADING = new RegExp(String.raw`^\s*(?:(?:TAX\s+)?(?:INVOICE|FACTUUR|FACTURE|RECHNUNG)(?:\s*${NO})?|(?:BOOKING|ORDER|BILL|RECEIPT|DOC(?:UMENT)?)\s*${NO})\s*[:#]?\s*$`, 'iu');

function segmentIndexAt(row: DocContext['rows'][number]['row'], pos: number): number {
  let k = 0;
  while (k + 1 < row.offsets.length && row.offsets[k + 1] <= pos) k++;
  return k;
}

/** Rows searched below a heading for its value. */
const BELOW_ROWS = 3;

/**
 * The value printed under segment `k` of row `i`: the first segment below that overlaps it horizontally, within a
 * few rows (other header-block lines may sit in between at other x positions).
 */
function valueBelow(ctx: DocContext, i: number, k: number): { value: string; row: number; pos: number } | null {
  const seg = ctx.rows[i].row.segments[k];
  const maxGap = 2.5 * Math.max(seg.box[3], 1);
  for (let r = i + 1; r < Math.min(ctx.rows.length, i + 1 + BELOW_ROWS); r++) {
    const below = ctx.rows[r].row;
    const j = below.segments.findIndex((s) => s.box[0] < seg.box[0] + seg.box[2] && seg.box[0] < s.box[0] + s.box[2]);
    if (j < 0) continue;
    if (below.segments[j].box[1] - (seg.box[1] + seg.box[3]) > maxGap) return null;
    const end = j + 1 < below.offsets.length ? below.offsets[j + 1] : below.text.length;
    const value = cleanToken(below.text.slice(below.offsets[j], end));
    return value ? { value, row: r, pos: below.offsets[j] } : null;
  }
  return null;
}

/** The document's invoice (or bill/receipt) number, or null. */
export function extractInvoiceNumber(ctx: DocContext): InvoiceNumberResult | null {
  let best: InvoiceNumberResult | null = null;
  const offer = (r: InvoiceNumberResult): void => {
    if (!best || r.prior > best.prior) best = r;
  };
  ctx.rows.forEach((ri, i) => {
    const row = ri.row;
    for (const [re, prior] of LABELS) {
      const m = re.exec(keywordText(row.text));
      if (!m) continue;
      const labelStart = m.index ?? 0;
      const labelEnd = labelStart + m[0].length;
      const k = segmentIndexAt(row, labelStart);
      const segEnd = k + 1 < row.offsets.length ? row.offsets[k + 1] : row.text.length;
      const inline = cleanToken(row.text.slice(labelEnd));
      const labelOcr = confidenceOf(row, labelStart, labelEnd);
      if (inline) {
        offer({ value: inline, raw: `${m[0]} ${inline}`.trim(), rowIndex: i, prior, ocr: Math.min(labelOcr, confidenceOf(row, labelEnd, labelEnd + inline.length + 2)) });
        break;
      }
      if (row.text.slice(labelEnd, segEnd).replace(/[:#.\s-]/g, '') === '') {
        // Value printed under the label (invoice header tables: "Factuur" over "VF1005193039").
        const b = valueBelow(ctx, i, k);
        if (b) offer({ value: b.value, raw: `${m[0]} ${b.value}`.trim(), rowIndex: b.row, prior: prior - 0.05, ocr: Math.min(labelOcr, confidenceOf(ctx.rows[b.row].row, b.pos, b.pos + b.value.length)) });
      }
      break;
    }
    row.segments.forEach((seg, k) => {
      if (!HEADING.test(keywordText(seg.text))) return;
      const b = valueBelow(ctx, i, k);
      if (b) offer({ value: b.value, raw: `${seg.text.trim()} ${b.value}`, rowIndex: b.row, prior: 0.7, ocr: Math.min(seg.confidence, confidenceOf(ctx.rows[b.row].row, b.pos, b.pos + b.value.length)) });
    });
  });
  return best;
}
