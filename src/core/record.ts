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

/**
 * The page text in reading order: lines joined by newlines, a blank line between layout blocks (`OcrLine.block`).
 */
export function linesText(lines: readonly Pick<OcrLine, 'text' | 'block'>[]): string {
  return lines.map((l, i) => (i > 0 && l.block !== lines[i - 1].block ? '\n' : '') + l.text).join('\n');
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
    status: parts.status ?? (review.length > 0 ? 'needs_review' : 'ok'),
    docType: parts.docType ?? 'unknown',
    quality: parts.quality ?? null,
    barcodes: parts.barcodes ?? [],
    text: withoutControls(parts.text ?? linesText(lines)),
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
