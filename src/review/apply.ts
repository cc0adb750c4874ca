import { withLines, withReview } from '../core/record.js';
import { parseReviewReason, reasonField } from '../core/review-reason.js';
import type { FieldValue, ZakRecord } from '../core/types.js';
import { GROUND_TRUTH_SCHEMA, type GroundTruthLine } from './ground-truth.js';
import { fieldText, type ReviewRow } from './rows.js';
import type { Correction, SheetProblem } from './sheet.js';

/**
 * Applies reviewer corrections to one record. Lines get the corrected text, `verified: true` and
 * (when the text changed) `ocrText` with what the engine read; fields get the value, `verified: true`
 * and `ocrValue`. Review reasons about verified fields are dropped; when every row of the record was
 * verified, all its reasons are settled; a needs_review record without reasons left becomes ok.
 * Applying the same corrections twice changes nothing the second time. Pure.
 */

export interface RowCorrection {
  row: ReviewRow;
  correction: Correction;
}

export interface ApplyOutcome {
  record: ZakRecord;
  changed: boolean;
  /** Verified lines, for the package's ground truth. */
  groundTruth: GroundTruthLine[];
  /** Rows whose target no longer matches what the package saw (nothing of the record may be applied then). */
  conflicts: SheetProblem[];
}

function sameBox(a: readonly number[] | null | undefined, b: readonly number[] | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.length === b.length && a.every((v, i) => Math.round(v) === Math.round(b[i]));
}

/**
 * @param items the corrections that target this record
 * @param packageRows every row the package holds for this record (decides the status change)
 */
export function applyToRecord(rec: ZakRecord, items: RowCorrection[], packageRows: ReviewRow[]): ApplyOutcome {
  const before = JSON.stringify(rec);
  const out = structuredClone(rec);
  const conflicts: SheetProblem[] = [];
  const groundTruth: GroundTruthLine[] = [];
  for (const { row, correction } of items) {
    const where = { sheetRow: correction.sheetRow, column: 'row_id' };
    if (row.kind === 'line') {
      const line = row.lineIndex === null ? undefined : out.lines[row.lineIndex];
      if (!line || !sameBox(line.box, row.box)) {
        conflicts.push({ ...where, message: `line ${row.lineIndex} of ${row.file} is no longer in the results (re-scanned since the package was made?)` });
        continue;
      }
      if (line.text !== row.text && line.text !== correction.text && !line.verified) {
        conflicts.push({ ...where, message: `line ${row.lineIndex} of ${row.file} now reads ${JSON.stringify(line.text)}, not ${JSON.stringify(row.text)} (the results changed since the package was made)` });
        continue;
      }
      if (line.text !== correction.text) {
        if (line.ocrText === undefined) line.ocrText = line.text;
        line.text = correction.text;
      }
      if (line.ocrText === line.text) delete line.ocrText;
      line.verified = true;
      groundTruth.push({
        schema: GROUND_TRUTH_SCHEMA,
        rowId: row.rowId,
        file: rec.file,
        image: row.image,
        sha256: rec.sha256,
        page: rec.page,
        lineIndex: row.lineIndex!,
        box: line.box,
        ...(line.quad ? { quad: line.quad } : {}),
        text: line.text,
        ocrText: line.ocrText ?? line.text,
        engine: line.engine,
        confidence: line.confidence,
        docType: rec.docType,
        engineStamp: row.engineStamp,
      });
    } else if (row.field) {
      const fields = out.fields as Record<string, unknown>;
      const f = fields[row.field] as FieldValue | undefined;
      const current = fieldText(f?.value);
      if (current !== row.text && current !== String(correction.value) && !f?.verified) {
        conflicts.push({ ...where, message: `field ${row.field} of ${row.file} is now ${JSON.stringify(current)}, not ${JSON.stringify(row.text)} (the results changed since the package was made)` });
        continue;
      }
      if (f) {
        if (f.value !== correction.value) {
          if (f.ocrValue === undefined) f.ocrValue = f.value;
          f.value = correction.value;
        }
        if (f.ocrValue === f.value) delete f.ocrValue;
        f.verified = true;
      } else {
        // Manual entry of a field the extractor did not find.
        const nf: FieldValue = { value: correction.value, confidence: 1, verified: true, source: 'review' };
        if (row.field === 'date') (nf as FieldValue & { kind: string }).kind = 'date';
        fields[row.field] = nf;
      }
    }
  }
  if (conflicts.length > 0) return { record: rec, changed: false, groundTruth: [], conflicts };
  const verifiedField = (name: string) => !!(out.fields as Record<string, FieldValue | undefined>)[name]?.verified;
  // Reasons about a field a person has now verified are resolved.
  let review = out.review.filter((reason) => {
    const field = reasonField(parseReviewReason(reason));
    return !(field && verifiedField(field));
  });
  const allVerified =
    packageRows.length > 0 &&
    packageRows.every((r) => (r.kind === 'line' ? r.lineIndex !== null && !!out.lines[r.lineIndex]?.verified : !!(r.field && verifiedField(r.field))));
  // Everything the package flagged was checked by a person: the remaining reasons (failed checks…) are settled too.
  if (allVerified) review = [];
  // The corrected lines carry the text; a needs_review record without reasons left becomes ok.
  const result = withReview({ ...withLines(rec, out.lines), fields: out.fields }, review);
  const changed = JSON.stringify(result) !== before;
  return { record: changed ? result : rec, changed, groundTruth, conflicts };
}
