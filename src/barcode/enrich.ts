/**
 * Raw decodes → record barcodes: check digit, GTIN-14, GS1 element strings, variable-measure content.
 * Pure (no I/O); the layouts come from config.
 */
import type { BarcodeHit, RecordBarcode } from '../core/types.js';
import { GTIN_FORMATS, hasValidCheckDigit, retailCheck, retailGtin14 } from './ean.js';
import { parseGs1 } from './gs1.js';
import { decodeVariableMeasure, type VariableMeasureLayout } from './variable-measure.js';

export interface EnrichOptions {
  layouts: readonly VariableMeasureLayout[];
  priceDecimals: number;
}

/** AIs whose last digit is a GS1 check digit. */
const KEYED_AIS = ['00', '01', '02', '03', '410', '411', '412', '413', '414', '415', '416', '417', '8017', '8018'];

/** One record barcode from one raw hit. */
export function enrichOne(hit: BarcodeHit, opts: EnrichOptions): RecordBarcode {
  const { format, text, box } = hit;
  const out: RecordBarcode = { format, text, valid: null, gtin: null, gs1: null, variableMeasure: null, box };
  if (GTIN_FORMATS.has(format)) {
    out.valid = retailCheck(format, text);
    out.gtin = retailGtin14(format, text);
    if (out.valid && (format === 'EAN_13' || format === 'UPC_A')) {
      out.variableMeasure = decodeVariableMeasure(text.padStart(13, '0'), opts.layouts, opts.priceDecimals);
    }
    return out;
  }
  const gs1 = parseGs1(text, hit.symbologyId);
  if (gs1 && Object.keys(gs1.ais).length > 0) {
    out.gs1 = gs1.ais;
    const keyed = KEYED_AIS.filter((ai) => gs1.ais[ai] !== undefined);
    // The symbol's own checksum already passed; GS1 adds check digits on its keys (GTIN, SSCC…).
    out.valid = gs1.error === null && keyed.every((ai) => hasValidCheckDigit(gs1.ais[ai]));
    if (gs1.ais['01'] !== undefined) out.gtin = gs1.ais['01'];
  }
  return out;
}

/** Record barcodes from raw hits (order kept). */
export function enrichAll(hits: readonly BarcodeHit[], opts: EnrichOptions): RecordBarcode[] {
  return hits.map((h) => enrichOne(h, opts));
}
