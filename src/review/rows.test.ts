import { describe, expect, it } from 'vitest';
import { receiptRecord } from '../../test/fakes/records.js';
import { rowId, rowsOfRecord, selectRows, sourceLineOf } from './rows.js';


const opts = { maxLineConfidence: 0.8, minFieldConfidence: 0.5 };

describe('rowsOfRecord', () => {
  it('picks low-confidence lines, doubtful fields and missing key fields', () => {
    const rows = rowsOfRecord(receiptRecord(), opts);
    expect(rows.map((r) => [r.kind, r.text, r.lineIndex])).toEqual([
      ['line', 'Rice 5kg Tk 450.00', 1],
      ['line', 'TOTAL Tk 93O.00', 2],
      ['field:date', '', null],
      ['field:total', '93', 2],
    ]);
    expect(rows[3].box).toEqual([10, 70, 220, 20]);
    expect(rows[3].fieldType).toBe('number');
  });

  it.each([
    ['a failed record', receiptRecord({ status: 'failed' }), 0],
    ['an ok record with confident content', receiptRecord({ status: 'ok', review: [], lines: [{ text: 'A', confidence: 0.99, engine: 'p', box: [0, 0, 1, 1] }], fields: {} }), 0],
    ['verified lines and fields', receiptRecord({ lines: receiptRecord().lines.map((l) => ({ ...l, verified: true })), fields: { total: { value: 930, confidence: 0.3, verified: true }, date: { value: '2026-11-28', confidence: 1, verified: true, kind: 'date' } } }), 1],
  ])('%s gives %i rows', (_n, rec, n) => {
    expect(rowsOfRecord(rec, opts)).toHaveLength(n);
  });

  it('gives stable ids that differ per line, field and file', () => {
    const a = rowsOfRecord(receiptRecord(), opts).map((r) => r.rowId);
    const b = rowsOfRecord(receiptRecord(), opts).map((r) => r.rowId);
    const c = rowsOfRecord(receiptRecord({ sha256: 'c'.repeat(64) }), opts).map((r) => r.rowId);
    expect(a).toEqual(b);
    expect(new Set([...a, ...c]).size).toBe(8);
    expect(a.every((id) => /^[LF]-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(rowId('x', 0, 'line|1|1,2,3,4')).not.toBe(rowId('x', 1, 'line|1|1,2,3,4'));
  });
});

describe('selectRows', () => {
  it('keeps the least confident rows up to the limit, shown in reading order', () => {
    const rows = [
      ...rowsOfRecord(receiptRecord({ file: 'b.jpg', sha256: 'd'.repeat(64) }), opts),
      ...rowsOfRecord(receiptRecord({ file: 'a.jpg' }), opts),
    ];
    const picked = selectRows(rows, 5);
    expect(picked.map((r) => [r.file, r.kind])).toEqual([
      ['a.jpg', 'line'],
      ['a.jpg', 'field:date'],
      ['a.jpg', 'field:total'],
      ['b.jpg', 'field:date'],
      ['b.jpg', 'field:total'],
    ]);
  });
});

describe('sourceLineOf', () => {
  it('finds the line holding the raw text, else none', () => {
    const rec = receiptRecord();
    expect(sourceLineOf(rec, { value: 93, confidence: 0.3, raw: 'Tk 93O.00' })).toBe(2);
    expect(sourceLineOf(rec, { value: 'nowhere', confidence: 0.3 })).toBeNull();
  });
});
