import type {
  DocType, EngineStamp, Fields, OcrLine, ProductRef, Quality, RecordBarcode, RecordError, RecordStatus, ZakRecord,
} from './types.js';

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
  /** Defaults to the lines joined in reading order. */
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
    status: parts.status ?? (review.length > 0 ? 'needs_review' : 'ok'),
    docType: parts.docType ?? 'unknown',
    quality: parts.quality ?? null,
    barcodes: parts.barcodes ?? [],
    text: parts.text ?? lines.map((l) => l.text).join('\n'),
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

/** A record for a file skipped on purpose (e.g. `--resume` found it done). */
export function makeSkippedRecord(id: RecordIdentity, reason: string): ZakRecord {
  return { ...makeOkRecord(id, { review: [] }), status: 'skipped', review: [reason] };
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
