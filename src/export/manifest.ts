import type { Box, DocType, Quad } from '../core/types.js';
import { ZAKOCR_VERSION } from '../core/version.js';
import type { Split } from './split.js';
import type { ExportOptions, LineOrigin, SkipReason, SourceKind } from './types.js';

/**
 * `manifest.json` of an export: where every crop came from (source file and its SHA-256, page,
 * line, box, engine and model versions), the options that produced the set, counts per split and
 * per skip reason, and the character set. Everything but `createdAt` is a function of the source
 * and the options, so two exports of the same data differ only there.
 */

export const EXPORT_MANIFEST_FILE = 'manifest.json';
export const EXPORT_SCHEMA = 'zakocr.export/v1' as const;

export interface ExportCounts {
  /** Lines the source offered. */
  input: number;
  exported: number;
  train: number;
  val: number;
  test: number;
  skipped: Partial<Record<SkipReason, number>>;
}

export interface ManifestItem {
  name: string;
  split: Split;
  /** Image path relative to the export folder. */
  path: string;
  text: string;
  origin: LineOrigin;
  source: { file: string; sha256: string; page: number | null; line: number; ref?: string };
  /** Axis-aligned bounds of the line in the source page, [x, y, w, h]. */
  box: Box;
  /** The line's corners when it came as a quad; null for whole-image lines. */
  quad: Quad | null;
  engine: string | null;
  confidence: number | null;
  /** SHA-256 of the crop's pixels (the de-duplication key). */
  cropSha256: string;
  /** Crop size [width, height] in pixels. */
  size: [number, number];
}

export interface ManifestSource {
  file: string;
  sha256: string;
  page: number | null;
  docType: DocType | null;
  engine: { name: string; version: string | null; models: string[] } | null;
  /** Lines exported from this source. */
  lines: number;
}

export interface ExportManifest {
  schema: typeof EXPORT_SCHEMA;
  tool: { name: 'zakocr'; version: string };
  createdAt: string;
  format: ExportOptions['format'];
  source: { kind: SourceKind; path: string };
  options: {
    ratios: ExportOptions['ratios'];
    splitBy: ExportOptions['splitBy'];
    seed: string;
    margin: number;
    dedup: boolean;
    nearDupCorrelation: number;
    filters: ExportOptions['filters'];
    limit: number;
  };
  counts: ExportCounts;
  /** Every label character, sorted by code point (the PaddleOCR dict is this minus the space). */
  charset: string;
  /** Index files of the layout (label lists, dict, metadata), relative paths. */
  indexFiles: string[];
  /** PaddleOCR: the dict leaves the space out; train with `use_space_char: true`. */
  notes: string[];
  sources: ManifestSource[];
  items: ManifestItem[];
}

export interface ManifestInput {
  opts: ExportOptions;
  sourceKind: SourceKind;
  sourcePath: string;
  counts: ExportCounts;
  charset: string[];
  items: ManifestItem[];
  sources: ManifestSource[];
  indexFiles: string[];
}

const FORMAT_NOTES: Record<ExportOptions['format'], string[]> = {
  tesstrain: ['Each split folder is a tesstrain GROUND_TRUTH_DIR: make training MODEL_NAME=… GROUND_TRUTH_DIR=<out>/train'],
  paddle: [
    'PaddleOCR recognition: Train.dataset.data_dir=<out>, label_file_list=[<out>/rec_gt_train.txt], Eval label_file_list=[<out>/rec_gt_val.txt]',
    'Global.character_dict_path=<out>/dict.txt with Global.use_space_char=true (the dict leaves the space out)',
  ],
  hf: ['Hugging Face image folder: datasets.load_dataset("imagefolder", data_dir=<out>) gives train/validation/test with image + text'],
};

/** Assembles the manifest object. Pure. */
export function buildManifest(m: ManifestInput, now: Date = new Date()): ExportManifest {
  const o = m.opts;
  return {
    schema: EXPORT_SCHEMA,
    tool: { name: 'zakocr', version: ZAKOCR_VERSION },
    createdAt: now.toISOString(),
    format: o.format,
    source: { kind: m.sourceKind, path: m.sourcePath },
    options: {
      ratios: o.ratios,
      splitBy: o.splitBy,
      seed: o.seed,
      margin: o.margin,
      dedup: o.dedup,
      nearDupCorrelation: o.nearDupCorrelation,
      filters: o.filters,
      limit: o.limit,
    },
    counts: m.counts,
    charset: m.charset.join(''),
    indexFiles: m.indexFiles,
    notes: FORMAT_NOTES[o.format],
    sources: m.sources,
    items: m.items,
  };
}
