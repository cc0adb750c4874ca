import { describe, expect, it } from 'vitest';
import { failedRecord, okRecord, shaOf } from '../../test/helpers/records.js';
import type { RunSummary } from '../core/types.js';
import { errorRow, jobRow, METRICS_COLUMNS, metricsValues, modelName, storableRecords } from './rows.js';

describe('storableRecords', () => {
  it('drops skipped records and keeps the last of one identity', () => {
    const a = okRecord(1);
    const skipped = { ...okRecord(2), status: 'skipped' as const };
    const aAgain = { ...okRecord(1), file: 'in/copy-of-1.png' };
    const b = okRecord(3);
    expect(storableRecords([a, skipped, b, aAgain]).map((r) => r.file)).toEqual(['in/3.png', 'in/copy-of-1.png']);
  });

  it('keeps pages of one file apart', () => {
    expect(storableRecords([okRecord(1, { page: 0 }), okRecord(1, { page: 1 })])).toHaveLength(2);
  });
});

describe('jobRow / errorRow', () => {
  it('maps an ok record', () => {
    const r = okRecord(7, {}, [{ format: 'EAN_13', text: '8941100500017', box: null, valid: true }, { format: 'EAN_13', text: '8941100500017', box: null, valid: true }]);
    const row = jobRow({ ...r, product: { id: '42', barcode: '8941100500017', matchedBy: 'barcode', created: false } });
    expect(row).toMatchObject({ sha256: shaOf(7), page: null, path: 'in/7.png', status: 'ok', doc_type: 'receipt', engine: 'none',
      barcodes: ['8941100500017'], product_barcode: '8941100500017', error_code: null, total_ms: 50, run_id: 'run-1' });
    expect(errorRow(r)).toBeNull();
  });

  it('maps a failed record without a hash to a path-keyed row and an error row', () => {
    const r = failedRecord(3, 'unreadable', { sha256: '' });
    expect(jobRow(r)).toMatchObject({ sha256: null, status: 'failed', error_code: 'unreadable', product_barcode: null });
    expect(errorRow(r)).toEqual({ run_id: 'run-1', path: 'in/3.png', sha256: null, page: null, pipeline_version: '0.1.0+test',
      code: 'unreadable', message: 'in/3.png: cannot decode', stage: 'decode' });
  });
});

describe('metricsValues', () => {
  const summary: RunSummary = {
    runId: 'r', pipelineVersion: 'v', engine: { name: 'auto', models: ['det', 'rec'], device: 'cpu', version: '1' },
    files: 3, records: 4, ok: 2, needsReview: 1, failed: 1, skipped: 0, durationMs: 900,
    latencyMs: { mean: 200, p50: 180, p95: 400, max: 410 }, meanConfidence: 0.91, metrics: { cer: 0.02 },
  };
  it('lines up with the column list', () => {
    const values = metricsValues(summary);
    expect(values).toHaveLength(METRICS_COLUMNS.length);
    const row = Object.fromEntries(METRICS_COLUMNS.map((c, i) => [c, values[i]]));
    expect(row).toMatchObject({ model: 'auto[det,rec]', images: 3, records: 4, latency_p95_ms: 400, cer: 0.02, wer: null, metrics: '{"cer":0.02}' });
  });
  it.each([
    [{ name: 'none', models: [], device: 'none' as const, version: '' }, 'none'],
    [{ name: 'tesseract', models: ['eng'], device: 'wasm' as const, version: '7' }, 'tesseract[eng]'],
  ])('modelName(%o) = %s', (engine, name) => {
    expect(modelName(engine)).toBe(name);
  });
});
