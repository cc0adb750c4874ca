/**
 * Runs bench variants over a dataset through the real per-file pipeline (`createAnalyzer`):
 * decode → preprocess → OCR ∥ barcodes → extract, the same code `zakocr scan` runs.
 * Each variant gets its own analyser, sees the same items in the same order, and is disposed
 * before the next starts, so variants never compete for the CPU.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { ZakConfig } from '../config/defaults.js';
import { InterruptedError } from '../core/errors.js';
import type { Box, Logger, SourceItem, ZakRecord } from '../core/types.js';
import { createAnalyzer, type Analyzer } from '../pipeline/analyzer.js';
import type { BenchItem, Dataset } from './datasets.js';
import { worstLines } from './line-errors.js';
import { alignChars, type TextCompareOptions } from './metrics.js';
import { scoreItem } from './score-item.js';
import { flattenMetrics, summarize } from './summary.js';
import type { ItemResult, VariantResult, WorstItem } from './types.js';

/** One side of an A/B comparison. */
export interface VariantSpec {
  name: string;
  /** How the user asked for it, for the report: `--engine paddle`, `--config fast.json`. */
  source: string;
  config: ZakConfig;
  /** Config keys that differ from the first variant. */
  settings: Record<string, unknown>;
}

export interface RunVariantOptions {
  compare: TextCompareOptions;
  /** How many worst items to keep with their diff. */
  worst: number;
  signal?: AbortSignal;
  log?: Logger;
  /**
   * Untimed warm-up: `concurrency` small synthetic text images are analysed at once before the
   * clock starts, so worker start-up and model loading (seconds for tesseract.js workers and ONNX
   * sessions) do not land in the first items' latency. Default true.
   */
  warmup?: boolean;
  /** Called after each item. */
  onProgress?: (done: number, total: number, item: ItemResult) => void;
  /** Builds the analyser (tests inject engines through the real pipeline via AnalyzerDeps). */
  analyzerFactory?: (config: ZakConfig) => Promise<Analyzer>;
}

function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

async function analyseItem(analyzer: Analyzer, item: BenchItem, signal?: AbortSignal): Promise<{ records: ZakRecord[]; ms: number }> {
  const t0 = performance.now();
  const records: ZakRecord[] = [];
  for (const abs of item.images) {
    const size = (await stat(abs).catch(() => null))?.size ?? -1;
    const src: SourceItem = { path: displayPath(abs), absPath: abs, size };
    records.push(...(await analyzer.analyse(src, { layout: item.layout, signal })));
  }
  return { records, ms: performance.now() - t0 };
}

/** Width × height of the warm-up image: one short printed line. */
const WARMUP_SIZE = { width: 360, height: 56 };

/** Runs `n` analyses of a tiny rendered line in parallel (one per pool worker); results are dropped. */
async function warmUp(analyzer: Analyzer, n: number, layout: 'page' | 'line', signal?: AbortSignal): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-bench-warmup-'));
  try {
    const file = path.join(dir, 'warmup.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WARMUP_SIZE.width}" height="${WARMUP_SIZE.height}">` +
      `<rect width="100%" height="100%" fill="#fff"/><text x="12" y="38" font-family="sans-serif" font-size="28">Warm up 123</text></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(file);
    const size = (await stat(file)).size;
    await Promise.all(Array.from({ length: n }, () => analyzer.analyse({ path: file, absPath: file, size }, { layout, signal })));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Recognised lines of a page item's first image, by item id: what the worst-line crops are cut from. */
export type PageLines = ReadonlyMap<string, ReadonlyArray<{ text: string; box: Box }>>;

/** The lines of the first page of a page item with a text label (line items are one line: the image is the crop). */
export function firstPageLines(item: BenchItem, records: readonly ZakRecord[]): Array<{ text: string; box: Box }> | null {
  if (item.layout !== 'page' || item.text === undefined) return null;
  const first = records[0]; // analyseItem reads the images in order: the first record is the first image's first page
  if (!first || (first.page ?? 0) !== 0) return null;
  return first.lines.map((l) => ({ text: l.text, box: l.box }));
}

/** The `n` items with the highest error score (> 0), with their character diff and, for page items, their worst lines. */
export function pickWorst(items: readonly ItemResult[], dataset: Dataset, n: number, compare: TextCompareOptions, pageLines: PageLines = new Map()): WorstItem[] {
  const byId = new Map(dataset.items.map((i) => [i.id, i]));
  return [...items]
    .filter((i) => i.score > 0 || i.status === 'failed')
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, n)
    .map((i) => {
      const lines = i.text && pageLines.has(i.id) ? worstLines(pageLines.get(i.id)!, i.text.ref, compare) : [];
      return {
        id: i.id,
        docType: i.docType,
        score: i.score,
        image: byId.get(i.id)?.images[0] ?? '',
        cer: i.text ? i.text.chars.rate : null,
        ref: i.text?.ref ?? null,
        hyp: i.text?.hyp ?? null,
        diff: i.text ? alignChars(i.text.hyp, i.text.ref, compare).ops : null,
        fields: i.fields,
        barcodes: i.barcodes,
        error: i.error,
        ...(lines.length ? { lines } : {}),
      };
    });
}

/**
 * Runs one variant over every item with `config.concurrency` items in flight.
 * @throws MissingResourceError | DeviceError from engine start-up; InterruptedError when `signal` aborts.
 */
export async function runVariant(dataset: Dataset, spec: VariantSpec, opts: RunVariantOptions): Promise<VariantResult> {
  const analyzer = await (opts.analyzerFactory ?? ((c: ZakConfig) => createAnalyzer(c, { log: opts.log })))(spec.config);
  const results = new Array<ItemResult>(dataset.items.length);
  const pageLines = new Map<string, Array<{ text: string; box: Box }>>();
  let next = 0;
  let done = 0;
  const workers = Math.max(1, Math.min(spec.config.concurrency, dataset.items.length));
  let t0 = performance.now();
  try {
    if (opts.warmup !== false) {
      await warmUp(analyzer, workers, dataset.items[0]!.layout, opts.signal);
      t0 = performance.now();
    }
    const worker = async (): Promise<void> => {
      while (next < dataset.items.length) {
        if (opts.signal?.aborted) throw new InterruptedError();
        const index = next++;
        const item = dataset.items[index]!;
        const { records, ms } = await analyseItem(analyzer, item, opts.signal);
        const r = scoreItem(item, records, ms, opts.compare);
        results[index] = r;
        const lines = r.score > 0 ? firstPageLines(item, records) : null;
        if (lines) pageLines.set(item.id, lines);
        opts.onProgress?.(++done, dataset.items.length, r);
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    await analyzer.dispose();
  }
  const wallMs = performance.now() - t0;
  const metrics = summarize(results, wallMs);
  return {
    name: spec.name,
    source: spec.source,
    engine: analyzer.stamp,
    pipelineVersion: analyzer.pipelineVersion,
    settings: spec.settings,
    metrics,
    flat: flattenMetrics(metrics),
    worst: pickWorst(results, dataset, opts.worst, opts.compare, pageLines),
    items: results,
  };
}
