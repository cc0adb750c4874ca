import type {
  DocType, EngineStamp, Fields, OcrLine, ProductRef, Quality, RecordBarcode, RecordError, RecordStatus, ZakRecord,
} from './types.js';
import { reviewReason } from './review-reason.js';

export const RECORD_SCHEMA = 'zakocr.record/v1' as const;

/** What identifies a file and the run it belongs to. */
export interface RecordIdentity {
  file: string;
  page: number | null;
  sha256: string;
  bytes: number;
  pipelineVersion: string;
  runId: string;
  engine: EngineStamp;
}

export interface OkRecordParts {
  status?: Extract<RecordStatus, 'ok' | 'needs_review'>;
  docType?: DocType;
  quality?: Quality | null;
  barcodes?: RecordBarcode[];
  lines?: OcrLine[];
  /** Defaults to {@link textOfLines}. */
  text?: string;
  fields?: Fields;
  product?: ProductRef | null;
  preprocess?: string[];
  review?: string[];
  timingsMs?: Record<string, number>;
}

/** C0 and C1 control characters other than tab and line feed (what a broken text layer or a decoder can leak). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Every control character, for one-line texts (a line's own breaks and tabs become spaces). */
const LINE_BREAKS = /[\t\n\r\u000B\u000C\u0085\u2028\u2029]/g;

/** Text without control characters: CR and CRLF become LF, tab and LF stay, the rest are removed. */
export function withoutControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

function cleanLine(line: OcrLine): OcrLine {
  const text = withoutControls(line.text.replace(LINE_BREAKS, ' '));
  return text === line.text ? line : { ...line, text };
}

/** Builds a successful (or needs-review) record. The only way, with `makeFailedRecord`, to make one. */
export function makeOkRecord(id: RecordIdentity, parts: OkRecordParts): ZakRecord {
  // No record carries control characters in its text, whatever an engine or a text layer produced.
  const lines = (parts.lines ?? []).map(cleanLine);
  const review = parts.review ?? [];
  return {
    schema: RECORD_SCHEMA,
    file: id.file,
    page: id.page,
    sha256: id.sha256,
    bytes: id.bytes,
    status: parts.status ?? statusForReview(review),
    docType: parts.docType ?? 'unknown',
    quality: parts.quality ?? null,
    barcodes: parts.barcodes ?? [],
    text: withoutControls(parts.text ?? textOfLines(lines)),
    lines,
    fields: parts.fields ?? {},
    product: parts.product ?? null,
    engine: id.engine,
    preprocess: parts.preprocess ?? [],
    review,
    timingsMs: parts.timingsMs ?? {},
    pipelineVersion: id.pipelineVersion,
    runId: id.runId,
    error: null,
  };
}

/** Builds a failed record: same shape, empty results, `error` set. */
export function makeFailedRecord(id: RecordIdentity, error: RecordError, timingsMs: Record<string, number> = {}): ZakRecord {
  return {
    ...makeOkRecord(id, { timingsMs }),
    status: 'failed',
    error,
  };
}

/** A record for a file skipped on purpose (`--resume` found it done, reason `already_done`). */
export function makeSkippedRecord(id: RecordIdentity, reason: string = reviewReason.alreadyDone()): ZakRecord {
  return { ...makeOkRecord(id, { review: [] }), status: 'skipped', review: [reason] };
}

/**
 * A record's text when none is given: its lines in reading order, one per row, a blank line between layout blocks
 * (`OcrLine.block`). Pure.
 */
export function textOfLines(lines: readonly Pick<OcrLine, 'text' | 'block'>[]): string {
  return lines.map((l, i) => (i > 0 && l.block !== lines[i - 1].block ? '\n' : '') + l.text).join('\n');
}

/** The status of an analysed (not failed) record: needs review exactly when it has reasons. Pure. */
export function statusForReview(review: readonly string[]): 'ok' | 'needs_review' {
  return review.length > 0 ? 'needs_review' : 'ok';
}

/**
 * The record with other review reasons. An ok or needs-review record's status follows them (no reasons left → ok);
 * failed and skipped records keep theirs. Pure: returns a new object.
 */
export function withReview(rec: ZakRecord, review: string[]): ZakRecord {
  const status = rec.status === 'ok' || rec.status === 'needs_review' ? statusForReview(review) : rec.status;
  return { ...rec, review, status };
}

/**
 * The record with other lines. Its text follows them when it was the old lines' text (what the engine read);
 * a text set otherwise (a PDF text layer's own layout) stays. Pure: returns a new object.
 */
export function withLines(rec: ZakRecord, lines: OcrLine[]): ZakRecord {
  return { ...rec, lines, text: rec.text === textOfLines(rec.lines) ? textOfLines(lines) : rec.text };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** True for a real content hash (a file that could not be read has sha256 ''). */
export function hasContentHash(r: Pick<ZakRecord, 'sha256'>): boolean {
  return SHA256_HEX.test(r.sha256);
}

/**
 * The identity a record is stored and matched under, everywhere (PostgreSQL upserts, review import, de-duplication
 * of re-runs): (sha256, page, pipelineVersion), or the path when the bytes had no hash. Pure.
 */
export function recordKey(r: Pick<ZakRecord, 'sha256' | 'page' | 'pipelineVersion' | 'file'>): string {
  const id = hasContentHash(r) ? r.sha256 : `path:${r.file}`;
  return `${id}|${r.page ?? -1}|${r.pipelineVersion}`;
}

/** The status of a whole file from its records (one per page): failed if a page failed, else needs review if one does. */
export function fileStatus(records: readonly Pick<ZakRecord, 'status'>[]): 'ok' | 'needs_review' | 'failed' {
  if (records.some((r) => r.status === 'failed')) return 'failed';
  return records.some((r) => r.status === 'needs_review') ? 'needs_review' : 'ok';
}

/** What changes when a stored result is handed out again. */
export interface Reissue {
  file: string;
  runId: string;
  timingsMs: Record<string, number>;
  /** The product match made now (the catalog may have changed since); the stored one when omitted. */
  product?: ProductRef | null;
}

/**
 * A stored record (the shared result cache) re-issued for another sighting of the same bytes: this run's file
 * name, run id and timings; the OCR, barcode and field results stay as they were computed.
 */
export function reissueRecord(record: ZakRecord, change: Reissue): ZakRecord {
  return { ...record, file: change.file, runId: change.runId, timingsMs: change.timingsMs, product: change.product === undefined ? record.product : change.product };
}
