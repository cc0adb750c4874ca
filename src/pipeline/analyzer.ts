import { createHash } from 'node:crypto';
import { FileError, ZakocrError, errorMessage } from '../core/errors.js';
import { LINE_IMAGE_MAX_HEIGHT_PX } from '../core/image.js';
import { linesText, makeFailedRecord, makeOkRecord, makeSkippedRecord, reissueRecord, type RecordIdentity } from '../core/record.js';
import type {
  BarcodeReader, EngineInfo, EngineStamp, Lang, Logger, OcrEngine, OcrLine, PageImage, ProductCatalog, RecordBarcode,
  ResultCache, SourceItem, ZakRecord,
} from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { decodeInput, readInput } from '../decode/index.js';
import { preprocessPage } from '../preprocess/index.js';
import { createEngine } from '../ocr/registry.js';
import { createBarcodeReader, createCatalog, enrichBarcodes } from '../barcode/index.js';
import { extractFields } from '../extract/index.js';
import { createResultCache } from '../cache/redis-cache.js';
import { mapLines } from './affine.js';
import { pipelineVersion } from './version.js';

export interface AnalyzerDeps {
  /** An engine to use instead of the registry's (tests inject fakes through the real pipeline). */
  engine?: OcrEngine;
  barcodeReader?: BarcodeReader | null;
  catalog?: ProductCatalog | null;
  /** Shared results by sha256 + pipeline version; default: `cache.url` from config (null = none). */
  cache?: ResultCache | null;
  log?: Logger;
  runId?: string;
}

export interface AnalyseOptions {
  signal?: AbortSignal;
  /** Layout hint for every page (line datasets): passed to the engine. */
  layout?: 'page' | 'line';
  /** Return a `skipped` record without OCR when this says the file is done (`--resume`). */
  isDone?: (sha256: string) => boolean;
}

/** Runs the whole per-file pipeline: read → decode → preprocess → OCR ∥ barcodes → extract → product. */
export interface Analyzer {
  readonly info: EngineInfo;
  readonly pipelineVersion: string;
  readonly stamp: EngineStamp;
  /** One record per page; never throws for a bad file (it becomes a failed record). */
  analyse(item: SourceItem, opts?: AnalyseOptions): Promise<ZakRecord[]>;
  dispose(): Promise<void>;
}

/** Codes after which a file is worth retrying on `--resume` (the file itself may be fine). */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(['timeout', 'engine_failed', 'unreadable', 'internal']);

export function parseLangs(lang: string): Lang[] {
  return lang.split('+').filter((l): l is Lang => l === 'eng' || l === 'ben');
}

function since(t0: number): number {
  return Math.round(performance.now() - t0);
}

/**
 * Runs `work` with a signal that aborts when `ms` passes or `outer` aborts; rejects with a FileError('timeout') when
 * the time runs out first. The abort is what frees the engine: a stuck OCR or barcode worker is terminated and
 * replaced, so one pathological file cannot keep a slot busy for the rest of the run.
 */
function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, file: string, outer?: AbortSignal): Promise<T> {
  const ac = new AbortController();
  const onOuterAbort = () => ac.abort(outer?.reason);
  if (outer?.aborted) ac.abort(outer.reason);
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new FileError('timeout', 'analyse', `${file} took longer than ${ms} ms (limits.timeoutMs)`));
      ac.abort();
    }, ms);
  });
  return Promise.race([work(ac.signal), limit]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  });
}

/**
 * Creates the engine, barcode reader and (optional) catalog once per run.
 * @throws MissingResourceError | DeviceError | UsageError from engine start-up.
 */
