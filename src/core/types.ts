/**
 * Plain data shapes and stage contracts shared by every pipeline stage.
 * Stages import from `core/` only; they never reach into each other's files.
 */
import type { SettledOrientation } from './orientation.js';


/** Axis-aligned box in ORIGINAL image pixels: [x, y, width, height]. */
export type Box = [x: number, y: number, w: number, h: number];
/** Four corner points, clockwise from top-left, in original image pixels. */
export type Quad = [[number, number], [number, number], [number, number], [number, number]];

import type { BarcodeFormat, DeviceChoice, DeviceInUse, DocType, Lang, PrecisionChoice, TesseractPsm } from './choices.js';

export type { BarcodeFormat, DeviceChoice, DeviceInUse, DocType, Lang } from './choices.js';

/**
 * A decoded page held in memory as raw interleaved pixels (what sharp's `.raw()` yields).
 * Decode produces 3-channel sRGB; preprocess may hand 1-channel greyscale to engines that want it.
 */
export interface PageImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** 0-based page index for multi-page inputs (PDF, TIFF); null for single images. */
  page: number | null;
  /** Text already known exactly (a PDF text layer): OCR is skipped when present. */
  textLayer?: OcrLine[];
  /** What decoding did to the page that a reader should know (downscaled, text layer rejected): the record's `preprocess[]`. */
  steps?: string[];
}

/** One recognised text line. */
export interface OcrLine {
  text: string;
  /** 0..1 */
  confidence: number;
  /** Engine that produced this text: 'paddle', 'tesseract', 'pdf-text', … */
  engine: string;
  box: Box;
  quad?: Quad;
  /** Per-character confidences (0..1) when the engine exposes them. */
  charConfidences?: number[];
  /**
   * Layout block (column, paragraph, table) this line belongs to, 0-based in reading order; `text` separates
   * blocks by a blank line. Absent when the engine's lines were not laid out (single-line reads).
   */
  block?: number;
  /** A person confirmed or corrected this text (`zakocr review import`); such lines are ground truth for `zakocr export`. */
  verified?: boolean;
  /** The engine's text before a review correction (set only when the text was changed). */
  ocrText?: string;
}

/**
 * The `ocr` config section, as the engines read it (`config/defaults.ts` declares its defaults with this type, so a
 * renamed key breaks the build instead of silently falling back to a default).
 */
export interface OcrSettings {
  /** Lines under this confidence are re-read by the fallback engine (engine `auto`). */
  minLineConfidence: number;
  /** Intra-op threads per ONNX session; 0 = cores / concurrency. */
  threads: number;
  paddle: {
    /** PP-OCR worker threads; 0 = automatic. */
    workers: number;
    /** Model set; `auto` = the manifest's CPU set on a CPU, fp32 on a GPU. */
    precision: PrecisionChoice;
    det: { maxSide: number; thresh: number; boxThresh: number; unclipRatio: number; minSize: number };
    cls: { enabled: boolean; thresh: number };
    rec: { batchSize: number; imageHeight: number; maxWidth: number; spaceThreshold: number };
  };
  tesseract: { psm: TesseractPsm };
}

/** Any part of `T`, at any depth: what an engine built directly (tests, benches) may pass; the rest are defaults. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Engine settings: the `ocr` section, or any part of it (missing keys take the project defaults). */
export type EngineSettings = DeepPartial<OcrSettings>;

export interface EngineInit {
  langs: Lang[];
  /** Pipeline concurrency: pools are sized to it. */
  concurrency: number;
  device: DeviceChoice;
  /** Intra-op threads per model session (0 = let the engine choose). */
  threads: number;
  /** The validated `ocr` config section (engine-specific keys live under it). */
  settings: EngineSettings;
}

export interface EngineInfo {
  name: string;
  /** The device that really runs: never a wish. */
  device: DeviceInUse;
  models: string[];
  version: string;
  languages: Lang[];
  /**
   * True when the engine reads at the page's own resolution and gains from tiny text being upscaled first
   * (Tesseract). Engines that resample every page and line to their own input sizes (PP-OCR) leave it unset: their
   * pages are upscaled only when line-sized (upscaling whole SROIE pages cost auto 10 % more CPU, no CER change).
   */
  readsAtPageResolution?: boolean;
}

export interface RecognizeOptions {
  langs: Lang[];
  /** 'line': the image is one text line (re-reads, line datasets); 'page': find the lines. Default: the engine decides. */
  layout?: 'page' | 'line';
  /**
   * Find and order the text boxes without reading them (`lines` empty, `regions` with empty texts): for a script the
   * engine cannot read, whose boxes another engine reads (auto with `--lang ben`). Engines without a detector ignore it.
   */
  detectOnly?: boolean;
  signal?: AbortSignal;
}

