import { describe, expect, it } from 'vitest';
import { judgeLine } from './filters.js';
import type { LineFilters, LineSample } from './types.js';

const none: LineFilters = { minConfidence: 0.9, maxConfidence: 1, docTypes: null, engines: null, scripts: null, redact: false };
const ocr = (confidence: number | null, engine = 'paddle'): LineSample => ({ index: 0, text: 'x', quad: null, origin: 'ocr', engine, confidence });
const label: LineSample = { index: 0, text: 'x', quad: null, origin: 'label', engine: null, confidence: null };

describe('judgeLine', () => {
  it.each([
    ['a confident OCR line', ocr(0.95), 'receipt', 'TOTAL 31.00', none, null],
    ['an OCR line under min confidence', ocr(0.5), 'receipt', 'TOTAL', none, 'confidence'],
    ['an OCR line without confidence', ocr(null), 'receipt', 'TOTAL', none, 'confidence'],
    ['an OCR line above max confidence', ocr(0.99), 'receipt', 'TOTAL', { ...none, minConfidence: 0, maxConfidence: 0.9 }, 'confidence'],
    ['a label whatever the confidence filter', label, null, 'TOTAL', { ...none, minConfidence: 1 }, null],
    ['a reviewed line below min confidence', { ...ocr(0.2), origin: 'reviewed' as const }, 'receipt', 'TOTAL', none, null],
    ['an empty label', label, null, '', none, 'empty_text'],
    ['a bad box', { ...label, invalid: 'no area' }, null, 'TOTAL', none, 'bad_box'],
    ['another doc type', ocr(0.95), 'label', 'TOTAL', { ...none, docTypes: ['receipt' as const] }, 'doc_type'],
    ['an unknown doc type when filtering', label, null, 'TOTAL', { ...none, docTypes: ['unknown' as const] }, null],
    ['another engine', ocr(0.95, 'tesseract'), 'receipt', 'TOTAL', { ...none, engines: ['paddle'] }, 'engine'],
    ['a Latin line when only Bengali is wanted', label, null, 'TOTAL', { ...none, scripts: ['bengali' as const] }, 'script'],
    ['a Bengali line when Bengali is wanted', label, null, 'মোট ৳ ১২০', { ...none, scripts: ['bengali' as const] }, null],
    ['a phone number with --redact', label, null, 'Mobile 01712-345678', { ...none, redact: true }, 'redacted'],
    ['a phone number without --redact', label, null, 'Mobile 01712-345678', none, null],
  ])('%s', (_name, line, docType, text, filters, want) => {
    expect(judgeLine(line, { docType: docType as never }, text, filters)).toBe(want);
  });
});
