/**
 * Invoice / bill / receipt number: the token after (or under) a number label — "Invoice No: 22497",
 * "INV #A-1029", "Facture n° 2022089083", "Factuurnummer: 993548900", "DOC NO CS00031663", "চালান নং: ১২৩".
 */
import type { DocContext } from './context.js';
import { confidenceOf } from './layout.js';

export interface InvoiceNumberResult {
  value: string;
  raw: string;
  rowIndex: number;
  prior: number;
  ocr: number;
}

const NO = String.raw`(?:NO\.?|NUMBER|NUM\.?|NBR\.?|#|N°|Nº|NR\.?|ID|নং|নম্বর)`;
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

/** The document's invoice (or bill/receipt) number, or null. */
export function extractInvoiceNumber(ctx: DocContext): InvoiceNumberResult | null {
  let best: InvoiceNumberResult | null = null;
  ctx.rows.forEach((ri, i) => {
    const text = ri.row.text;
    for (const [re, prior] of LABELS) {
      const m = re.exec(text);
      if (!m) continue;
      const labelEnd = (m.index ?? 0) + m[0].length;
      let value = cleanToken(text.slice(labelEnd));
      let row = ri;
      let pos = labelEnd;
      if (!value && text.slice(labelEnd).trim().replace(/[:#.\s-]/g, '') === '' && i + 1 < ctx.rows.length) {
        // Value printed under a column header ("Factuur" over "VF1005193039").
        const seg = ri.row.segments[ri.row.offsets.findLastIndex((o) => o <= (m.index ?? 0))] ?? ri.row.segments[0];
        const below = ctx.rows[i + 1];
        const k = below.row.segments.findIndex((s) => s.box[0] < seg.box[0] + seg.box[2] && seg.box[0] < s.box[0] + s.box[2]);
        if (k >= 0) {
          value = cleanToken(below.row.text.slice(below.row.offsets[k]));
          row = below;
          pos = below.row.offsets[k];
        }
      }
      if (!value) continue;
      const ocr = Math.min(confidenceOf(ri.row, m.index ?? 0, labelEnd), confidenceOf(row.row, pos, pos + value.length + 2));
      if (!best || prior > best.prior) best = { value, raw: `${m[0]} ${value}`.trim(), rowIndex: row.row.index, prior, ocr };
      break;
    }
  });
  return best;
}
