import { detectPii } from './pii.js';
import { scriptOf } from './text.js';
import type { LineFilters, LineSample, SkipReason, SourceDoc } from './types.js';

/**
 * Decides, before any pixel is touched, whether a line may go into the set. Labels and human
 * corrections are ground truth: confidence and engine filters apply to OCR lines only.
 * Returns the reason to skip it, or null to keep it. Pure.
 */
export function judgeLine(line: LineSample, doc: Pick<SourceDoc, 'docType'>, label: string, f: LineFilters): SkipReason | null {
  if (line.invalid) return 'bad_box';
  if (label === '') return 'empty_text';
  if (f.docTypes && !f.docTypes.includes(doc.docType ?? 'unknown')) return 'doc_type';
  if (line.origin === 'ocr') {
    const c = line.confidence;
    if (c === null || c < f.minConfidence || c > f.maxConfidence) return 'confidence';
    if (f.engines && !f.engines.includes(line.engine ?? '')) return 'engine';
  }
  if (f.scripts && !f.scripts.includes(scriptOf(label))) return 'script';
  if (f.redact && detectPii(label).length > 0) return 'redacted';
  return null;
}
