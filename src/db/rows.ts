import { hasContentHash, recordKey } from '../core/record.js';
import type { RunSummary, ZakRecord } from '../core/types.js';

/** One `ocr_processing_jobs` row as sent to PostgreSQL (a JSON object read by `jsonb_to_recordset`). */
export interface JobRow {
  sha256: string | null;
  page: number | null;
  pipeline_version: string;
  path: string;
  bytes: number;
  status: 'ok' | 'needs_review' | 'failed';
  doc_type: string;
  engine: string;
  engine_device: string | null;
  engine_version: string | null;
  barcodes: string[];
  product_barcode: string | null;
  error_code: string | null;
  total_ms: number | null;
  timings_ms: Record<string, number>;
  record: ZakRecord;
  run_id: string;
}

export interface ErrorRow {
  run_id: string;
  path: string;
  sha256: string | null;
  page: number | null;
  pipeline_version: string;
  code: string;
  message: string;
  stage: string;
}

/**
 * Records worth a row: skipped ones (already delivered by an earlier run) are left alone, and when one
 * batch holds the same identity twice (two paths with identical bytes) the last wins, because
 * PostgreSQL refuses to upsert one row twice in a statement.
 */
export function storableRecords(records: ZakRecord[]): ZakRecord[] {
  const byKey = new Map<string, ZakRecord>();
  for (const r of records) {
    if (r.status === 'skipped') continue;
    const key = recordKey(r);
    byKey.delete(key);
    byKey.set(key, r);
  }
  return [...byKey.values()];
}

/** Maps a record to its job row. Pure. */
export function jobRow(r: ZakRecord): JobRow {
  return {
    sha256: hasContentHash(r) ? r.sha256 : null,
    page: r.page,
    pipeline_version: r.pipelineVersion,
    path: r.file,
    bytes: r.bytes,
    status: r.status as JobRow['status'],
    doc_type: r.docType,
    engine: r.engine.name,
    engine_device: r.engine.device ?? null,
    engine_version: r.engine.version || null,
    barcodes: [...new Set(r.barcodes.map((b) => b.text))],
    product_barcode: r.product?.id ? r.product.barcode : null,
    error_code: r.error?.code ?? null,
    total_ms: typeof r.timingsMs.total === 'number' ? r.timingsMs.total : null,
    timings_ms: r.timingsMs,
    record: r,
    run_id: r.runId,
  };
}

/** The `ocr_error_logs` row of a failed record, or null. Pure. */
export function errorRow(r: ZakRecord): ErrorRow | null {
  if (r.status !== 'failed' || !r.error) return null;
  return {
    run_id: r.runId,
    path: r.file,
    sha256: hasContentHash(r) ? r.sha256 : null,
    page: r.page,
    pipeline_version: r.pipelineVersion,
    code: r.error.code,
    message: r.error.message,
    stage: r.error.stage,
  };
}

/** Column values of one `ocr_model_metrics` row, in the order of `METRICS_COLUMNS`. Pure. */
export function metricsValues(s: RunSummary, source: 'scan' | 'bench' = 'scan'): unknown[] {
  const cer = s.metrics?.cer ?? null;
  const wer = s.metrics?.wer ?? null;
  return [
    s.runId, source, modelName(s.engine), s.engine.name, s.engine.device, s.engine.version || null, s.engine.models,
    s.pipelineVersion, s.files, s.records, s.ok, s.needsReview, s.failed, s.skipped, s.durationMs,
    s.latencyMs.mean, s.latencyMs.p50, s.latencyMs.p95, s.latencyMs.max, s.meanConfidence, cer, wer,
    JSON.stringify(s.metrics ?? {}),
  ];
}

export const METRICS_COLUMNS = [
  'run_id', 'source', 'model', 'engine', 'engine_device', 'engine_version', 'models', 'pipeline_version', 'images',
  'records', 'ok', 'needs_review', 'failed', 'skipped', 'duration_ms', 'latency_mean_ms', 'latency_p50_ms',
  'latency_p95_ms', 'latency_max_ms', 'mean_confidence', 'cer', 'wer', 'metrics',
] as const;

/** `auto[ch_PP-OCRv4_det,ch_PP-OCRv4_rec]`: the engine and the models it ran, one row per combination. */
export function modelName(engine: RunSummary['engine']): string {
  return engine.models.length ? `${engine.name}[${engine.models.join(',')}]` : engine.name;
}
