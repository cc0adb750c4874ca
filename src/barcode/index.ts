import type { BarcodeHit, BarcodeReader, RecordBarcode } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';

/**
 * Creates the barcode reader for a run, or null when barcodes are off.
 * (Foundation version: no decoder yet; the barcode issue fills this in.)
 */
export async function createBarcodeReader(opts: ZakConfig['barcode']): Promise<BarcodeReader | null> {
  if (!opts.enabled) return null;
  return null;
}

/** Adds check-digit validity, GTIN, GS1 and variable-measure data to raw hits. Pure. */
export function enrichBarcodes(hits: BarcodeHit[]): RecordBarcode[] {
  return hits.map((h) => ({ ...h, valid: null }));
}
