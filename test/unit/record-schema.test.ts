import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILE_ERROR_CODES } from '../../src/core/errors.js';
import { makeSkippedRecord, RECORD_SCHEMA } from '../../src/core/record.js';
import { assertValidRecords, recordSchemaPath, recordSchemaProblems } from '../helpers/record-schema.js';
import { ean13, failedRecord, identity, okRecord } from '../helpers/records.js';

const schema = JSON.parse(readFileSync(recordSchemaPath, 'utf8')) as {
  properties: { schema: { const: string } };
  $defs: { error: { properties: { code: { examples: string[] } } } };
};

describe('schema/record.schema.json', () => {
  it('describes the records core/record.ts builds: ok, failed, skipped, with barcodes and products', () => {
    const withCode = okRecord(1, {}, [ean13('9501101530003', { gtin: '09501101530003', gs1: null, variableMeasure: null })]);
    withCode.product = { id: '7', barcode: '9501101530003', matchedBy: 'barcode', created: false, name: 'Soap', price: 45, currency: 'BDT', unit: null };
    withCode.quality = { score: 0.9, blur: 120, brightness: 0.8, contrast: 0.7, skewDeg: 0.4, rotation: 0, issues: [], blurRel: 0.02 };
    const unreadable = failedRecord(2, 'unreadable', { sha256: '' });
    expect(() => assertValidRecords([withCode, failedRecord(3), unreadable, makeSkippedRecord(identity(4), 'already_done')])).not.toThrow();
  });

  it('rejects what a client could not rely on', () => {
    const good = okRecord(1);
    expect(recordSchemaProblems({ ...good, extra: 1 })).toEqual([expect.stringContaining('"additionalProperty":"extra"')]);
    const { sha256: _omit, ...noSha } = good;
    expect(recordSchemaProblems(noSha).join()).toContain("required property 'sha256'");
    expect(recordSchemaProblems({ ...good, status: 'failed' }).join()).toContain('/error');
    expect(recordSchemaProblems({ ...failedRecord(1), error: null }).join()).toContain('/error');
    expect(recordSchemaProblems({ ...good, status: 'needs_review', review: [] }).join()).toContain('/review');
    expect(recordSchemaProblems({ ...good, lines: [{ ...good.lines[0], box: [1, 2, 3] }] }).join()).toContain('/lines/0/box');
    expect(recordSchemaProblems({ ...good, lines: [{ ...good.lines[0], confidence: 1.5 }] }).join()).toContain('/lines/0/confidence');
    expect(recordSchemaProblems({ ...good, sha256: 'ABC' }).join()).toContain('/sha256');
    expect(recordSchemaProblems({ ...good, fields: { total: { value: '12', confidence: 0.9 } } }).join()).toContain('/fields/total/value');
    expect(recordSchemaProblems({ ...good, fields: { address: { value: 'Dhaka' } } }).join()).toContain("required property 'confidence'");
  });

  it('keeps its version and error codes in step with the code', () => {
    expect(schema.properties.schema.const).toBe(RECORD_SCHEMA);
    expect(schema.$defs.error.properties.code.examples).toEqual([...FILE_ERROR_CODES]);
  });
});
