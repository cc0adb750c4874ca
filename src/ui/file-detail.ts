/**
 * What `--verbose` and `--debug` add per page: the stage timings (`--verbose`) and the engine's decisions
 * (`--debug`: which engine read the lines, what `auto` re-read, orientation, quality, preprocessing), as one text
 * line or as scalar fields for `--json-log`. Everything comes from the record itself. Pure.
 */
import type { ZakRecord } from '../core/types.js';

/** Keys of `timingsMs` that count lines rather than time (engine `auto`'s re-reads). */
const isCount = (key: string) => key.endsWith('Lines');

/** Whole milliseconds; tenths under 10 ms (where rounding would print a misleading 0) when they are not whole. */
function ms(v: number): string {
  return v < 10 && !Number.isInteger(v) ? v.toFixed(1) : String(Math.round(v));
}

/**
 * `read 5 · decode 27 · preprocess 823 · barcode 1322 · ocr 1915 (det 470, crop 97, cls 53, rec 1263) · total 2846 ms`:
 * the stages in the order they ran, an engine's own stages inside its `ocr` time.
 */
export function timingText(timings: Record<string, number>): string {
  const parts = new Map<string, { v?: number; subs: string[] }>();
  for (const [key, v] of Object.entries(timings)) {
    if (isCount(key)) continue;
    const [stage, sub] = key.split(/\.(.*)/s);
    const entry = parts.get(stage) ?? { subs: [] };
    if (sub) entry.subs.push(`${sub} ${ms(v)}`);
    else entry.v = v;
    parts.set(stage, entry);
  }
  const text = [...parts].map(([stage, { v, subs }]) => `${stage}${v === undefined ? '' : ` ${ms(v)}`}${subs.length ? ` (${subs.join(', ')})` : ''}`);
  return text.length ? `${text.join(' · ')} ms` : 'no timings';
}

/** Lines per engine, most first: `paddle 12, tesseract 3`. */
function linesByEngine(r: ZakRecord): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const l of r.lines) counts.set(l.engine, (counts.get(l.engine) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/**
 * `engine auto on cpu · 15 lines (paddle 12, tesseract 3) · re-read 4, replaced 3 · upright, skew 1.2° · quality 0.87
 * (blur) · preprocess deskew, contrast · receipt · review missing_field:date`.
 */
export function decisionText(r: ZakRecord): string {
  const t = r.timingsMs;
  const byEngine = linesByEngine(r);
  const parts = [`engine ${r.engine.name} on ${r.engine.device}`];
  parts.push(`${r.lines.length} line${r.lines.length === 1 ? '' : 's'}${byEngine.length ? ` (${byEngine.map(([e, n]) => `${e} ${n}`).join(', ')})` : ''}`);
  const counts = Object.keys(t).filter(isCount);
  if (counts.length) parts.push(counts.map((k) => `${k.split('.').pop()!.replace(/Lines$/, '')} ${t[k]}`).join(', '));
  if (r.quality) {
    const q = r.quality;
    parts.push(`${q.rotation ? `turned ${q.rotation}°` : 'upright'}, skew ${q.skewDeg.toFixed(1)}°`);
    parts.push(`quality ${q.score.toFixed(2)}${q.issues.length ? ` (${q.issues.join(', ')})` : ''}`);
  }
  parts.push(`preprocess ${r.preprocess.length ? r.preprocess.join(', ') : 'none'}`);
  if (r.error) parts.push(`failed at ${r.error.stage}: ${r.error.code}`);
  if (r.barcodes.length) parts.push(`${r.barcodes.length} barcode(s)`);
  parts.push(r.docType);
  if (r.review.length) parts.push(`review ${r.review.join(', ')}`);
  return parts.join(' · ');
}

/** `pdf-text` → `PdfText`. */
const pascal = (s: string) => s.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');

/** `ocr.det` → `ocrDetMs`: flat camelCase names for log collectors (no dots: `ocr` and `ocr.det` would clash). */
function fieldName(key: string): string {
  const [first, ...rest] = key.split('.');
  const camel = first + rest.map(pascal).join('');
  return isCount(key) ? camel : `${camel}Ms`;
}

/** `--json-log --verbose` fields of a page: `readMs`, `ocrDetMs`, … (and `--debug`'s decisions). */
export function detailFields(r: ZakRecord, debug: boolean): Record<string, string | number> {
  const out: Record<string, string | number> = { file: r.file, ...(r.page !== null ? { page: r.page } : {}) };
  for (const [key, v] of Object.entries(r.timingsMs)) if (debug || !isCount(key)) out[fieldName(key)] = isCount(key) ? v : Math.round(v * 10) / 10;
  if (!debug) return out;
  out.engine = r.engine.name;
  out.device = r.engine.device;
  out.lines = r.lines.length;
  for (const [engine, n] of linesByEngine(r)) out[`lines${pascal(engine)}`] = n;
  if (r.quality) Object.assign(out, { quality: r.quality.score, rotation: r.quality.rotation, skewDeg: r.quality.skewDeg, qualityIssues: r.quality.issues.join(',') });
  out.preprocess = r.preprocess.join(',');
  out.barcodes = r.barcodes.length;
  return out;
}