/** One text box as an engine with a detector found and read it, before the boxes of a row become one line. */
export interface TextRegion {
  /** Corners in page pixels, TL/TR/BR/BL in the text's own reading direction. */
  quad: Quad;
  text: string;
  /** 0..1 */
  confidence: number;
  charConfidences?: number[];
  engine: string;
  /** Share of characters read outside the requested languages' script (a script signal; 0 when not measured). */
  foreignRatio: number;
  /** How the region's orientation was settled (relative to `quad`), for a re-read by another engine to add evidence to. */
  orientation?: SettledOrientation;
}

export interface OcrResult {
  lines: OcrLine[];
  /** Page rotation (0/90/180/270, clockwise) the engine detected and corrected, if any. */
  rotation?: number;
  /** Milliseconds per engine stage, e.g. { det: 120, cls: 8, rec: 300 }. */
  timingsMs?: Record<string, number>;
  /**
   * Engines with a detector (PP-OCR): the boxes behind `lines`, the reading order as rows of indexes into them, and
   * the layout block of each row (see layout/).
   */
  regions?: { segments: TextRegion[]; rows: number[][]; blocks?: number[] };
}

/** One line of `zakocr doctor`: what was checked, how it went, and the fix when it did not. */
export interface ProbeResult {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** What to run or change when it is not ok. */
  fix?: string;
}

/** An OCR engine plug-in; registered by name in `ocr/registry.ts`. */
export interface OcrEngine {
  readonly name: string;
  /** Loads models/workers; resolves with the device that really runs. @throws MissingResourceError | DeviceError */
  init(opts: EngineInit): Promise<EngineInfo>;
  /** Recognise every text line of a page. Boxes are in the page's own pixel coordinates. */
  recognize(page: PageImage, opts: RecognizeOptions): Promise<OcrResult>;
  dispose(): Promise<void>;
  /**
   * `zakocr doctor`'s check of this engine (models, language data, device, a timed sample read), without `init`.
   * Never throws: every problem is a `fail` line with a fix.
   */
  probe?(opts: Omit<EngineInit, 'concurrency'>): Promise<ProbeResult[]>;
}

/** Raw decoder output. */
export interface BarcodeHit {
  format: BarcodeFormat;
  text: string;
  box: Box | null;
  /** AIM symbology identifier from the decoder (`]C1` = GS1-128, `]Q3` = GS1 QR …); read by enrichment, not kept in records. */
  symbologyId?: string;
}

export interface BarcodeReadOptions {
  formats?: BarcodeFormat[];
  signal?: AbortSignal;
}

export interface BarcodeReader {
  readonly name: string;
  read(page: PageImage, opts: BarcodeReadOptions): Promise<BarcodeHit[]>;
  dispose(): Promise<void>;
}

/** A barcode as it appears in a record: the hit plus validation and parsed content. */
export interface RecordBarcode extends BarcodeHit {
  /** Check digit correct (null when the format has none). */
  valid: boolean | null;
  gtin?: string | null;
  /** Parsed GS1 application identifiers, e.g. { '01': '0950…', '17': '261231' }. */
  gs1?: Record<string, string> | null;
  /** In-store variable-measure EAN-13 (prefix 2x). */
  variableMeasure?: { itemCode: string; price?: number; weightKg?: number } | null;
}

export type RecordStatus = 'ok' | 'needs_review' | 'failed' | 'skipped';

export interface Quality {
  score: number;
  blur: number;
  brightness: number;
  contrast: number;
  skewDeg: number;
  rotation: number;
  issues: string[];
  [extra: string]: unknown;
}

/** A field value with provenance and confidence. */
export interface FieldValue<T = string | number> {
  value: T;
  confidence: number;
  raw?: string;
  currency?: string;
  unit?: string;
  /** Names of cross-checks that failed (the field is flagged, not dropped). */
  flags?: string[];
  verified?: boolean;
  [extra: string]: unknown;
}

export interface DateField extends FieldValue<string> {
  kind: 'expiry' | 'manufactured' | 'best_before' | 'invoice' | 'due' | 'date';
}

export interface LineItem {
  description: string;
  quantity?: number | null;
  unitPrice?: number | null;
  amount?: number | null;
  confidence: number;
}

