import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError, errorMessage } from '../../core/errors.js';
import type { OcrLine, ZakRecord } from '../../core/types.js';
import { quadFromBox } from '../geometry.js';
import type { LineSample, SourceDoc } from '../types.js';

/**
 * Scan results (`zakocr.record/v1` JSON Lines) as an export source: every line of every ok /
 * needs_review record, with its engine and confidence (the runner applies `--min-confidence`).
 * Lines a person verified in `zakocr review import` carry `verified: true` and count as ground truth.
 * When a file appears in several records (re-runs appended), the last record wins.
 */

/**
 * One line of a results file as JSON text: JSON Lines, or the `.json` array the JSON sink streams
 * (`[`, one record per line with a trailing comma, `]`). Null for blank lines and the brackets.
 * `suffix` is what followed the record on its line (a comma), so a rewrite can keep the layout.
 */
export function recordText(line: string): { json: string; suffix: string } | null {
  const t = line.replace(/^\ufeff/, '').trim();
  if (t === '' || t === '[' || t === ']' || t === '[]') return null;
  return t.endsWith(',') ? { json: t.slice(0, -1), suffix: ',' } : { json: t, suffix: '' };
}

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

/** Where a record's `file` is looked for: absolute as is; else under imagesRoot, the cwd, then the results file's folder. */
export function candidatePaths(file: string, resultsPath: string, imagesRoot?: string): string[] {
  if (path.isAbsolute(file)) return [file];
  const roots = [imagesRoot, process.cwd(), path.dirname(path.resolve(resultsPath))].filter((r): r is string => !!r);
  return [...new Set(roots.map((r) => path.resolve(r, file)))];
}

function isRecord(v: unknown): v is ZakRecord {
  return !!v && typeof v === 'object' && typeof (v as ZakRecord).file === 'string' && Array.isArray((v as ZakRecord).lines);
}

/**
 * Reads a results file (JSON Lines, or the JSON sink's array) into documents sorted by (file, page).
 * @throws UsageError naming the line when a row is not JSON or not a zakocr record.
 */
export async function readResults(resultsPath: string, imagesRoot?: string): Promise<{ docs: SourceDoc[]; paths: Map<SourceDoc, string[]> }> {
  const byKey = new Map<string, SourceDoc>();
  const paths = new Map<SourceDoc, string[]>();
  let n = 0;
  let stream;
  try {
    stream = createReadStream(resultsPath, { encoding: 'utf8' });
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const raw of rl) {
      n++;
      const text = recordText(raw);
      if (!text) continue;
      let rec: unknown;
      try {
        rec = JSON.parse(text.json);
      } catch (err) {
        throw new UsageError(`${resultsPath} line ${n}: not valid JSON (${errorMessage(err)})`);
      }
      if (!isRecord(rec)) throw new UsageError(`${resultsPath} line ${n}: not a zakocr record (expected "file" and "lines")`);
      if (rec.status === 'failed' || rec.status === 'skipped') continue;
      const doc: SourceDoc = {
        file: rec.file,
        absPath: '',
        page: typeof rec.page === 'number' ? rec.page : null,
        sha256: typeof rec.sha256 === 'string' && /^[0-9a-f]{64}$/.test(rec.sha256) ? rec.sha256 : null,
        docType: rec.docType ?? null,
        engine: rec.engine ? { name: rec.engine.name, version: rec.engine.version ?? null, models: rec.engine.models ?? [] } : null,
        lines: samplesOfRecord(rec),
      };
      const key = `${doc.sha256 ?? doc.file}\u0000${doc.page}`;
      byKey.delete(key); // the later record replaces the earlier one and takes its place in order
      byKey.set(key, doc);
      const cands = candidatePaths(rec.file, resultsPath, imagesRoot);
      doc.absPath = cands[0];
      paths.set(doc, cands);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`Cannot read ${resultsPath}: ${errorMessage(err)}`, { cause: err });
  } finally {
    stream?.destroy();
  }
  const docs = [...byKey.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.page ?? -1) - (b.page ?? -1)));
  return { docs, paths };
}