export async function createAnalyzer(config: ZakConfig, deps: AnalyzerDeps = {}): Promise<Analyzer> {
  const langs = parseLangs(config.lang);
  const engine = deps.engine ?? createEngine(config.engine);
  const info = await engine.init({
    langs,
    concurrency: config.concurrency,
    device: config.device as EngineInitDevice,
    threads: config.ocr.threads,
    settings: config.ocr as unknown as Record<string, unknown>,
  });
  let barcodeReader: BarcodeReader | null;
  try {
    barcodeReader = deps.barcodeReader !== undefined ? deps.barcodeReader : await createBarcodeReader(config.barcode);
  } catch (err) {
    await engine.dispose();
    throw err;
  }
  let catalog: ProductCatalog | null;
  try {
    // `--catalog products.csv` and/or the PostgreSQL `products` table (`--pg`); null when neither is set.
    catalog = deps.catalog !== undefined ? deps.catalog : await createCatalog(config, deps.log);
  } catch (err) {
    await Promise.allSettled([engine.dispose(), barcodeReader?.dispose()]);
    throw err;
  }
  let cache: ResultCache | null;
  try {
    cache = deps.cache !== undefined ? deps.cache : await createResultCache(config.cache, deps.log);
  } catch (err) {
    await Promise.allSettled([engine.dispose(), barcodeReader?.dispose(), catalog?.close()]);
    throw err;
  }
  const version = pipelineVersion(config, info);
  // Upscaling tiny text helps engines that read at the page's resolution. PP-OCR resamples pages and lines to its
  // own input sizes, so for it only line images are upscaled (cheap; auto's Tesseract second opinion reads them).
  const upscaleFor = (page: PageImage) =>
    config.preprocess.upscale && (info.readsAtPageResolution === true || page.height <= LINE_IMAGE_MAX_HEIGHT_PX);
  const stamp: EngineStamp = { name: info.name, models: info.models, device: info.device, version: info.version };
  const runId = deps.runId ?? '';

  async function analysePage(page: PageImage, id: RecordIdentity, timings: Record<string, number>, opts: AnalyseOptions): Promise<ZakRecord> {
    // Barcodes read the original page (decoder worker threads), so they start now and overlap preprocessing.
    const barcodeWork = (async (): Promise<RecordBarcode[]> => {
      if (!barcodeReader) return [];
      const tb = performance.now();
      try {
        return enrichBarcodes(await barcodeReader.read(page, { signal: opts.signal }), config.barcode);
      } catch (err) {
        deps.log?.warn(`barcode reader failed on ${id.file}: ${errorMessage(err)}`);
        return [];
      } finally {
        timings.barcode = (timings.barcode ?? 0) + since(tb);
      }
    })();
    let t = performance.now();
    const pre = await preprocessPage(page, { ...config.preprocess, upscale: upscaleFor(page) });
    timings.preprocess = (timings.preprocess ?? 0) + since(t);
    const review: string[] = [];
    const lowQuality = config.preprocess.minQuality > 0 && pre.quality !== null && pre.quality.score < config.preprocess.minQuality;
    if (lowQuality) review.push(`low_quality:${pre.quality!.score.toFixed(2)}${pre.quality!.issues.length ? ':' + pre.quality!.issues.join(',') : ''}`);

    t = performance.now();
    const ocrWork = (async (): Promise<{ lines: OcrLine[]; engineTimings?: Record<string, number> }> => {
      if (page.textLayer) return { lines: page.textLayer };
      if (lowQuality) return { lines: [] };
      try {
        const res = await engine.recognize(pre.page, { langs, layout: opts.layout, signal: opts.signal });
        return { lines: mapLines(res.lines, pre.toOriginal), engineTimings: res.timingsMs };
      } catch (err) {
        if (err instanceof ZakocrError) throw err;
        throw new FileError('engine_failed', 'ocr', `${id.file}: OCR engine ${info.name} failed: ${errorMessage(err)}`, { cause: err });
      } finally {
        timings.ocr = (timings.ocr ?? 0) + since(t);
      }
    })();
    const [{ lines, engineTimings }, barcodes] = await Promise.all([ocrWork, barcodeWork]);
    for (const [k, v] of Object.entries(engineTimings ?? {})) timings[`ocr.${k}`] = (timings[`ocr.${k}`] ?? 0) + v;

    t = performance.now();
    const text = linesText(lines);
    const extracted = extractFields({ lines, text, barcodes, width: page.width, height: page.height, options: config.extract });
    timings.extract = since(t);
    review.push(...extracted.review);
    if (!lowQuality && lines.length === 0 && barcodes.length === 0) review.push('no_text_found');

    let product = null;
    if (catalog && barcodes.length > 0) {
      t = performance.now();
      product = await catalog.lookup(barcodes, extracted.fields, id.sha256);
      timings.product = since(t);
    }
    return makeOkRecord(id, {
      docType: extracted.docType,
      quality: pre.quality,
      barcodes,
      lines,
      text,
      fields: extracted.fields,
      product,
      preprocess: [...(page.steps ?? []), ...pre.steps],
      review,
      timingsMs: timings,
    });
  }

  async function analyseFile(item: SourceItem, opts: AnalyseOptions): Promise<ZakRecord[]> {
    const t0 = performance.now();
    const base = { file: item.path, page: null, sha256: '', bytes: Math.max(0, item.size), pipelineVersion: version, runId, engine: stamp };
    const out: ZakRecord[] = [];
    let id: RecordIdentity = base;
    let timings: Record<string, number> = {};
    let decoded: Awaited<ReturnType<typeof decodeInput>> | undefined;
    try {
      let t = performance.now();
      const bytes = await readInput(item, config.limits.maxBytes);
      timings.read = since(t);
      id = { ...base, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      if (opts.isDone?.(id.sha256)) return [makeSkippedRecord(id, 'already_done')];
      if (cache) {
        t = performance.now();
        const stored = await cache.get(id.sha256, version);
        timings.cache = since(t);
        if (stored) return reuse(stored, item, timings, t0);
      }
      t = performance.now();
      decoded = await decodeInput(bytes, item, { ...config.limits, pdfDpi: config.preprocess.pdfDpi });
      timings.decode = since(t);
      let first = true;
      while (true) {
        t = performance.now();
        const next = await decoded.pages.next();
        if (!first) timings.decode = since(t);
        first = false;
        if (next.done) break;
        const page = next.value;
        const pageId = { ...id, page: page.page };
        const record = await analysePage(page, pageId, timings, opts);
        record.timingsMs.total = since(t0);
        out.push(record);
        timings = {};
        id = pageId;
      }
      if (out.length === 0) throw new FileError('corrupt_image', 'decode', `${item.path} has no pages`);
      await cache?.set(id.sha256, version, out);
      return out;
    } catch (err) {
      // A page that failed after decoding leaves the decoder open (a PDF document): close it now.
      await decoded?.pages.return(undefined).catch(() => undefined);
      const fe = toFileError(err, item.path);
      timings.total = since(t0);
      const pageIndex = out.length > 0 ? (out[out.length - 1].page ?? 0) + 1 : null;
      out.push(makeFailedRecord({ ...id, page: pageIndex }, { code: fe.fileCode, message: fe.message, stage: fe.stage }, timings));
      return out;
    }
  }

  /** A cache hit for this sighting of the bytes: its own name and timings, and a product match made now. */
  function reuse(stored: ZakRecord[], item: SourceItem, timings: Record<string, number>, t0: number): Promise<ZakRecord[]> {
    return Promise.all(stored.map(async (r) => {
      const product = catalog && r.barcodes.length > 0 ? await catalog.lookup(r.barcodes, r.fields, r.sha256) : undefined;
      return reissueRecord(r, { file: item.path, runId, timingsMs: { ...timings, total: since(t0) }, product });
    }));
  }

  return {
    info,
    pipelineVersion: version,
    stamp,
    analyse(item, opts = {}) {
      return withTimeout((signal) => analyseFile(item, { ...opts, signal }), config.limits.timeoutMs, item.path, opts.signal).catch((err: unknown) => {
        const fe = toFileError(err, item.path);
        return [makeFailedRecord({ file: item.path, page: null, sha256: '', bytes: Math.max(0, item.size), pipelineVersion: version, runId, engine: stamp }, { code: fe.fileCode, message: fe.message, stage: fe.stage })];
      });
    },
    async dispose() {
      await Promise.allSettled([engine.dispose(), barcodeReader?.dispose(), catalog?.close(), cache?.close()]);
    },
  };
}

type EngineInitDevice = 'auto' | 'cpu' | 'cuda' | 'webgpu';

/** Any error met while analysing one file, as a FileError: known ones keep their code, bugs become `internal`. */
export function toFileError(err: unknown, file: string): FileError {
  if (err instanceof FileError) return err;
  if (err instanceof ZakocrError) return new FileError('engine_failed', 'ocr', `${file}: ${err.message}`, { cause: err });
  const stack = err instanceof Error && err.stack ? ` (${err.stack.split('\n').slice(0, 3).join(' | ')})` : '';
  return new FileError('internal', 'analyse', `${file}: internal error: ${errorMessage(err)}${stack}`, { cause: err });
}
