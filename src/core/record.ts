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

/** Builds a successful (or needs-review) record. The only way, with `makeFailedRecord`, to make one. */
export function makeOkRecord(id: RecordIdentity, parts: OkRecordParts): ZakRecord {
  const lines = parts.lines ?? [];
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
    text: parts.text ?? textOfLines(lines),
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

/** A record's text when none is given: its lines in reading order, one per row. Pure. */
export function textOfLines(lines: readonly Pick<OcrLine, 'text'>[]): string {
  return lines.map((l) => l.text).join('\n');
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
