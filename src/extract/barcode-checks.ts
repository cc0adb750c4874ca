/**
 * Cross-checks between decoded barcodes and the OCR text: the human-readable digits printed under an EAN/UPC
 * confirm both readings; a wrong check digit flags the code; GS1 expiry (AI 17) and variable-measure price/weight
 * confirm or supply the printed date, price and quantity.
 */
import type { FieldValue, RecordBarcode } from '../core/types.js';
import { combine, type CheckResult } from './confidence.js';

const PRODUCT_FORMATS = new Set(['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E']);

/** Whether the barcode's digits appear in the text (spaces and dashes ignored; "8 941100 500017" counts). */
export function digitsInText(code: string, text: string): boolean {
  const digits = code.replace(/\D/g, '');
  if (digits.length < 8) return false;
  const flat = text.replace(/[\s-]/g, '');
  // UPC-A may be printed without its leading 0 and EAN-13 with it; both spellings count.
  return flat.includes(digits) || (digits.startsWith('0') && flat.includes(digits.slice(1)));
}

export interface BarcodeField extends FieldValue<string> {
  format: string;
}

/** The page's product code as a field (first EAN/UPC, else the first code), with its checks. */
export function barcodeField(barcodes: RecordBarcode[], text: string): BarcodeField | null {
  const b = barcodes.find((x) => PRODUCT_FORMATS.has(x.format)) ?? barcodes[0];
  if (!b) return null;
  const checks: CheckResult[] = [];
  if (b.valid !== null) checks.push({ name: 'check_digit', state: b.valid ? 'pass' : 'fail' });
  const seen = digitsInText(b.text, text);
  if (PRODUCT_FORMATS.has(b.format)) checks.push({ name: 'barcode_text', state: seen ? 'pass' : 'na' });
  // A decoder that returns a code is already sure of its symbols; the checks move it further.
  const scored = combine(1, 0.85, checks);
  return {
    value: b.gtin ?? b.text,
    format: b.format,
    raw: b.text,
    confidence: scored.confidence,
    verified: seen && b.valid !== false,
    ...(scored.flags.length ? { flags: scored.flags } : {}),
  };
}

/** GS1 expiry (AI 17, YYMMDD; DD 00 = end of month) as ISO, or null. */
export function gs1Expiry(barcodes: RecordBarcode[]): { iso: string; raw: string } | null {
  for (const b of barcodes) {
    const v = b.gs1?.['17'] ?? b.gs1?.['15'];
    if (!v || !/^\d{6}$/.test(v)) continue;
    const y = 2000 + Number(v.slice(0, 2));
    const m = Number(v.slice(2, 4));
    let d = Number(v.slice(4, 6));
    if (m < 1 || m > 12) continue;
    if (d === 0) d = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { iso: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, raw: `(${b.gs1?.['17'] ? '17' : '15'})${v}` };
  }
  return null;
}

/** Price and weight encoded in an in-store variable-measure EAN-13 (prefix 2x), if any. */
export function variableMeasure(barcodes: RecordBarcode[]): { price?: number; weightKg?: number } | null {
  for (const b of barcodes) if (b.variableMeasure) return { price: b.variableMeasure.price, weightKg: b.variableMeasure.weightKg };
  return null;
}
