/**
 * Labelled datasets for `zakocr bench`: one in-memory shape for every on-disk layout, format
 * detection, and the `--limit` subset. Adapters live in `./adapters/`.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, badFlag } from '../core/errors.js';
import type { BarcodeLabel } from './barcode-metrics.js';
import type { TextCompareOptions } from './metrics.js';
import { loadGtLines } from './adapters/gt-lines.js';
import { loadInvoice2data } from './adapters/invoice2data.js';
import { loadManifest } from './adapters/manifest.js';
import { loadSroie } from './adapters/sroie.js';
import { loadZxing } from './adapters/zxing.js';
import { isImageName } from './adapters/common.js';

export { IMAGE_EXTENSIONS, insideRoot, isImageName, stripFinalNewline, type AdapterResult } from './adapters/common.js';

export const DATASET_FORMATS = ['manifest', 'zxing', 'sroie', 'gt-lines', 'invoice2data'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** One labelled example: one or more page images (all analysed, records merged) and what they should yield. */
export interface BenchItem {
  /** Stable id, unique in the dataset (relative path or the label's id). */
  id: string;
  /** Absolute paths of the files to analyse, in page order (multi-page documents have several). */
  images: string[];
  /** Ground-truth category for the per-type breakdown: 'line', 'receipt', 'invoice', 'label', … */
  docType: string;
  /** Layout hint for the engine: 'line' for single-line crops. */
  layout: 'page' | 'line';
  /** Expected text (lines joined with \n); absent when the item has no text label. */
  text?: string;
  /** Expected field values keyed by the dataset's field names (SROIE `company`, invoice2data `amount`, …). */
  fields?: Record<string, unknown>;
  /** Every barcode the image holds. */
  barcodes?: BarcodeLabel[];
}

export interface Dataset {
  /** Folder (or manifest file) name. */
  name: string;
  /** Absolute path that was loaded. */
  root: string;
  format: DatasetFormat;
  items: BenchItem[];
  /** Text comparison the layout calls for (SROIE transcripts are upper case: fold case). */
  compare: TextCompareOptions;
  /** Language the labels are written in, when the layout says so or the text shows it ('ben'). */
  lang?: 'eng' | 'ben';
  /** Label files the adapter skipped, and why. */
  warnings: string[];
}

export interface LoadDatasetOptions {
  /** Layout, or 'auto' (default) to detect it. */
  format?: DatasetFormat | 'auto';
  /** Keep at most this many items, spread evenly over the sorted list. */
  limit?: number;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Which layout a folder holds: SROIE (img/ key/ box/), invoice2data (labels/ with pdf/ or renders/),
 * `.gt.txt` line sets, zxing blackbox folders (`<format>-<n>/` with N.png + N.txt), else our manifest.jsonl.
 * @throws UsageError when nothing matches.
 */
export async function detectFormat(root: string): Promise<DatasetFormat> {
  const st = await stat(root).catch(() => null);
  if (!st) throw new UsageError(`Dataset not found: ${root}`);
  if (st.isFile()) {
    if (root.endsWith('.jsonl')) return 'manifest';
    throw new UsageError(`Expected a dataset folder or a manifest .jsonl file, got ${root}`);
  }
  if ((await isDir(path.join(root, 'img'))) && (await isDir(path.join(root, 'key')))) return 'sroie';
  if (
    (await isDir(path.join(root, 'labels'))) &&
    ((await isDir(path.join(root, 'pdf'))) || (await isDir(path.join(root, 'renders'))) || (await isDir(path.join(root, 'png'))))
  ) {
    return 'invoice2data';
  }
  const names = await readdir(root);
  if (names.some((n) => n.endsWith('.gt.txt'))) return 'gt-lines';
  for (const n of names) {
    if (!/^[a-z0-9]+-\d+$/iu.test(n) || !(await isDir(path.join(root, n)))) continue;
    const inner = await readdir(path.join(root, n));
    if (inner.some((f) => isImageName(f)) && inner.some((f) => f.endsWith('.txt'))) return 'zxing';
  }
  if (names.includes('manifest.jsonl')) return 'manifest';
  throw new UsageError(
    `Cannot tell the layout of ${root}: expected manifest.jsonl, *.gt.txt files, img/+key/ (SROIE), ` +
      `labels/+pdf/ (invoice2data) or <format>-<n>/ folders (zxing)`,
    { hint: `pass --format ${DATASET_FORMATS.join('|')}` },
  );
}

/**
 * `limit` items spread evenly over `items` (keeps every folder/format represented in quick runs),
 * in their original order.
 */
export function spreadSubset<T>(items: readonly T[], limit: number | undefined): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  if (!Number.isInteger(limit) || limit < 1) {
    throw badFlag('--limit', limit, 'must be a whole number ≥ 1');
  }
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]!);
}

const BENGALI = /[\u0980-\u09FF]/gu;
const LETTERS = /\p{L}/gu;

/** 'ben' when most letters of the expected texts are Bengali script, else undefined. */
export function guessLang(items: readonly BenchItem[]): 'ben' | undefined {
  let ben = 0;
  let all = 0;
  for (const it of items) {
    if (!it.text) continue;
    ben += it.text.match(BENGALI)?.length ?? 0;
    all += it.text.match(LETTERS)?.length ?? 0;
  }
  return all > 0 && ben / all > 0.5 ? 'ben' : undefined;
}

/**
 * Loads a dataset folder or manifest file.
 * @throws UsageError for a missing path, an unknown layout or a malformed label file (named with its line).
 */
export async function loadDataset(input: string, opts: LoadDatasetOptions = {}): Promise<Dataset> {
  const root = path.resolve(input);
  const format = !opts.format || opts.format === 'auto' ? await detectFormat(root) : opts.format;
  if (!(DATASET_FORMATS as readonly string[]).includes(format)) {
    throw badFlag('--format', format, `must be one of auto, ${DATASET_FORMATS.join(', ')}`);
  }
  const loaded = await (format === 'manifest'
    ? loadManifest(root)
    : format === 'zxing'
      ? loadZxing(root)
      : format === 'sroie'
        ? loadSroie(root)
        : format === 'gt-lines'
          ? loadGtLines(root)
          : loadInvoice2data(root));
  if (loaded.items.length === 0) throw new UsageError(`No labelled items found in ${root} (format ${format})`);
  const items = spreadSubset(loaded.items, opts.limit);
  const name = path.basename(root.endsWith('.jsonl') ? path.dirname(root) : root);
  return {
    name,
    root,
    format,
    items,
    compare: loaded.compare ?? {},
    lang: loaded.lang ?? guessLang(items),
    warnings: loaded.warnings ?? [],
  };
}
