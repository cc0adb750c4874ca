import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { makeFailedRecord, makeOkRecord, type RecordIdentity } from '../core/record.js';
import type { ZakRecord } from '../core/types.js';
import { CSV_COLUMNS, csvFormat, flattenRecord } from './csv.js';

const id: RecordIdentity = {
  file: 'shop/receipt 1.jpg',
  page: null,
  sha256: 'ab'.repeat(32),
  bytes: 1234,
  pipelineVersion: '0.1.0+test',
  runId: 'run-1',
  engine: { name: 'tesseract', models: ['tesseract-eng'], device: 'wasm', version: '7.0.0' },
};

function parseRows(text: string): Array<Record<string, string>> {
  return parse(text, { columns: true, bom: true }) as Array<Record<string, string>>;
}

function csvOf(records: ZakRecord[]): string {
  return csvFormat.header() + records.map((r, i) => csvFormat.serialise(r, i)).join('') + csvFormat.footer(records.length);
}

describe('csvFormat', () => {
  const ok = makeOkRecord(id, {
    lines: [
      { text: '=cmd|calc', confidence: 0.9, engine: 'tesseract', box: [1, 2, 3, 4] },
      { text: 'TOTAL Tk 930.00', confidence: 0.8, engine: 'tesseract', box: [1, 9, 3, 4] },
    ],
    fields: {
      total: { value: 930, currency: 'BDT', raw: 'Tk 930.00', confidence: 0.9 },
      price: { value: -12.5, raw: '-12.50', confidence: 0.6 },
      merchant: { value: '@Dhaka Foods', confidence: 0.7 },
      date: { kind: 'invoice', value: '2026-11-28', confidence: 0.8 },
    },
    barcodes: [{ format: 'EAN_13', text: '8941100500017', valid: true, box: null }],
    timingsMs: { total: 470 },
  });
  const failed = makeFailedRecord({ ...id, file: '-weird.png', sha256: 'cd'.repeat(32) }, { code: 'corrupt_image', message: 'truncated, "bad", data', stage: 'decode' });

  it('has a header with every column, once', () => {
    const [header] = parse(csvFormat.header()) as string[][];
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(new Set(header).size).toBe(header.length);
  });

  it('writes one parseable row per record with escaped text and unquoted numbers', () => {
    const text = csvOf([ok, failed]);
    const rows = parseRows(text);
    expect(rows).toHaveLength(2);
    const [a, b] = rows;
    expect(a.file).toBe('shop/receipt 1.jpg');
    expect(a.text).toBe("'=cmd|calc\nTOTAL Tk 930.00");
    expect(a.total).toBe('930');
    expect(a.price).toBe('-12.5');
    expect(a.merchant).toBe("'@Dhaka Foods");
    expect(a.currency).toBe('BDT');
    expect(a.date).toBe('2026-11-28');
    expect(a.barcodes).toBe('8941100500017');
    expect(a.mean_confidence).toBe('0.85');
    expect(a.total_ms).toBe('470');
    expect(a.status).toBe('ok');
    expect(b.file).toBe("'-weird.png");
    expect(b.status).toBe('failed');
    expect(b.error_code).toBe('corrupt_image');
    expect(b.error_message).toBe('truncated, "bad", data');
    expect(b.total).toBe('');
    // Numbers are written bare (a spreadsheet reads them as numbers), never quoted text.
    const row = text.slice(text.indexOf('shop/receipt 1.jpg'), text.indexOf("'-weird.png"));
    expect(row).toContain(',-12.5,BDT,');
    expect(row).toContain(',930,');
    expect(row).not.toMatch(/"930"|"-12\.5"/);
  });

  it('keeps the whole record as JSON in the last column (resume reads it back)', () => {
    const [a, b] = parseRows(csvOf([ok, failed]));
    expect(JSON.parse(a.record_json)).toEqual(ok);
    expect(JSON.parse(b.record_json)).toEqual(failed);
  });

  it('flattens missing fields to null', () => {
    const flat = flattenRecord(makeOkRecord(id, {}));
    expect([flat.total, flat.price, flat.currency, flat.date, flat.mean_confidence, flat.quality_score, flat.error_code]).toEqual([null, null, null, null, null, null, null]);
    expect(flat.review).toBe('');
  });
});
