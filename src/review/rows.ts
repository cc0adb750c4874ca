import { createHash } from 'node:crypto';
import type { Box, DocType, FieldValue, Quad, ZakRecord } from '../core/types.js';
import { KEY_FIELDS } from '../extract/confidence.js';

/**
 * Which parts of scan results a person should check, as review rows: OCR lines under a
 * confidence threshold, extracted fields that are doubtful (low confidence or a failed cross-check),
 * and key fields a needs_review document lacks (manual entry). Pure functions.
 */

export type FieldType = 'text' | 'number' | 'date';

/** Scalar fields a reviewer can correct, with the type their value must have. */
export const REVIEW_FIELDS: Readonly<Record<string, FieldType>> = {
  productName: 'text',
  price: 'number',
  unitPrice: 'number',
  quantity: 'number',
  date: 'date',
  merchant: 'text',
  supplier: 'text',
  total: 'number',
  subtotal: 'number',
  tax: 'number',
  invoiceNumber: 'text',
  currency: 'text',
};

/** What one row of a review package points at (kept in rows.jsonl; the CSV shows part of it). */
export interface ReviewRow {
  rowId: string;
  /** 'line' or 'field:<name>'. */
  kind: string;
  file: string;
  page: number | null;
  sha256: string;
  pipelineVersion: string;
  docType: DocType;
  engineStamp: { name: string; version: string | null; models: string[] } | null;
  lineIndex: number | null;
  field: string | null;
  fieldType: FieldType | null;
  /** The text (or value, as text) at export time; '' for a missing field. */
  text: string;
  confidence: number | null;
  engine: string;
  /** The line's (or the field's source line's) box in page pixels, when known. */
  box: Box | null;
  quad: Quad | null;
  /** Crop path relative to the package folder ('' when none). */
  crop: string;
  /** Absolute image path resolved when the package was made (null when it was not found). */
  image: string | null;
}

export interface SelectOptions {
  /** Lines under this confidence get a row. */
  maxLineConfidence: number;
  /** Fields under this confidence (or with failed cross-checks) get a row. */
  minFieldConfidence: number;
}

/** Stable id of a row: the same line/field of the same file always gets the same id. Letters first, so spreadsheets keep it text. */
export function rowId(sha256: string, page: number | null, what: string): string {
  const h = createHash('sha256').update(`${sha256}|${page ?? ''}|${what}`).digest('hex').slice(0, 12);
  return `${what.startsWith('line') ? 'L' : 'F'}-${h}`;
}

function isFieldValue(v: unknown): v is FieldValue {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'value' in v && typeof (v as FieldValue).confidence === 'number';
}

/** A field value as a reviewer sees it. */
export function fieldText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** The line a field was most likely read from: the first whose text contains its raw text (or value). */
export function sourceLineOf(rec: Pick<ZakRecord, 'lines'>, f: FieldValue): number | null {
  const needles = [f.raw, fieldText(f.value)].filter((s): s is string => typeof s === 'string' && s.trim().length >= 2);
  for (const n of needles) {
    const i = rec.lines.findIndex((l) => l.text.includes(n));
    if (i >= 0) return i;
  }
  return null;
}

function boxString(b: Box | null | undefined): string {
  return b ? b.map((n) => Math.round(n)).join(',') : '';
}

/** The review rows of one record (unsorted). Failed and skipped records have none. */
export function rowsOfRecord(rec: ZakRecord, opts: SelectOptions): ReviewRow[] {
  if (rec.status === 'failed' || rec.status === 'skipped') return [];
  const base = {
    file: rec.file,
    page: rec.page,
    sha256: rec.sha256,
    pipelineVersion: rec.pipelineVersion,
    docType: rec.docType,
    engineStamp: rec.engine ? { name: rec.engine.name, version: rec.engine.version ?? null, models: rec.engine.models ?? [] } : null,
    crop: '',
    image: null,
  };
  const rows: ReviewRow[] = [];
  rec.lines.forEach((l, i) => {
    if (l.verified || !(l.confidence < opts.maxLineConfidence)) return;
    rows.push({
      ...base,
      rowId: rowId(rec.sha256, rec.page, `line|${i}|${boxString(l.box)}`),
      kind: 'line',
      lineIndex: i,
      field: null,
      fieldType: null,
      text: l.text,
      confidence: l.confidence,
      engine: l.engine,
      box: l.box ?? null,
      quad: l.quad ?? null,
    });
  });
  const fields = rec.fields ?? {};
  for (const [name, type] of Object.entries(REVIEW_FIELDS)) {
    const f = fields[name];
    const present = isFieldValue(f);
    let doubtful: boolean;
    if (present) doubtful = !f.verified && (f.confidence < opts.minFieldConfidence || (f.flags?.length ?? 0) > 0);
    // A key field the extractor did not find: an empty row to fill in by hand (the manual-entry fallback).
    else doubtful = rec.status === 'needs_review' && (KEY_FIELDS[rec.docType] ?? []).includes(name);
    if (!doubtful) continue;
    const li = present ? sourceLineOf(rec, f) : null;
    const box = present && Array.isArray(f.box) ? (f.box as Box) : li !== null ? rec.lines[li].box : null;
    rows.push({
      ...base,
      rowId: rowId(rec.sha256, rec.page, `field|${name}`),
      kind: `field:${name}`,
      lineIndex: li,
      field: name,
      fieldType: type,
      text: present ? fieldText(f.value) : '',
      confidence: present ? f.confidence : null,
      engine: rec.engine?.name ?? '',
      box,
      quad: li !== null ? (rec.lines[li].quad ?? null) : null,
    });
  }
  return rows;
}

/**
 * Picks at most `maxRows` rows, least confident first (missing fields count as 0), then orders
 * them for reading: by file, page, lines in reading order, then fields.
 */
export function selectRows(rows: ReviewRow[], maxRows: number): ReviewRow[] {
  const picked = [...rows].sort((a, b) => (a.confidence ?? 0) - (b.confidence ?? 0) || (a.rowId < b.rowId ? -1 : 1)).slice(0, maxRows);
  const kindOrder = (r: ReviewRow) => (r.kind === 'line' ? 0 : 1);
  return picked.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.page ?? -1) - (b.page ?? -1) ||
      kindOrder(a) - kindOrder(b) ||
      (a.lineIndex ?? 0) - (b.lineIndex ?? 0) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  );
}
