/**
 * The fields added for issue 14 (address, total.alternatives, total.derivedFrom, Tesseract charConfidences) in real
 * extraction output, checked against schema/record.schema.json.
 */
import { describe, expect, it } from 'vitest';
import { extractFields, type ExtractInput } from '../../src/extract/extract-fields.js';
import { assertValidRecords } from '../helpers/record-schema.js';
import { okRecord } from '../helpers/records.js';

const options = { dateOrder: 'dmy', minFieldConfidence: 0.5 } as ExtractInput['options'];
const rows = ['Frischmarkt Lehmann GmbH', 'Bahnhofstr. 74', '70173 Stuttgart', 'Tel. 0711 3019211', 'Wattepads 2,48 B', 'Duschgel 2,99 B',
  'SUMME 5417', 'Geg. BAR 10,00', 'Rückgeld 4,53', '28.06.25 13:29 Bon 7933 Kasse 9'];

describe('issue 14 record additions', () => {
  it('a repaired total with its alternatives, and an address, fit the record schema', () => {
    const { fields } = extractFields({ lines: [], text: rows.join('\n'), barcodes: [], width: 0, height: 0, options, now: new Date('2026-11-28') });
    expect(fields.total).toMatchObject({ value: 5.47, derivedFrom: ['payment', 'items'], alternatives: [{ value: 5417, reason: 'arithmetic' }] });
    expect(fields.address?.value).toBe('Bahnhofstr. 74 70173 Stuttgart');
    const rec = okRecord(1);
    rec.fields = fields;
    rec.lines = [{ text: 'SUMME 5,47', confidence: 0.9, engine: 'tesseract', box: [0, 0, 10, 10], charConfidences: Array(10).fill(0.9) }];
    expect(() => assertValidRecords([rec])).not.toThrow();
  });
});
