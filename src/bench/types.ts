/**
 * Plain data of a bench run: per-item results, per-variant metrics, gate checks and the report
 * that every writer (terminal, JSON, Markdown, JUnit, HTML) renders.
 */
import type { EngineStamp } from '../core/types.js';
import type { BarcodeFormatScore, BarcodeLabel } from './barcode-metrics.js';
import type { FieldKind, FieldScore } from './field-metrics.js';
import type { EditOp, ErrorCounts, TextCompareOptions } from './metrics.js';
import type { LatencySummary } from './stats.js';
import type { WorstLine } from './line-errors.js';

export const BENCH_REPORT_SCHEMA = 'zakocr.bench/v1' as const;
export const BENCH_BASELINE_SCHEMA = 'zakocr.bench-baseline/v1' as const;

/** One field of one item, compared. */
export interface FieldResult {
  field: string;
  kind: FieldKind;
  expected: unknown;
  actual: unknown;
  exact: boolean;
  normalized: boolean;
}

/** What one variant made of one dataset item. */
export interface ItemResult {
  id: string;
  /** Ground-truth doc type from the dataset. */
  docType: string;
  /** Doc type the pipeline detected (first page). */
  detectedDocType: string;
  status: 'ok' | 'needs_review' | 'failed';
  error: { code: string; message: string } | null;
  pages: number;
  /** Wall time of the item's analysis at the run's concurrency, ms. */
  latencyMs: number;
  /** Mean OCR line confidence, null when no lines. */
  confidence: number | null;
  text: { ref: string; hyp: string; chars: ErrorCounts; words: ErrorCounts } | null;
  fields: FieldResult[] | null;
  barcodes: { expected: BarcodeLabel[]; decoded: BarcodeLabel[]; missed: number; falseDecodes: number } | null;
  /**
   * Error score for ranking the worst items (0 = perfect): CER when the item has a text label,
   * else the share of fields not matched (normalised), else (missed + false decodes) / expected symbols.
   */
  score: number;
}

/** A worst item with its character diff. */
export interface WorstItem {
  id: string;
  docType: string;
  score: number;
  /** Absolute path of the first page image (the HTML report embeds a crop of it). */
  image: string;
  cer: number | null;
  ref: string | null;
  hyp: string | null;
  /** Character alignment (null when there is no text label). */
  diff: EditOp[] | null;
  fields: FieldResult[] | null;
  barcodes: ItemResult['barcodes'];
  error: ItemResult['error'];
  /** Page items: the recognised lines with the most errors (the HTML report crops these instead of the page). */
  lines?: WorstLine[];
}

export interface DocTypeMetrics {
  docType: string;
  items: number;
  failed: number;
  cer: number | null;
  wer: number | null;
  fieldsExact: number | null;
  fieldsNormalized: number | null;
  barcodeRecall: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface VariantMetrics {
  items: number;
  pages: number;
  failed: number;
  needsReview: number;
  /** failed / items */
  failureRate: number;
  cer: number | null;
  wer: number | null;
  chars: ErrorCounts | null;
  words: ErrorCounts | null;
  fields: FieldScore[];
  /** Micro average over every labelled field of every item. */
  fieldsExact: number | null;
  fieldsNormalized: number | null;
  barcodes: { perFormat: BarcodeFormatScore[]; total: BarcodeFormatScore } | null;
  latency: LatencySummary;
  /** Items per second over the variant's wall time. */
  throughput: number;
  wallMs: number;
  meanConfidence: number | null;
  byDocType: DocTypeMetrics[];
}

export interface VariantResult {
  name: string;
  /** Where the variant came from: `--engine tesseract`, `--config fast.json`. */
  source: string;
  engine: EngineStamp;
  pipelineVersion: string;
  /** Config keys that differ from the first variant (dotted → value), for the report. */
  settings: Record<string, unknown>;
  metrics: VariantMetrics;
  /** Flat gateable figures: `cer`, `field.total.exact`, `barcode.EAN_13.recall`, `latency.p95Ms`, … */
  flat: Record<string, number>;
  worst: WorstItem[];
  items: ItemResult[];
}

export type GateStatus = 'pass' | 'fail' | 'skip' | 'info';

/** One metric gate: against a baseline, or an absolute `--require`. */
export interface GateCheck {
  variant: string;
  metric: string;
  kind: 'baseline' | 'require' | 'record';
  status: GateStatus;
  current: number | null;
  /** Baseline value or required bound. */
  reference: number | null;
  /** current − reference */
  delta: number | null;
  /** Allowed worsening, in the metric's unit (rate metrics: percentage points). */
  tolerance: number | null;
  message: string;
}

export interface BenchReport {
  schema: typeof BENCH_REPORT_SCHEMA;
  createdAt: string;
  zakocrVersion: string;
  dataset: { name: string; path: string; format: string; items: number; itemsHash: string };
  compare: TextCompareOptions;
  variants: VariantResult[];
  gate: {
    baseline: string | null;
    tolerancePp: number;
    latencyTolerancePct: number | null;
    checks: GateCheck[];
    passed: boolean;
  };
  warnings: string[];
}

export interface BaselineFile {
  schema: typeof BENCH_BASELINE_SCHEMA;
  createdAt: string;
  dataset: BenchReport['dataset'];
  compare: TextCompareOptions;
  variants: Record<string, { engine: EngineStamp; pipelineVersion: string; metrics: Record<string, number> }>;
}
