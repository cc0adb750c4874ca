/**
 * The document's dates as fields: every date with its kind (labels beside or above it), and the main date —
 * the invoice/receipt date on receipts and invoices, the expiry (else best-before, else manufacturing) date on
 * labels — with plausibility flags.
 */
import type { DocType } from '../core/types.js';
import type { DocContext } from './context.js';
import { kindOfLabel, type DateKind, type DateMatch } from './date.js';
import { confidenceOf } from './layout.js';

export interface DateCandidate {
  match: DateMatch;
  kind: DateKind;
  labelled: boolean;
  rowIndex: number;
  ocr: number;
  /** Failed plausibility checks: 'future', 'far_future', 'far_past', 'ambiguous_order'. */
  flags: string[];
}

const DAY_MS = 86_400_000;
/** A receipt or invoice dated later than this after "now" is suspicious (clock skew, time zones: 2 days). */
const FUTURE_SLACK_DAYS = 2;
/** Expiry dates further ahead than this are suspicious. */
const FAR_FUTURE_YEARS = 15;
/** Document dates older than this are suspicious. */
const FAR_PAST_YEARS = 30;

function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

/** Every date on the page with its kind and plausibility flags. */
export function collectDates(ctx: DocContext): DateCandidate[] {
  const out: DateCandidate[] = [];
  const today = Math.floor(ctx.now.getTime() / DAY_MS);
  ctx.rows.forEach((ri, i) => {
    for (const d of ri.dates) {
      let kind = d.kind;
      let labelled = d.labelled;
      if (!labelled && i > 0) {
        // A column header above the date: "Invoice Date:" over "03/20/2023".
        const seg = ri.row.segments[ri.row.offsets.findLastIndex((o) => o <= d.start)] ?? ri.row.segments[0];
        const [x, , w] = seg.box;
        const above = ctx.rows[i - 1].row.segments.filter((s) => s.box[0] < x + w && x < s.box[0] + s.box[2]);
        for (const s of above) {
          const k = kindOfLabel(s.text);
          if (k && ctx.rows[i - 1].dates.length === 0) { kind = k; labelled = true; break; }
        }
      }
      const flags: string[] = [];
      const day = dayNumber(d.iso);
      const docKind = kind === 'date' || kind === 'invoice';
      if ((docKind || kind === 'manufactured') && day > today + FUTURE_SLACK_DAYS) flags.push('future');
      if (day > today + FAR_FUTURE_YEARS * 365) flags.push('far_future');
      if (docKind && day < today - FAR_PAST_YEARS * 365) flags.push('far_past');
      if (d.ambiguous) flags.push('ambiguous_order');
      out.push({ match: d, kind, labelled, rowIndex: i, ocr: confidenceOf(ri.row, d.start, d.end), flags: [...new Set(flags)] });
    }
  });
  return out;
}

const LABEL_KINDS: DateKind[] = ['expiry', 'best_before', 'manufactured'];

/**
 * The main date and how surely it is the main one (0..1, before OCR confidence and checks).
 */
export function pickMainDate(cands: DateCandidate[], docType: DocType, rows: number): { date: DateCandidate; prior: number } | null {
  if (cands.length === 0) return null;
  if (docType === 'label' || docType === 'price_tag') {
    for (const k of LABEL_KINDS) {
      const c = cands.find((x) => x.kind === k);
      if (c) return { date: c, prior: c.labelled ? 0.9 : 0.7 };
    }
  }
  const doc = cands.filter((c) => !LABEL_KINDS.includes(c.kind) && c.kind !== 'due');
  const pool = doc.length > 0 ? doc : cands;
  const scored = pool.map((c) => {
    let s = 0;
    if (c.kind === 'invoice') s += 0.5;
    else if (c.labelled) s += 0.35;
    if (c.match.hasTime) s += 0.25;
    if (c.match.precision === 'month') s -= 0.3;
    if (c.flags.includes('future') || c.flags.includes('far_past')) s -= 0.5;
    s += 0.1 * (1 - c.rowIndex / Math.max(rows, 1));
    return { c, s };
  });
  scored.sort((a, b) => b.s - a.s || a.c.rowIndex - b.c.rowIndex);
  const best = scored[0];
  const distinct = new Set(pool.map((c) => c.match.iso));
  const rival = scored.find((x) => x.c.match.iso !== best.c.match.iso);
  let prior = best.c.kind === 'invoice' ? 0.93 : best.c.labelled || best.c.match.hasTime ? 0.9 : 0.78;
  if (distinct.size === 1) prior = Math.min(0.97, prior + 0.05);
  else if (rival && best.s - rival.s < 0.2) prior -= 0.15;
  if (doc.length === 0) prior -= 0.2;
  // A receipt or invoice is dated to the day; a month-only reading is more likely a misread.
  if (best.c.match.precision === 'month') prior -= 0.25;
  return { date: best.c, prior };
}
