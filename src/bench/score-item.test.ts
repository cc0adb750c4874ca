import { describe, expect, it } from 'vitest';
import { makeFailedRecord, makeOkRecord, type RecordIdentity } from '../core/record.js';
import type { BenchItem } from './datasets.js';
import { mergeFields, recordFieldValue } from './field-map.js';
import { scoreItem } from './score-item.js';
import { flattenMetrics, summarize } from './summary.js';

const id: RecordIdentity = { file: 'x.png', page: null, sha256: 'a'.repeat(64), bytes: 1, pipelineVersion: 'p', runId: 'r', engine: { name: 't', models: [], device: 'cpu', version: '1' } };
const line = (text: string, confidence = 0.9) => ({ text, confidence, engine: 't', box: [0, 0, 1, 1] as [number, number, number, number] });

describe('recordFieldValue', () => {
  const fields = {
    merchant: { value: 'SHOP A', confidence: 0.8 },
    total: { value: 80.9, currency: 'MYR', confidence: 0.9 },
    invoiceNumber: { value: 'INV-1', confidence: 0.9 },
    dates: [{ kind: 'invoice', value: '2023-01-01', confidence: 1 }, { kind: 'due', value: '2023-02-01', confidence: 1 }],
    customThing: { value: 'x', confidence: 1 },
  };
  it.each([
    ['company', 'SHOP A'],
    ['issuer', 'SHOP A'],
    ['total', 80.9],
    ['amount', 80.9],
    ['currency', 'MYR'],
    ['invoice_number', 'INV-1'],
    ['date_due', '2023-02-01'],
    ['custom_thing', 'x'],
    ['date', undefined],
    ['address', undefined],
  ])('%s → %j', (name, want) => {
    expect(recordFieldValue(fields, name)).toEqual(want);
  });

  it('merges pages: first page wins, lists concatenate', () => {
    expect(mergeFields([{ total: { value: 1, confidence: 1 }, dates: [{ kind: 'a' }] }, { total: { value: 2, confidence: 1 }, merchant: { value: 'M', confidence: 1 }, dates: [{ kind: 'b' }] }])).toEqual({
      total: { value: 1, confidence: 1 }, merchant: { value: 'M', confidence: 1 }, dates: [{ kind: 'a' }, { kind: 'b' }],
    });
  });
});

describe('scoreItem', () => {
  it('scores text, fields and barcodes of one item', () => {
    const item: BenchItem = {
      id: 'x', images: ['x.png'], docType: 'receipt', layout: 'page', text: 'TOTAL 80.90',
      fields: { total: '80.90', company: 'SHOP' }, barcodes: [{ format: 'UPC_A', text: '036602301467' }],
    };
    const rec = makeOkRecord(id, {
      lines: [line('TOTAL 80.9O')], fields: { total: { value: 80.9, confidence: 1 } },
      barcodes: [{ format: 'EAN_13', text: '0036602301467', box: null, valid: true }],
    });
    const r = scoreItem(item, [rec], 12, { foldWhitespace: true });
    expect(r.text).toMatchObject({ hyp: 'TOTAL 80.9O', chars: { substitutions: 1, refLength: 11 } });
    expect(r.score).toBeCloseTo(1 / 11, 12);
    expect(r.fields).toEqual([
      { field: 'total', kind: 'amount', expected: '80.90', actual: 80.9, exact: false, normalized: true },
      { field: 'company', kind: 'text', expected: 'SHOP', actual: null, exact: false, normalized: false },
    ]);
    expect(r.barcodes).toMatchObject({ missed: 0, falseDecodes: 0 });
    expect([r.status, r.latencyMs, r.pages, r.confidence]).toEqual(['ok', 12, 1, 0.9]);
  });

  it('counts a failed file as all-deletions and keeps its error', () => {
    const item: BenchItem = { id: 'y', images: ['y.png'], docType: 'line', layout: 'line', text: 'abcd' };
    const rec = makeFailedRecord(id, { code: 'corrupt_image', message: 'bad', stage: 'decode' });
    const r = scoreItem(item, [rec], 5, {});
    expect(r).toMatchObject({ status: 'failed', error: { code: 'corrupt_image', message: 'bad' }, score: 1, text: { chars: { deletions: 4 } } });
  });

  it('ranks field-only and barcode-only items by the share of labels missed', () => {
    const f = scoreItem({ id: 'f', images: [], docType: 'invoice', layout: 'page', fields: { total: 1, date: '2020-01-01' } },
      [makeOkRecord(id, { fields: { total: { value: 1, confidence: 1 } } })], 1, {});
    expect(f.score).toBe(0.5);
    const b = scoreItem({ id: 'b', images: [], docType: 'label', layout: 'page', barcodes: [{ format: 'QR_CODE', text: 'a' }] },
      [makeOkRecord(id, { barcodes: [{ format: 'QR_CODE', text: 'b', box: null, valid: null }] })], 1, {});
    expect(b.score).toBe(2); // one missed + one false decode per expected symbol
  });
});

describe('summarize / flattenMetrics', () => {
  it('micro-averages text, fields and barcodes and names flat metrics stably', () => {
    const items = [
      scoreItem({ id: 'a', images: [], docType: 'line', layout: 'line', text: 'ab' }, [makeOkRecord(id, { lines: [line('xb')] })], 100, {}),
      scoreItem({ id: 'b', images: [], docType: 'line', layout: 'line', text: 'abcdefgh' }, [makeOkRecord(id, { lines: [line('abcdefgh')] })], 300, {}),
      scoreItem({ id: 'c', images: [], docType: 'label', layout: 'page', barcodes: [{ format: 'EAN_8', text: '12345670' }] }, [makeOkRecord(id, { barcodes: [{ format: 'EAN_8', text: '12345670', box: null, valid: true }] })], 200, {}),
    ];
    const m = summarize(items, 1000);
    expect(m.cer).toBeCloseTo(0.1, 12);
    expect(m.throughput).toBe(3);
    expect(m.latency).toMatchObject({ p50: 200, max: 300 });
    expect(m.byDocType.map((d) => [d.docType, d.items, d.cer, d.barcodeRecall])).toEqual([['label', 1, null, 1], ['line', 2, 0.1, null]]);
    expect(Object.keys(flattenMetrics(m))).toEqual([
      'cer', 'wer', 'failureRate', 'barcode.EAN_8.recall', 'barcode.EAN_8.precision', 'barcode.all.recall', 'barcode.all.precision',
      'latency.p50Ms', 'latency.p95Ms', 'latency.maxMs', 'throughput',
    ]);
  });
});
