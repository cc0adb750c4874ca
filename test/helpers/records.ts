import { makeFailedRecord, makeOkRecord, type RecordIdentity } from '../../src/core/record.js';
import type { RecordBarcode, ZakRecord } from '../../src/core/types.js';
import { createHash } from 'node:crypto';

/** A sha256 for test record number `i`. */
export function shaOf(i: number | string): string {
  return createHash('sha256').update(`zakocr-test-${i}`).digest('hex');
}

export function identity(i: number, over: Partial<RecordIdentity> = {}): RecordIdentity {
  return {
    file: `in/${i}.png`,
    page: null,
    sha256: shaOf(i),
    bytes: 1000 + i,
    pipelineVersion: '0.1.0+test',
    runId: 'run-1',
    engine: { name: 'none', models: [], device: 'none', version: '0' },
    ...over,
  };
}

/** A realistic ok record (~2 KB of JSON): lines, fields, a barcode. */
export function okRecord(i: number, over: Partial<RecordIdentity> = {}, barcodes: RecordBarcode[] = []): ZakRecord {
  return makeOkRecord(identity(i, over), {
    docType: 'receipt',
    barcodes,
    lines: Array.from({ length: 8 }, (_, k) => ({ text: `line ${k} of receipt ${i}: Basmati Rice 5kg Tk 450.00`, confidence: 0.93, engine: 'test', box: [10, 20 * k, 300, 18] as [number, number, number, number] })),
    fields: {
      productName: { value: `Basmati Rice ${i}`, confidence: 0.8 },
      price: { value: 450, currency: 'BDT', raw: 'Tk 450.00', confidence: 0.9 },
      total: { value: 450, currency: 'BDT', confidence: 0.9 },
    },
    timingsMs: { decode: 3, ocr: 40, total: 50 },
  });
}

export function failedRecord(i: number, code = 'corrupt_image', over: Partial<RecordIdentity> = {}): ZakRecord {
  return makeFailedRecord(identity(i, over), { code, message: `in/${i}.png: cannot decode`, stage: 'decode' }, { total: 2 });
}

export function ean13(text: string, extra: Partial<RecordBarcode> = {}): RecordBarcode {
  return { format: 'EAN_13', text, box: null, valid: true, ...extra };
}
