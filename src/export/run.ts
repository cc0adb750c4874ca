import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, errorMessage } from '../core/errors.js';
import type { Logger, PageImage } from '../core/types.js';
import { Deduper } from './dedup.js';
import { judgeLine } from './filters.js';
import { pixelHash } from './fingerprint.js';
import { encodePng, greyIfNeutral } from './png.js';
import { loadPage } from './image.js';
import { buildManifest, EXPORT_MANIFEST_FILE, EXPORT_SCHEMA, type ExportCounts, type ManifestItem, type ManifestSource } from './manifest.js';
import { loadSource } from './sources/index.js';
import { assignSplit, checkRatios, type Split } from './split.js';
import { charset, normalizeLabel } from './text.js';
import type { ExportOptions, LineSample, SkipReason, SourceDoc } from './types.js';
import { cropLine, type RawImage } from './warp.js';
import { writerFactories } from './writers.js';

/**
 * `zakocr export`: line crops + labels from a labelled dataset, scan results or a review package,
 * in tesstrain, PaddleOCR or Hugging Face layout. One pass, bounded memory:
 *   load source index → filter lines (no pixels yet) → decode up to `concurrency` pages at once →
 *   crop → in source order: de-duplicate, split, name → encode PNG and write → index files + manifest.
 * Everything is written into a staging folder beside `out` and renamed into place at the end, so an
 * interrupted export never looks like a finished one. Same source + options → same files and names.
 */

export interface ExportProgress {
  docsDone: number;
  docsTotal: number;
  exported: number;
}

export interface ExportResult {
  out: string;
  format: ExportOptions['format'];
  counts: ExportCounts;
  durationMs: number;
  /** Lines considered per second (input lines / wall time). */
  linesPerSecond: number;
  /** Lines that could not be used because their image was missing, changed or unreadable. */
  sourceProblems: Array<{ file: string; reason: string; message: string }>;
}

interface Cropped {
  line: LineSample;
  label: string;
  crop: RawImage;
  box: [number, number, number, number];
}

interface DocResult {
  doc: SourceDoc;
  sha256: string | null;
  crops: Cropped[];
  failure?: { reason: SkipReason; message: string; lines: number };
  badBoxes: number;
}

/** A whole-image line (line-image datasets): the page itself, no margin. */
function wholePage(page: PageImage): RawImage {
  return { data: page.data, width: page.width, height: page.height, channels: page.channels };
}

function safeStem(file: string): string {
  const base = path.basename(file, path.extname(file));
  return (base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'img').slice(0, 48);
}

/** Output name of a line: readable and unique (stem, first hex of the file hash, page, line index). */
export function lineName(file: string, sha256: string, page: number | null, index: number): string {
  const p = page === null ? '' : `_p${page + 1}`;
  return `${safeStem(file)}_${sha256.slice(0, 8)}${p}_l${String(index).padStart(3, '0')}`;
}

/** Stable identity of a line for the split hash: its file, page and box (not its text, which a review may change). */
export function splitKey(sha256: string, page: number | null, line: LineSample, by: ExportOptions['splitBy']): string {
  if (by === 'document') return sha256;
  const q = line.quad ? line.quad.map((p) => `${Math.round(p[0])},${Math.round(p[1])}`).join(';') : 'page';
  return `${sha256}|${page ?? ''}|${q}`;
}

