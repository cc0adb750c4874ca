import { describe, expect, it } from 'vitest';
import type { BarcodeHit } from '../core/types.js';
import { enrichBarcodes } from './index.js';
import { GS } from './gs1.js';

const h = (format: BarcodeHit['format'], text: string, symbologyId?: string): BarcodeHit => ({
  format, text, box: [1, 2, 3, 4], ...(symbologyId ? { symbologyId } : {}),
});

describe('enrichBarcodes', () => {
  it.each([
    [h('EAN_13', '4006381333931'), { valid: true, gtin: '04006381333931', gs1: null, variableMeasure: null }],
    [h('EAN_13', '4006381333932'), { valid: false, gtin: '04006381333932', gs1: null, variableMeasure: null }],
    [h('UPC_A', '036000291452'), { valid: true, gtin: '00036000291452', gs1: null, variableMeasure: null }],
    [h('UPC_E', '01234565'), { valid: true, gtin: '00012345000065', gs1: null, variableMeasure: null }],
    [h('EAN_8', '73513537'), { valid: true, gtin: '00000073513537', gs1: null, variableMeasure: null }],
    [h('EAN_13', '2012345004504'), { valid: true, gtin: '02012345004504', gs1: null, variableMeasure: { itemCode: '12345', price: 4.5 } }],
    // A wrong check digit never yields variable-measure content.
    [h('EAN_13', '2012345004505'), { valid: false, gtin: '02012345004505', gs1: null, variableMeasure: null }],
    [h('UPC_A', '201234004509'), { valid: true, gtin: '00201234004509', gs1: null, variableMeasure: { itemCode: '01234', price: 4.5 } }],
    [h('CODE_128', 'CNK8181G2C', ']C0'), { valid: null, gtin: null, gs1: null, variableMeasure: null }],
    [
      h('CODE_128', `0109501101530003` + `17261231` + `10AB-123${GS}3103001250`, ']C1'),
      { valid: true, gtin: '09501101530003', gs1: { '01': '09501101530003', '17': '261231', '10': 'AB-123', '3103': '001250' }, variableMeasure: null },
    ],
    // GS1 with a wrong GTIN check digit inside a symbol whose own checksum passed.
    [h('DATA_MATRIX', '0109501101530004', ']d2'), { valid: false, gtin: '09501101530004', gs1: { '01': '09501101530004' }, variableMeasure: null }],
    [h('QR_CODE', 'https://id.gs1.org/01/09501101530003?17=270101', ']Q1'), { valid: true, gtin: '09501101530003', gs1: { '01': '09501101530003', '17': '270101' }, variableMeasure: null }],
    [h('QR_CODE', 'https://example.com/menu', ']Q1'), { valid: null, gtin: null, gs1: null, variableMeasure: null }],
  ])('%j', (hit, expected) => {
    const [b] = enrichBarcodes([hit]);
    expect(b).toEqual({ format: hit.format, text: hit.text, box: hit.box, ...expected });
    expect(b).not.toHaveProperty('symbologyId');
  });

  it('uses the configured layouts', () => {
    const cfg = { variableMeasure: { layouts: ['28:FFIIIIIWWWWWC'], priceDecimals: 2 } };
    expect(enrichBarcodes([h('EAN_13', '2800420012342')], cfg)[0].variableMeasure).toEqual({ itemCode: '00420', weightKg: 1.234 });
    expect(enrichBarcodes([h('EAN_13', '2012345004504')], cfg)[0].variableMeasure).toBeNull();
  });
});