export interface Fields {
  productName?: FieldValue<string>;
  price?: FieldValue<number>;
  unitPrice?: FieldValue<number>;
  quantity?: FieldValue<number>;
  /** The document's main date (invoice/receipt date, else expiry) as ISO yyyy-mm-dd. */
  date?: DateField;
  dates?: DateField[];
  merchant?: FieldValue<string>;
  /** The merchant's address: the header rows under its name, joined. */
  address?: FieldValue<string>;
  supplier?: FieldValue<string>;
  total?: FieldValue<number>;
  subtotal?: FieldValue<number>;
  tax?: FieldValue<number>;
  invoiceNumber?: FieldValue<string>;
  currency?: FieldValue<string>;
  lineItems?: LineItem[];
  [extra: string]: unknown;
}

export interface ProductRef {
  id: string | null;
  barcode: string;
  matchedBy: 'barcode' | 'none';
  created: boolean;
  name?: string | null;
  /** Catalog price/currency/unit of the matched product (CSV catalog), when known. */
  price?: number | null;
  currency?: string | null;
  unit?: string | null;
}

export interface EngineStamp {
  name: string;
  models: string[];
  device: DeviceInUse;
  version: string;
}

export interface RecordError {
  code: string;
  message: string;
  stage: string;
}

/** The canonical output record, `zakocr.record/v1`: one per input file or PDF/TIFF page. */
export interface ZakRecord {
  schema: 'zakocr.record/v1';
  file: string;
  page: number | null;
  sha256: string;
  bytes: number;
  status: RecordStatus;
  docType: DocType;
  quality: Quality | null;
  barcodes: RecordBarcode[];
  text: string;
  lines: OcrLine[];
  fields: Fields;
  product: ProductRef | null;
  engine: EngineStamp;
  /** Preprocessing steps that ran, in order. */
  preprocess: string[];
  /** Why a record needs review (machine-readable reasons). */
  review: string[];
  timingsMs: Record<string, number>;
  pipelineVersion: string;
  runId: string;
  error: RecordError | null;
}

/** One input discovered by a Source. */
export interface SourceItem {
  /** Path as shown in records: relative to the cwd when inside it, else absolute. */
  path: string;
  absPath: string;
  size: number;
}

/** Everything a sink needs to know about the run it belongs to. */
export interface RunContext {
  runId: string;
  pipelineVersion: string;
  startedAt: Date;
  /** True when continuing an earlier run (`--resume`). */
  resume: boolean;
  log: Logger;
  /** Output paths given by the user (dead-letter and manifest files go beside the first one). */
  outputs?: string[];
}

/**
 * A destination for records. `write` resolves only when the records are durably accepted
 * (the run manifest marks a file done only after every sink acknowledged it).
 * Sinks are idempotent on (sha256, page, pipelineVersion).
 */
export interface Sink {
  readonly name: string;
  open(ctx: RunContext): Promise<void>;
  write(records: ZakRecord[]): Promise<void>;
  flush(): Promise<void>;
  /** Finalise (atomic rename for files). `interrupted` is true after Ctrl-C. */
  close(opts?: { interrupted?: boolean }): Promise<void>;
  /** Optional: receives run-level figures once at the end (PostgreSQL `ocr_model_metrics`). */
  summarize?(summary: RunSummary): Promise<void>;
}

/** Run-level figures, computed by the pipeline at the end of a scan. */
export interface RunSummary {
  runId: string;
  pipelineVersion: string;
  engine: EngineStamp;
  files: number;
  records: number;
  ok: number;
  needsReview: number;
  failed: number;
  skipped: number;
  durationMs: number;
  /** Per-record total latency. */
  latencyMs: { mean: number; p50: number; p95: number; max: number };
  meanConfidence: number | null;
  /** Extra figures (bench accuracy) keyed by metric name. */
  metrics?: Record<string, number>;
}

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
  debug(msg: string, data?: Record<string, unknown>): void;
}

/**
 * Results shared between runs and machines (`--cache redis://…`), keyed by the file's sha256 and the pipeline
 * version, so a file seen before is not decoded or OCR'd again. Never rejects: an outage reads as a miss and a
 * lost write (the implementation warns), so a cache problem can never fail a file.
 */
export interface ResultCache {
  readonly name: string;
  /** The records stored for these bytes under this pipeline version, or null (miss, or cache unreachable). */
  get(sha256: string, pipelineVersion: string): Promise<ZakRecord[] | null>;
  set(sha256: string, pipelineVersion: string, records: ZakRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Turns barcodes into products (CSV catalog, PostgreSQL `products`). */
export interface ProductCatalog {
  readonly name: string;
  /** First barcode that matches a product wins; `fields` may be used to create unknown ones. */
  lookup(barcodes: RecordBarcode[], fields: Fields, sourceSha256: string): Promise<ProductRef | null>;
  close(): Promise<void>;
}
