/**
 * Field confidence = OCR confidence × extraction certainty, moved by cross-checks.
 *
 *     c0 = prior                                   (how surely the rule found the field: label, position, margin)
 *     c  = c + (1 − c) · w_pass                    for each check that passed (evidence moves c toward 1)
 *     c  = c · (1 − p_fail)                        for each check that failed (the field is flagged, not dropped)
 *     confidence = ocr · c                         (ocr = lowest confidence of the OCR text the value came from)
 *
 * The weights below were set on ground-truth text (SROIE box transcripts) so that, through real OCR, fields with
 * confidence ≥ 0.9 are right at least 95% of the time (bench/fields.mjs prints the reliability table).
 */
import { reviewReason } from '../core/review-reason.js';
import type { DocType } from '../core/types.js';

export type CheckState = 'pass' | 'fail' | 'na';

export interface CheckResult {
  /** Check name, as it appears in `flags` and in `check_failed:<name>` review reasons. */
  name: CheckName;
  state: CheckState;
}

export type CheckName =
  | 'payment' // amount paid − change = total
  | 'tax' // subtotal + tax (± rounding/discount) = total
  | 'largest' // the total is the largest plausible amount
  | 'rounding' // pre-rounding total + rounding = total
  | 'sum' // line items add up to the subtotal (or total)
  | 'future' // a document date after today
  | 'far_future' // an expiry date decades ahead
  | 'far_past' // a document date decades ago
  | 'ambiguous_order' // day and month could be swapped
  | 'check_digit' // a barcode's check digit is wrong
  | 'barcode_text' // a barcode's digits are printed in the text
  | 'barcode_price'; // the price encoded in a variable-measure barcode matches the printed price

/** [raise when passed, penalty when failed]. */
const WEIGHTS: Readonly<Record<CheckName, readonly [pass: number, fail: number]>> = {
  payment: [0.6, 0.3],
  tax: [0.4, 0.25],
  largest: [0.25, 0.2],
  rounding: [0.3, 0],
  sum: [0.35, 0.15],
  future: [0, 0.5],
  far_future: [0, 0.4],
  far_past: [0, 0.5],
  ambiguous_order: [0, 0.08],
  check_digit: [0.2, 0.5],
  barcode_text: [0.5, 0],
  barcode_price: [0.5, 0.3],
};

/** Checks whose failure sends the record to review (soft ones only flag the field). */
const HARD_CHECKS: ReadonlySet<CheckName> = new Set(['payment', 'tax', 'sum', 'future', 'far_past', 'far_future', 'check_digit', 'barcode_price']);

export interface Scored {
  confidence: number;
  flags: string[];
}

/** Combines OCR confidence, the rule's prior and the checks into one 0..1 confidence (3 decimals). */
export function combine(ocr: number, prior: number, checks: CheckResult[] = []): Scored {
  let c = Math.max(0, Math.min(1, prior));
  const flags: string[] = [];
  for (const ch of checks) {
    const [w, p] = WEIGHTS[ch.name];
    if (ch.state === 'pass') c += (1 - c) * w;
    else if (ch.state === 'fail') {
      c *= 1 - p;
      flags.push(ch.name);
    }
  }
  const o = Number.isFinite(ocr) ? Math.max(0, Math.min(1, ocr)) : 0;
  return { confidence: Math.round(o * c * 1000) / 1000, flags };
}

/** Fields without which a document of this type cannot be booked. */
export const KEY_FIELDS: Readonly<Record<DocType, readonly string[]>> = {
  receipt: ['total', 'date', 'merchant'],
  invoice: ['total', 'date', 'invoiceNumber'],
  label: ['productName'],
  price_tag: ['price'],
  unknown: [],
};

/**
 * Review reasons for a record: `missing_field:<f>` for an absent key field, `low_confidence:<f>` below the
 * threshold, `check_failed:<check>` for a hard check that failed on a key field.
 */
export function reviewReasons(docType: DocType, fields: Record<string, unknown>, minConfidence: number): string[] {
  const out: string[] = [];
  for (const key of KEY_FIELDS[docType]) {
    const f = fields[key] as { confidence?: number; flags?: string[] } | undefined;
    if (!f) { out.push(reviewReason.missingField(key)); continue; }
    if ((f.confidence ?? 0) < minConfidence) out.push(reviewReason.lowConfidence(key));
    for (const flag of f.flags ?? []) if (HARD_CHECKS.has(flag as CheckName)) out.push(reviewReason.checkFailed(flag));
  }
  return [...new Set(out)];
}
