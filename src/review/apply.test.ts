import { describe, expect, it } from 'vitest';
import { receiptRecord } from '../../test/fakes/records.js';
import { applyToRecord, type RowCorrection } from './apply.js';
import { rowsOfRecord, type ReviewRow } from './rows.js';


const rows = rowsOfRecord(receiptRecord(), { maxLineConfidence: 0.8, minFieldConfidence: 0.5 });
const byKind = (k: string) => rows.find((r) => r.kind === k && (k !== 'line' || r.lineIndex === 2))!;
const fix = (row: ReviewRow, text: string, value: string | number = text, sheetRow = 2): RowCorrection => ({ row, correction: { sheetRow, rowId: row.rowId, text, value } });

describe('applyToRecord', () => {
  it('corrects a line, keeps the OCR text, rebuilds the record text and yields ground truth', () => {
    const out = applyToRecord(receiptRecord(), [fix(byKind('line'), 'TOTAL Tk 930.00')], rows);
    expect(out.conflicts).toEqual([]);
    expect(out.changed).toBe(true);
    expect(out.record.lines[2]).toMatchObject({ text: 'TOTAL Tk 930.00', ocrText: 'TOTAL Tk 93O.00', verified: true, confidence: 0.55 });
    expect(out.record.text).toBe('ZAKPOS STORE\nRice 5kg Tk 450.00\nTOTAL Tk 930.00');
    expect(out.groundTruth).toMatchObject([{ text: 'TOTAL Tk 930.00', ocrText: 'TOTAL Tk 93O.00', box: [10, 70, 220, 20], lineIndex: 2, sha256: 'b'.repeat(64) }]);
    expect(out.record.status).toBe('needs_review');
  });

  it('confirms a line unchanged (no ocrText) and is idempotent', () => {
    const first = applyToRecord(receiptRecord(), [fix(byKind('line'), 'TOTAL Tk 93O.00')], rows);
    expect(first.record.lines[2]).toEqual({ ...receiptRecord().lines[2], verified: true });
    const again = applyToRecord(first.record, [fix(byKind('line'), 'TOTAL Tk 93O.00')], rows);
    expect(again.changed).toBe(false);
    expect(again.record).toBe(first.record);
  });

  it('sets fields, fills a missing one by hand, resolves reasons and makes the record ok when all rows are checked', () => {
    const items = rows.map((r) =>
      r.kind === 'field:total' ? fix(r, '930', 930) : r.kind === 'field:date' ? fix(r, '2026-11-28') : fix(r, r.text),
    );
    const out = applyToRecord(receiptRecord(), items, rows);
    expect(out.record.fields.total).toMatchObject({ value: 930, ocrValue: 93, verified: true, raw: 'Tk 93O.00' });
    expect(out.record.fields.date).toEqual({ value: '2026-11-28', confidence: 1, verified: true, source: 'review', kind: 'date' });
    expect(out.record.status).toBe('ok');
    expect(out.record.review).toEqual([]);
  });

  it('drops only the reasons about verified fields while rows remain open', () => {
    const out = applyToRecord(receiptRecord(), [fix(byKind('field:date'), '2026-11-28')], rows);
    expect(out.record.review).toEqual(['low_confidence:total', 'check_failed:sum']);
    expect(out.record.status).toBe('needs_review');
  });

  it.each([
    ['the line text changed since export', receiptRecord({ lines: receiptRecord().lines.map((l, i) => (i === 2 ? { ...l, text: 'TOTAL 1' } : l)) }), 'line 2 of r/receipt-1.jpg now reads "TOTAL 1", not "TOTAL Tk 93O.00" (the results changed since the package was made)'],
    ['the line is gone', receiptRecord({ lines: receiptRecord().lines.slice(0, 2) }), 'line 2 of r/receipt-1.jpg is no longer in the results (re-scanned since the package was made?)'],
    ['the line moved', receiptRecord({ lines: receiptRecord().lines.map((l, i) => (i === 2 ? { ...l, box: [10, 90, 220, 20] as [number, number, number, number] } : l)) }), 'line 2 of r/receipt-1.jpg is no longer in the results (re-scanned since the package was made?)'],
  ])('reports a conflict when %s, changing nothing', (_n, rec, message) => {
    const out = applyToRecord(rec, [fix(byKind('line'), 'TOTAL Tk 930.00', 'TOTAL Tk 930.00', 7)], rows);
    expect(out.conflicts).toEqual([{ sheetRow: 7, column: 'row_id', message }]);
    expect(out.changed).toBe(false);
    expect(out.record).toBe(rec);
  });
});
