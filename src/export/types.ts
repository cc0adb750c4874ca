import type { DocType, Quad } from '../core/types.js';
import type { Script } from './text.js';
import type { SplitRatios } from './split.js';

/**
 * Plain data passed between the export stages: sources yield documents with their lines,
 * the runner crops, filters, de-duplicates and splits them, and a writer lays them out.
 */

/** Where a line's text comes from: a labelled dataset, a human correction, or an OCR engine. */
export type LineOrigin = 'label' | 'reviewed' | 'ocr';

/** One text line to export. */
export interface LineSample {
  /** 0-based position of the line in its document (box-file row, record line index). */
  index: number;
  /** Label text as found (normalised later). */
  text: string;
  /** The line's corners in page pixels; null = the whole image is one line (line-image datasets). */
  quad: Quad | null;
  /** Why the box cannot be used (degenerate quad…); such lines are skipped as bad_box. */
  invalid?: string;
  origin: LineOrigin;
  /** Engine that read the line; null for labelled data. */
  engine: string | null;
  /** OCR confidence 0..1; null for labels and corrections. */
  confidence: number | null;
  /** Stable id of the line in its source (review row id, …), for provenance. */
  ref?: string;
}

/** One image (or one page of a multi-page file) and the lines to crop from it. */
export interface SourceDoc {
  /** Path as shown in the manifest (relative to the source when it can be). */
  file: string;
  /** Where to read the bytes from. */
  absPath: string;
  /** 0-based page of a PDF/TIFF; null for single images. */
  page: number | null;
  /** SHA-256 the source claims for the file (checked before cropping); null when unknown. */
  sha256: string | null;
  docType: DocType | null;
  /** Engine stamp of the scan (name, version, model files), for provenance. */
  engine: { name: string; version: string | null; models: string[] } | null;
  lines: LineSample[];
  /** The source could not describe this document (unreadable label file…): reported, nothing exported. */
  problem?: string;
}

export const EXPORT_FORMATS = ['tesstrain', 'paddle', 'hf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const SOURCE_KINDS = ['dataset', 'results', 'review'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Which lines make it into the set. `null` = no filter on that attribute. */
export interface LineFilters {
  /** OCR lines need confidence in [minConfidence, maxConfidence]; labels and corrections always pass. */
  minConfidence: number;
  maxConfidence: number;
  docTypes: DocType[] | null;
  /** Engines whose lines are kept (OCR lines only; labels/corrections pass). */
  engines: string[] | null;
  scripts: Script[] | null;
  /** Drop lines that look like personal data. */
  redact: boolean;
}

export interface ExportOptions {
  /** Dataset folder, results JSONL or review package. */
  from: string;
  /** Forced source kind; detected from `from` when absent. */
  sourceKind?: SourceKind;
  format: ExportFormat;
  out: string;
  /** Replace an earlier export in `out`. */
  force: boolean;
  ratios: SplitRatios;
  /** 'line': each line hashed on its own (like tesstrain); 'document': all lines of a source file go together (no leakage). */
  splitBy: 'line' | 'document';
  seed: string;
  /** Margin around the tight box, as a fraction of the line height. */
  margin: number;
  dedup: boolean;
  nearDupCorrelation: number;
  filters: LineFilters;
  /** Documents processed at once. */
  concurrency: number;
  /** Worker threads for cropping and encoding (0 = in-process). */
  threads: number;
  /** Where relative image paths of a results file are resolved (default: cwd, then the results file's folder). */
  imagesRoot?: string;
  /** Stop after this many exported lines (0 = all). */
  limit: number;
  /** Ctrl-C: the export stops, removes its staging folder and throws InterruptedError (nothing is left behind). */
  signal?: AbortSignal;
  /** Decoder limits (the scan's `limits` section). */
  limits: { maxPixels: number; maxPagePixels: number; maxPages: number; pdfDpi: number; maxBytes: number };
}

/** Reasons a line did not make it into the set (manifest `counts.skipped`). */
export type SkipReason =
  | 'empty_text'
  | 'confidence'
  | 'doc_type'
  | 'engine'
  | 'script'
  | 'redacted'
  | 'duplicate'
  | 'near_duplicate'
  | 'bad_box'
  | 'source_missing'
  | 'source_changed'
  | 'source_unreadable'
  | 'limit';
