import { describe, expect, it } from 'vitest';
import type { ZakRecord } from '../core/types.js';
import { rowId, rowsOfRecord, selectRows, sourceLineOf } from './rows.js';

/** A hand-written receipt record for review tests (two doubtful lines, one doubtful field, a missing date). */
function receiptRecord(over: Partial<ZakRecord> = {}): ZakRecord {
  return {
    schema: 'zakocr.record/v1',
    file: 'r/receipt-1.jpg',
    page: null,
    sha256: 'b'.repeat(64),
    bytes: 1000,
    status: 'needs_review',
    docType: 'receipt',
    quality: null,
    barcodes: [],
    text: 'ZAKPOS STORE\nRice 5kg Tk 450.00\nTOTAL Tk 93O.00',
    lines: [
      { text: 'ZAKPOS STORE', confidence: 0.97, engine: 'paddle', box: [10, 10, 200, 20] },
      { text: 'Rice 5kg Tk 450.00', confidence: 0.71, engine: 'paddle', box: [10, 40, 260, 20] },
      { text: 'TOTAL Tk 93O.00', confidence: 0.55, engine: 'tesseract', box: [10, 70, 220, 20] },
    ],
    fields: {
      merchant: { value: 'ZAKPOS STORE', confidence: 0.9 },
      total: { value: 93, confidence: 0.3, raw: 'Tk 93O.00', currency: 'BDT', flags: ['sum'] },
    },
    product: null,
    engine: { name: 'auto', models: ['ch_PP-OCRv4_rec'], device: 'cpu', version: '1' },
    preprocess: [],
    review: ['missing_field:date', 'low_confidence:total', 'check_failed:sum'],
    timingsMs: {},
    pipelineVersion: '0.1.0+abc',
    runId: 'run-1',
    error: null,
    ...over,
  };
}

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
