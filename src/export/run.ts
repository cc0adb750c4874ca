import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InterruptedError, UsageError, errorMessage } from '../core/errors.js';
import { runOrdered } from '../core/ordered.js';
import type { Logger } from '../core/types.js';
import { replaceDirectory } from '../core/replace-dir.js';
import { Deduper } from './dedup.js';
import type { DocJob } from './doc-job.js';
import { judgeLine } from './filters.js';
import { buildManifest, EXPORT_MANIFEST_FILE, EXPORT_SCHEMA, type ExportCounts, type ManifestItem, type ManifestSource } from './manifest.js';
import { loadSource } from './sources/index.js';
import { createDocPool } from './pool.js';
import { checkRatios, type Split } from './split.js';
import { charset, normalizeLabel } from './text.js';
import type { ExportOptions, LineSample, SkipReason, SourceDoc } from './types.js';
import { writerFactories } from './writers.js';

/**
 * `zakocr export`: line crops + labels from a labelled dataset, scan results or a review package,
 * in tesstrain, PaddleOCR or Hugging Face layout. One pass, bounded memory:
 *   load source index → filter lines (no pixels yet) → per document, on worker threads (doc-job.ts):
 *   decode, crop, fingerprint, encode and write → in source order: de-duplicate (removing the files of
 *   duplicates) → index files + manifest.
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
  /** Lines handled per second (input lines, less those left out by --limit, / wall time). */
  linesPerSecond: number;
  /** Lines that could not be used because their image was missing, changed or unreadable. */
  sourceProblems: Array<{ file: string; reason: string; message: string }>;
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

/** Documents in flight per worker thread. */
const WINDOW_PER_THREAD = 3;

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
  const pool = await createDocPool(opts.threads).catch(async (err: unknown) => {
    await rm(staging, { recursive: true, force: true });
    throw err;
  });
  const skipped: Partial<Record<SkipReason, number>> = {};
  const skip = (r: SkipReason, n = 1) => {
    if (n > 0) skipped[r] = (skipped[r] ?? 0) + n;
  };
  const perSplit: Record<Split, number> = { train: 0, val: 0, test: 0 };
  const items: ManifestItem[] = [];
  const sources: ManifestSource[] = [];
  const labels: string[] = [];
  const sourceProblems: ExportResult['sourceProblems'] = [];
  const removals: Array<Promise<void>> = [];
  let input = 0;
  let exported = 0;

  try {
    // 1. Filter lines on their text and metadata before touching any pixel.
    for (const doc of source.docs) {
      if (!doc.problem) continue;
      sourceProblems.push({ file: doc.file, reason: 'source_unreadable', message: doc.problem });
      log.warn(`export: skipped ${doc.file}: ${doc.problem}`);
    }
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
    const jobOf = (doc: SourceDoc, kept: Array<{ line: LineSample; label: string }>): DocJob => ({
      file: doc.file,
      candidates: source.candidates(doc),
      page: doc.page,
      sha256: doc.sha256,
      lines: kept,
      format: opts.format,
      staging,
      margin: opts.margin,
      nearDup: opts.dedup && opts.nearDupCorrelation < 1,
      splitBy: opts.splitBy,
      seed: opts.seed,
      ratios: opts.ratios,
      limits: opts.limits,
    });

    // 2. Documents run `window` at a time (on worker threads); 3. results are committed strictly in
    // source order, so de-duplication keeps the same first copy on every run.
    // A deeper window than the thread count keeps every worker fed while the head of the line finishes.
    const window = Math.max(1, opts.concurrency, pool.threads * WINDOW_PER_THREAD);
    let started = 0;
    let stop = false;
    function* toStart(): Generator<(typeof work)[number]> {
      for (const p of work) {
        if (stop) return; // --limit reached: documents not started yet are not read at all
        started++;
        yield p;
      }
    }
    // The pool bounds the jobs really running; the window bounds those started and waiting for their turn.
    const docs = runOrdered(toStart(), (p) => pool.run(jobOf(p.doc, p.kept)), { concurrency: window, window });
    let done = 0;
    for await (const { item: { doc, kept }, result } of docs) {
      if (opts.signal?.aborted) throw new InterruptedError('export interrupted: nothing was written (the partial set was removed)');
      if (result.status === 'rejected') throw result.reason;
      const res = result.value;
      done++;
      skip('bad_box', res.badBoxes);
      if (res.failure) {
        skip(res.failure.reason, kept.length);
        sourceProblems.push({ file: doc.file, reason: res.failure.reason, message: res.failure.message });
        log.warn(`export: skipped ${kept.length} line(s) of ${doc.file}: ${res.failure.message}`);
        continue;
      }
      const sha = res.sha256!;
      let docLines = 0;
      for (const o of res.lines) {
        const { line, label } = kept[o.at];
        const judged = stop ? 'limit' : dedup.offer(label, o.features);
        if (judged !== 'unique') {
          skip(judged);
          for (const f of o.files) removals.push(rm(path.join(staging, f), { force: true }));
          continue;
        }
        perSplit[o.split]++;
        exported++;
        docLines++;
        labels.push(label);
        items.push({
          name: o.name,
          split: o.split,
          path: o.rel,
          text: label,
          origin: line.origin,
          source: { file: doc.file, sha256: sha, page: doc.page, line: line.index, ...(line.ref ? { ref: line.ref } : {}) },
          box: o.box,
          quad: line.quad,
          engine: line.engine,
          confidence: line.confidence,
          cropSha256: o.features.hash,
          size: o.size,
        });
        if (opts.limit > 0 && exported >= opts.limit) stop = true;
      }
      if (res.lines.length > 0) {
        sources.push({ file: doc.file, sha256: sha, page: doc.page, docType: doc.docType, engine: doc.engine, lines: docLines });
      }
      onProgress?.({ docsDone: done, docsTotal: work.length, exported });
    }
    // With --limit, documents never started still count, so the skip reasons add up to the input.
    for (let w = started; w < work.length; w++) skip('limit', work[w].kept.length);
    await Promise.all(removals);

    const chars = charset(labels);
    const indexFiles = await writer.finish(items.map((i) => ({ split: i.split, rel: i.path, label: i.text })), chars);
    const counts: ExportCounts = { input, exported, train: perSplit.train, val: perSplit.val, test: perSplit.test, skipped };
    const manifest = buildManifest({ opts, sourceKind: source.kind, sourcePath: source.path, counts, charset: chars, items, sources, indexFiles });
    await writeFile(path.join(staging, EXPORT_MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n', 'utf8');
    await replaceDirectory(staging, out);
  } catch (err) {
    // Jobs still running on the workers write into the staging folder: let them finish before removing it.
    await Promise.allSettled(removals);
    await pool.close();
    await rm(staging, { recursive: true, force: true });
    throw err;
  } finally {
    await pool.close();
  }
  const durationMs = Date.now() - started;
  return {
    out,
    format: opts.format,
    counts: { input, exported, train: perSplit.train, val: perSplit.val, test: perSplit.test, skipped },
    durationMs,
    linesPerSecond: (input - (skipped.limit ?? 0)) / Math.max(1e-3, durationMs / 1000),
    sourceProblems,
  };
}