async function prepareStaging(out: string, force: boolean): Promise<string> {
  let st;
  try {
    st = await stat(out);
  } catch {
    st = null;
  }
  if (st) {
    if (!st.isDirectory()) throw new UsageError(`--out ${out} exists and is not a folder`);
    const entries = await readdir(out);
    if (entries.length > 0) {
      let ours = false;
      try {
        ours = (JSON.parse(await readFile(path.join(out, EXPORT_MANIFEST_FILE), 'utf8')) as { schema?: string }).schema === EXPORT_SCHEMA;
      } catch {
        ours = false;
      }
      if (!ours) throw new UsageError(`--out ${out} is not empty and holds no zakocr export; choose a new or empty folder`);
      if (!force) throw new UsageError(`--out ${out} already holds an export`, { hint: 'Pass --force to replace it, or choose another folder' });
    }
  }
  const staging = path.join(path.dirname(out), `.${path.basename(out)}.partial-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  return staging;
}

async function swapInto(staging: string, out: string): Promise<void> {
  let old: string | null = null;
  try {
    await stat(out);
    old = path.join(path.dirname(out), `.${path.basename(out)}.old-${randomBytes(4).toString('hex')}`);
    await rename(out, old);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await rename(staging, out);
  if (old) await rm(old, { recursive: true, force: true });
}

/** Crops every kept line of one document (the page is decoded once and dropped afterwards). */
async function cropDoc(doc: SourceDoc, kept: Array<{ line: LineSample; label: string }>, candidates: string[], opts: ExportOptions): Promise<DocResult> {
  const loaded = await loadPage(candidates, doc.page, doc.sha256, opts.limits);
  if (!loaded.ok) return { doc, sha256: doc.sha256, crops: [], failure: { reason: loaded.reason, message: loaded.message, lines: kept.length }, badBoxes: 0 };
  const crops: Cropped[] = [];
  let badBoxes = 0;
  for (const { line, label } of kept) {
    try {
      if (line.quad === null) {
        crops.push({ line, label, crop: wholePage(loaded.page), box: [0, 0, loaded.page.width, loaded.page.height] });
        continue;
      }
      const xs = line.quad.map((p) => p[0]);
      const ys = line.quad.map((p) => p[1]);
      // A box entirely off the page is a labelling error, not a crop of the margin.
      if (Math.max(...xs) <= 0 || Math.max(...ys) <= 0 || Math.min(...xs) >= loaded.page.width || Math.min(...ys) >= loaded.page.height) {
        badBoxes++;
        continue;
      }
      const c = cropLine(loaded.page, line.quad, opts.margin);
      const x0 = Math.floor(Math.min(...xs));
      const y0 = Math.floor(Math.min(...ys));
      crops.push({ line, label, crop: c, box: [x0, y0, Math.ceil(Math.max(...xs)) - x0, Math.ceil(Math.max(...ys)) - y0] });
    } catch {
      badBoxes++;
    }
  }
  return { doc, sha256: loaded.sha256, crops, badBoxes };
}

/** A small counting semaphore for PNG encodes and writes in flight. */
function limiter(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Runs an export.
 * @throws UsageError for a bad source, bad options or an occupied output folder.
 */
export async function runExport(opts: ExportOptions, log: Logger, onProgress?: (p: ExportProgress) => void): Promise<ExportResult> {
  const started = Date.now();
  try {
    checkRatios(opts.ratios);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const source = await loadSource(opts.from, opts.sourceKind, opts.imagesRoot);
  const out = path.resolve(opts.out);
  const staging = await prepareStaging(out, opts.force);
  const writer = writerFactories[opts.format](staging);
  const dedup = new Deduper({ enabled: opts.dedup, nearCorrelation: opts.nearDupCorrelation });
  const skipped: Partial<Record<SkipReason, number>> = {};
  const skip = (r: SkipReason, n = 1) => {
    if (n > 0) skipped[r] = (skipped[r] ?? 0) + n;
  };
  const perSplit: Record<Split, number> = { train: 0, val: 0, test: 0 };
  const items: ManifestItem[] = [];
  const sources: ManifestSource[] = [];
  const labels: string[] = [];
  const sourceProblems: ExportResult['sourceProblems'] = [];
  let input = 0;
  let exported = 0;
  const io = limiter(Math.max(2, opts.concurrency * 2));
  const pendingWrites: Array<Promise<unknown>> = [];

  try {
    // 1. Filter lines on their text and metadata before touching any pixel.
    const plans = source.docs.map((doc) => {
      const kept: Array<{ line: LineSample; label: string }> = [];
      for (const line of doc.lines) {
        input++;
        const label = normalizeLabel(line.text);
        const reason = judgeLine(line, doc, label, opts.filters);
        if (reason) skip(reason);
        else kept.push({ line, label });
      }
      return { doc, kept };
    });
    const work = plans.filter((p) => p.kept.length > 0);

    // 2. Crop with bounded concurrency; 3. commit strictly in source order (deterministic dedup and names).
    const window = Math.max(1, opts.concurrency);
    const inflight: Array<Promise<DocResult>> = [];
    let next = 0;
    const launch = () => {
      const p = work[next++];
      inflight.push(cropDoc(p.doc, p.kept, source.candidates(p.doc), opts));
    };
    while (next < work.length && inflight.length < window) launch();
    let done = 0;
    let stop = false;
    while (inflight.length > 0) {
      const res = await inflight.shift()!;
      if (next < work.length && !stop) launch();
      done++;
      const { doc } = res;
      skip('bad_box', res.badBoxes);
      if (res.failure) {
        skip(res.failure.reason, res.failure.lines);
        sourceProblems.push({ file: doc.file, reason: res.failure.reason, message: res.failure.message });
        log.warn(`export: skipped ${res.failure.lines} line(s) of ${doc.file}: ${res.failure.message}`);
        continue;
      }
      const sha = res.sha256!;
      let docLines = 0;
      for (const c of res.crops) {
        if (stop) {
          skip('limit');
          continue;
        }
        const hash = pixelHash(c.crop);
        const verdict = dedup.offer(c.label, c.crop, hash);
        if (verdict !== 'unique') {
          skip(verdict);
          continue;
        }
        const split = assignSplit(splitKey(sha, doc.page, c.line, opts.splitBy), opts.seed, opts.ratios);
        const name = lineName(doc.file, sha, doc.page, c.line.index);
        perSplit[split]++;
        exported++;
        docLines++;
        labels.push(c.label);
        const item: ManifestItem = {
          name,
          split,
          path: writer.imagePath(name, split),
          text: c.label,
          origin: c.line.origin,
          source: { file: doc.file, sha256: sha, page: doc.page, line: c.line.index, ...(c.line.ref ? { ref: c.line.ref } : {}) },
          box: c.box,
          quad: c.line.quad,
          engine: c.line.engine,
          confidence: c.line.confidence,
          cropSha256: hash,
          size: [c.crop.width, c.crop.height],
        };
        items.push(item);
        const png = encodePng(greyIfNeutral(c.crop));
        const write = io(() => writer.add({ name, split, label: item.text, png }));
        write.catch(() => undefined); // handled: the error surfaces from Promise.all below
        pendingWrites.push(write);
        if (opts.limit > 0 && exported >= opts.limit) stop = true;
      }
      if (docLines > 0 || res.crops.length > 0) {
        sources.push({ file: doc.file, sha256: sha, page: doc.page, docType: doc.docType, engine: doc.engine, lines: docLines });
      }
      // Bound memory: do not let encoded-but-unwritten crops pile up.
      if (pendingWrites.length > 4 * window * 64) await Promise.all(pendingWrites.splice(0));
      onProgress?.({ docsDone: done, docsTotal: work.length, exported });
    }
    await Promise.all(pendingWrites.splice(0));

    const chars = charset(labels);
    const indexFiles = await writer.finish(items.map((i) => ({ split: i.split, rel: i.path, label: i.text })), chars);
    const counts: ExportCounts = { input, exported, train: perSplit.train, val: perSplit.val, test: perSplit.test, skipped };
    const manifest = buildManifest({ opts, sourceKind: source.kind, sourcePath: source.path, counts, charset: chars, items, sources, indexFiles });
    await writeFile(path.join(staging, EXPORT_MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n', 'utf8');
    await swapInto(staging, out);
  } catch (err) {
    await Promise.allSettled(pendingWrites);
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  const durationMs = Date.now() - started;
  return {
    out,
    format: opts.format,
    counts: { input, exported, train: perSplit.train, val: perSplit.val, test: perSplit.test, skipped },
    durationMs,
    linesPerSecond: input / Math.max(1e-3, durationMs / 1000),
    sourceProblems,
  };
}
