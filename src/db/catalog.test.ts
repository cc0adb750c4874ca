import { describe, expect, it } from 'vitest';
import type { RecordBarcode } from '../core/types.js';
import { gtin14, productDetails, productKeys, upcEToUpcA } from './catalog.js';

const bc = (format: RecordBarcode['format'], text: string, extra: Partial<RecordBarcode> = {}): RecordBarcode => ({ format, text, box: null, valid: true, ...extra });

describe('upcEToUpcA', () => {
  it.each([
    ['01234565', '012345000065'],
    ['04252614', '042100005264'],
    ['01234133', '012300000413'],
    ['01234142', '012340000012'],
    ['01234506', '012000003456'],
    ['21234565', null],
    ['0123456', null],
  ])('%s → %s', (e, a) => {
    expect(upcEToUpcA(e)).toBe(a);
  });
});

describe('gtin14', () => {
  it.each<[RecordBarcode, string | null]>([
    [bc('EAN_13', '8941100500017'), '08941100500017'],
    [bc('EAN_8', '96385074'), '00000096385074'],
    [bc('UPC_A', '036000291452'), '00036000291452'],
    [bc('UPC_E', '04252614'), '00042100005264'],
    [bc('CODE_128', '(01)09501101530003(17)261231', { gtin: '09501101530003' }), '09501101530003'],
    [bc('QR_CODE', 'https://zakpos.example/p/1'), null],
    [bc('EAN_13', '89411005000'), null],
  ])('%o → %s', (b, g) => {
    expect(gtin14(b)).toBe(g);
  });
});

describe('productKeys', () => {
  it('keeps trade-item codes in order, drops invalid, variable-measure, non-product and duplicate codes', () => {
    const keys = productKeys([
      bc('QR_CODE', 'https://x'),
      bc('EAN_13', '4006381333931', { valid: false }),
      bc('EAN_13', '2012345012349', { variableMeasure: { itemCode: '01234', price: 12.34 } }),
      bc('UPC_A', '036000291452'),
      bc('EAN_13', '0036000291452'),
      bc('EAN_8', '96385074'),
      bc('CODE_128', 'GS1', { gtin: '09501101530003' }),
    ]);
    expect(keys).toEqual([
      { barcode: '036000291452', gtin: '00036000291452' },
      { barcode: '96385074', gtin: '00000096385074' },
      { barcode: 'GS1', gtin: '09501101530003' },
    ]);
  });
  it('is empty without product codes', () => {
    expect(productKeys([bc('QR_CODE', 'x'), bc('CODE_39', 'ABC')])).toEqual([]);
  });
});

describe('productDetails', () => {
  it.each([
    [{}, { name: null, price: null, currency: null, unit: null }],
    [{ productName: { value: '  Basmati Rice ', confidence: 0.8 }, price: { value: 450, currency: 'BDT', confidence: 0.9 }, quantity: { value: 5, unit: 'kg', confidence: 0.9 } },
      { name: 'Basmati Rice', price: 450, currency: 'BDT', unit: 'kg' }],
    [{ unitPrice: { value: 95.5, confidence: 0.9 }, currency: { value: 'BDT', confidence: 0.7 } }, { name: null, price: 95.5, currency: 'BDT', unit: null }],
    [{ price: { value: -3, confidence: 0.9 } }, { name: null, price: null, currency: null, unit: null }],
  ])('%o → %o', (fields, details) => {
    expect(productDetails(fields)).toEqual(details);
  });
});
