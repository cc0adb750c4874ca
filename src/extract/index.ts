import type { DocType, Fields, OcrLine, RecordBarcode } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';

export interface ExtractInput {
  lines: OcrLine[];
  text: string;
  barcodes: RecordBarcode[];
  /** Page size, for layout features (largest text, columns). */
  width: number;
  height: number;
  options: ZakConfig['extract'];
  /** "Now" for plausibility checks (dates in the far future); injectable for tests. */
  now?: Date;
}

export interface ExtractOutput {
  docType: DocType;
  fields: Fields;
  /** Machine-readable reasons the record needs review (missing key field, low confidence, failed check). */
  review: string[];
}

/**
 * Typed fields from OCR lines and barcodes. Pure: no I/O.
 * (Foundation version: detects nothing; the extraction issue fills this in.)
 */
export function extractFields(_input: ExtractInput): ExtractOutput {
  return { docType: 'unknown', fields: {}, review: [] };
}
