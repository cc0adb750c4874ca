/**
 * Scores what the pipeline returned for one dataset item against its labels. Pure, no I/O.
 */
import { fileStatus } from '../core/record.js';
import type { ZakRecord } from '../core/types.js';
import { matchBarcodes } from './barcode-metrics.js';
import type { BenchItem } from './datasets.js';
import { compareField, fieldKindOf } from './field-metrics.js';
import { mergeFields, recordFieldValue } from './field-map.js';
import { charErrors, wordErrors, type TextCompareOptions } from './metrics.js';
import type { FieldResult, ItemResult } from './types.js';

/**
 * One ItemResult from the item's records (one per page, over all its images). A failed page
 * leaves its text empty, so its reference characters count as deletions: failures are errors.
 */
export function scoreItem(item: BenchItem, records: readonly ZakRecord[], latencyMs: number, compare: TextCompareOptions): ItemResult {
  const failed = records.find((r) => r.status === 'failed');
  const hypText = records.map((r) => r.text).filter((t) => t.length > 0).join('\n');
  const lines = records.flatMap((r) => r.lines);
  const confidence = lines.length ? lines.reduce((s, l) => s + l.confidence, 0) / lines.length : null;
  const status = fileStatus(records);

  let text: ItemResult['text'] = null;
  let score = 0;
  if (item.text !== undefined) {
    const chars = charErrors(hypText, item.text, compare);
    text = { ref: item.text, hyp: hypText, chars, words: wordErrors(hypText, item.text, compare) };
    score = chars.rate;
  }

  let fields: FieldResult[] | null = null;
  if (item.fields) {
    const merged = mergeFields(records.map((r) => r.fields));
    fields = Object.entries(item.fields)
      .filter(([, want]) => want !== undefined && want !== null && want !== '')
      .map(([field, expected]) => {
        const kind = fieldKindOf(field);
        const actual = recordFieldValue(merged, field);
        return { field, kind, expected, actual: actual ?? null, ...compareField(kind, expected, actual) };
      });
    if (item.text === undefined && fields.length) score = fields.filter((f) => !f.normalized).length / fields.length;
  }

  let barcodes: ItemResult['barcodes'] = null;
  if (item.barcodes) {
    const decoded = records.flatMap((r) => r.barcodes.map((b) => ({ format: b.format, text: b.text })));
    const m = matchBarcodes(item.barcodes, decoded);
    barcodes = { expected: item.barcodes, decoded, missed: m.missed.length, falseDecodes: m.falseDecodes.length };
    if (item.text === undefined && !item.fields) {
      score = (m.missed.length + m.falseDecodes.length) / Math.max(1, item.barcodes.length);
    }
  }

  return {
    id: item.id,
    docType: item.docType,
    detectedDocType: records[0]?.docType ?? 'unknown',
    status,
    error: failed?.error ? { code: failed.error.code, message: failed.error.message } : null,
    pages: records.length,
    latencyMs,
    confidence,
    lines: lines.length,
    text,
    fields,
    barcodes,
    score,
  };
}
