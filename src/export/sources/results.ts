import { hasContentHash } from '../../core/record.js';
import { readRecords } from '../../core/record-io.js';
import type { OcrLine, ZakRecord } from '../../core/types.js';
import { quadFromBox } from '../../core/geometry.js';
import { candidatePaths } from '../../crop/image.js';
import type { LineSample, SourceDoc } from '../types.js';

/**
 * Scan results (`zakocr.record/v1` JSON Lines) as an export source: every line of every ok /
 * needs_review record, with its engine and confidence (the runner applies `--min-confidence`).
 * Lines a person verified in `zakocr review import` carry `verified: true` and count as ground truth.
 * When a file appears in several records (re-runs appended), the last record wins.
 */

/** Turns a record's lines into samples; lines without a usable box are marked invalid. */
export function samplesOfRecord(rec: Pick<ZakRecord, 'lines'>): LineSample[] {
  return (rec.lines ?? []).map((l: OcrLine, index): LineSample => {
    const sample: LineSample = {
      index,
      text: typeof l.text === 'string' ? l.text : '',
      quad: null,
      origin: l.verified ? 'reviewed' : 'ocr',
      engine: typeof l.engine === 'string' ? l.engine : null,
      confidence: typeof l.confidence === 'number' ? l.confidence : null,
    };
    if (Array.isArray(l.quad) && l.quad.length === 4) sample.quad = l.quad;
    else if (Array.isArray(l.box) && l.box.length === 4 && l.box.every(Number.isFinite) && l.box[2] > 0 && l.box[3] > 0) sample.quad = quadFromBox(l.box);
    else sample.invalid = `line ${index} has no usable box (${JSON.stringify(l.box)})`;
    return sample;
  });
}

/**
 * Reads a results file (JSON Lines, or the JSON sink's array) into documents sorted by (file, page).
 * @throws UsageError naming the line when a row is not JSON or not a zakocr record.
 */
export async function readResults(resultsPath: string, imagesRoot?: string): Promise<{ docs: SourceDoc[]; paths: Map<SourceDoc, string[]> }> {
  const byKey = new Map<string, SourceDoc>();
  const paths = new Map<SourceDoc, string[]>();
  for await (const rec of readRecords(resultsPath)) {
    if (rec.status === 'failed' || rec.status === 'skipped') continue;
    const cands = candidatePaths(rec.file, resultsPath, imagesRoot);
    const doc: SourceDoc = {
      file: rec.file,
      absPath: cands[0],
      page: typeof rec.page === 'number' ? rec.page : null,
      sha256: hasContentHash(rec) ? rec.sha256 : null,
      docType: rec.docType ?? null,
      engine: rec.engine ? { name: rec.engine.name, version: rec.engine.version ?? null, models: rec.engine.models ?? [] } : null,
      lines: samplesOfRecord(rec),
    };
    // The later record of a (content, page) replaces the earlier one, whatever its pipeline version, and takes its place in order.
    const key = `${doc.sha256 ?? doc.file}\u0000${doc.page}`;
    byKey.delete(key);
    byKey.set(key, doc);
    paths.set(doc, cands);
  }
  const docs = [...byKey.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.page ?? -1) - (b.page ?? -1)));
  return { docs, paths };
}
