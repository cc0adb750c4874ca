import type { ZakRecord } from '../../src/core/types.js';

/** A hand-written receipt record for review tests (two doubtful lines, one doubtful field, a missing date). */
export function receiptRecord(over: Partial<ZakRecord> = {}): ZakRecord {
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
