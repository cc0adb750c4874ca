/**
 * The per-file pipeline as plain functions: read → decode → per page: preprocess → OCR ∥ barcodes → extract →
 * product. Each stage returns what it made and how long it took (`{ …, timings }`); the file's records are built
 * from those once, by the core/record.ts factories. Nothing here holds state between files: the run's resources
 * (engine, barcode reader, catalog) come in `StageResources`, created once by `createAnalyzer`.
 */
import { createHash } from 'node:crypto';
import { CatalogUnavailableError, FileError, ZakocrError, errorMessage } from '../core/errors.js';
import { LINE_IMAGE_MAX_HEIGHT_PX } from '../core/image.js';
import { makeFailedRecord, makeOkRecord, makeSkippedRecord, reissueRecord, textOfLines, withReview, type OkRecordParts, type RecordIdentity } from '../core/record.js';
import { parseReviewReason, reviewReason } from '../core/review-reason.js';
import type {
  BarcodeReader, EngineInfo, Lang, Logger, OcrEngine, OcrLine, PageImage, ProductCatalog, ProductRef, RecordBarcode, ResultCache, SourceItem,
  ZakRecord,
} from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { enrichBarcodes } from '../barcode/index.js';
import { decodeInput, readInput } from '../decode/index.js';
import { extractFields } from '../extract/extract-fields.js';
import type PQueue from 'p-queue';
import { preprocessPage } from '../preprocess/page.js';
import { isTooSmall } from '../preprocess/quality.js';
import { mapLines } from './affine.js';

/** Milliseconds per stage, as records carry them in `timingsMs` (`read`, `decode`, `preprocess`, `ocr.det`, …). */
export type Timings = Record<string, number>;

/** What the stages of a run share: created once per run, read-only here. */
export interface StageResources {
  config: ZakConfig;
  langs: Lang[];
  engine: OcrEngine;
  info: EngineInfo;
  barcodeReader: BarcodeReader | null;
  catalog: ProductCatalog | null;
  /** Records of files seen before, by sha256 + pipeline version (`--cache`); null = none. */
  cache: ResultCache | null;
  /** Slots for page analysis shared by all files of the run (`--concurrency` of them); absent = pages one by one. */
  pageSlots?: PQueue;
  log?: Logger;
}

export interface PageOptions {
  signal?: AbortSignal;
  /** Layout hint for every page (line datasets): passed to the engine. */
  layout?: 'page' | 'line';
}

export interface FileOptions extends PageOptions {
  /** Return a `skipped` record without OCR when this says the file is done (`--resume`). */
  isDone?: (sha256: string) => boolean;
}

function since(t0: number): number {
  return Math.round(performance.now() - t0);
}

/** Barcodes of the original page (decoder worker threads). A reader failure is logged and reads as none. */
async function readBarcodes(res: StageResources, page: PageImage, file: string, signal?: AbortSignal): Promise<{ barcodes: RecordBarcode[]; timings: Timings }> {
  if (!res.barcodeReader) return { barcodes: [], timings: {} };
  const t = performance.now();
  let barcodes: RecordBarcode[] = [];
  try {
    barcodes = enrichBarcodes(await res.barcodeReader.read(page, { signal }), res.config.barcode);
  } catch (err) {
    res.log?.warn(`barcode reader failed on ${file}: ${errorMessage(err)}`);
  }
  return { barcodes, timings: { barcode: since(t) } };
}

/**
 * The product for a page's barcodes. A catalog that cannot be asked (PostgreSQL down) is not an analysis failure:
 * the product stays null and the page gets the review reason `catalog_unavailable` (`--resume` asks again).
 */
async function lookupProduct(
  res: StageResources, barcodes: RecordBarcode[], fields: OkRecordParts['fields'], sha256: string, file: string,
): Promise<{ product: ProductRef | null; unavailable: boolean }> {
  if (!res.catalog || barcodes.length === 0) return { product: null, unavailable: false };
  try {
    return { product: await res.catalog.lookup(barcodes, fields ?? {}, sha256), unavailable: false };
  } catch (err) {
    if (!(err instanceof CatalogUnavailableError)) throw err;
    res.log?.warn(`${file}: ${err.message}; kept the text and barcodes without a product (review reason catalog_unavailable: run again with --resume to look it up)`);
    return { product: null, unavailable: true };
  }
}

/** A stage failed after some stages had run: the error, with the times measured up to it (for the failed record). */
class StageFailure extends Error {
  constructor(readonly failure: unknown, readonly timings: Timings) {
    super(errorMessage(failure));
  }
}

/** The engine's lines in original page pixels (`toOriginal` undoes preprocessing). @throws StageFailure (engine_failed) */
async function readText(
  res: StageResources,
  page: PageImage,
  toOriginal: Parameters<typeof mapLines>[1],
  file: string,
  opts: PageOptions,
): Promise<{ lines: OcrLine[]; timings: Timings }> {
  const t = performance.now();
  try {
    const out = await res.engine.recognize(page, { langs: res.langs, layout: opts.layout, signal: opts.signal });
    const timings: Timings = { ocr: since(t) };
    for (const [k, v] of Object.entries(out.timingsMs ?? {})) timings[`ocr.${k}`] = v;
    return { lines: mapLines(out.lines, toOriginal), timings };
  } catch (err) {
    const failure = err instanceof ZakocrError ? err : new FileError('engine_failed', 'ocr', `${file}: OCR engine ${res.info.name} failed: ${errorMessage(err)}`, { cause: err });
    throw new StageFailure(failure, { ocr: since(t) });
  }
}

/**
 * One page: preprocess → OCR ∥ barcodes → extract → product. Returns the record's parts (everything but its
 * identity) and the page's stage times.
 * @throws StageFailure when a stage fails (the caller turns it into a failed record with these times)
 */
async function analysePage(res: StageResources, page: PageImage, id: RecordIdentity, opts: PageOptions): Promise<{ parts: OkRecordParts; timings: Timings }> {
  const { config, info } = res;
  // A page with a side ≤ 8 px (a spacer, an icon, a rule) holds no text or barcode: it reads as "no text" (quality
  // issue `too_small`) without running any engine, rather than failing in one that cannot size it.
  const tooSmall = isTooSmall(page);
  // Barcodes read the original page, so they start now and overlap preprocessing and OCR.
  const barcodeWork = tooSmall ? Promise.resolve({ barcodes: [], timings: {} }) : readBarcodes(res, page, id.file, opts.signal);
  const timings: Timings = {};
  try {
    let t = performance.now();
    // Upscaling tiny text helps engines that read at the page's resolution. PP-OCR resamples pages and lines to its
    // own input sizes, so for it only line images are upscaled (cheap; auto's Tesseract second opinion reads them).
    const upscale = config.preprocess.upscale && (info.readsAtPageResolution === true || page.height <= LINE_IMAGE_MAX_HEIGHT_PX);
    const pre = await preprocessPage(page, { ...config.preprocess, upscale });
    timings.preprocess = since(t);
    const review: string[] = [];
    const lowQuality = config.preprocess.minQuality > 0 && pre.quality !== null && pre.quality.score < config.preprocess.minQuality;
    if (lowQuality) review.push(reviewReason.lowQuality(pre.quality!.score, pre.quality!.issues));

    const skipOcr = page.textLayer ?? (lowQuality || tooSmall ? [] : null);
    const ocrWork = skipOcr ? Promise.resolve({ lines: skipOcr, timings: { ocr: 0 } }) : readText(res, pre.page, pre.toOriginal, id.file, opts);
    const [ocr, bar] = await Promise.all([ocrWork, barcodeWork]);
    const { lines } = ocr;
    const { barcodes } = bar;
    Object.assign(timings, bar.timings, ocr.timings);

    t = performance.now();
    const text = textOfLines(lines);
    const extracted = extractFields({ lines, text, barcodes, width: page.width, height: page.height, options: config.extract });
    timings.extract = since(t);
    review.push(...extracted.review);
    if (!lowQuality && lines.length === 0 && barcodes.length === 0) review.push(reviewReason.noTextFound());

    let product: ProductRef | null = null;
    if (res.catalog && barcodes.length > 0) {
      t = performance.now();
      const found = await lookupProduct(res, barcodes, extracted.fields, id.sha256, id.file);
      product = found.product;
      if (found.unavailable) review.push(reviewReason.catalogUnavailable());
      timings.product = since(t);
    }
    const parts: OkRecordParts = {
      docType: extracted.docType,
      quality: pre.quality,
      barcodes,
      lines,
      text,
      fields: extracted.fields,
      product,
      preprocess: [...(page.steps ?? []), ...pre.steps],
      review,
    };
    return { parts, timings };
  } catch (err) {
    if (err instanceof StageFailure) throw new StageFailure(err.failure, { ...timings, ...err.timings });
    throw new StageFailure(err, timings);
  }
}

/** Any error met while analysing one file, as a FileError: known ones keep their code, bugs become `internal`. */
export function toFileError(err: unknown, file: string): FileError {
  if (err instanceof FileError) return err;
  if (err instanceof ZakocrError) return new FileError('engine_failed', 'ocr', `${file}: ${err.message}`, { cause: err });
  const stack = err instanceof Error && err.stack ? ` (${err.stack.split('\n').slice(0, 3).join(' | ')})` : '';
  return new FileError('internal', 'analyse', `${file}: internal error: ${errorMessage(err)}${stack}`, { cause: err });
}

/**
 * One file: read → hash → (resume check) → decode → every page. One record per page; a problem becomes a failed
 * record after the pages already done (never a throw). `base` is the file's identity before its bytes are read.
 * Times: the first record carries `read` and `decode`, later pages their own page `decode`; `total` counts from the
 * start of the file.
 */
export async function analyseFile(res: StageResources, item: SourceItem, base: RecordIdentity, opts: FileOptions): Promise<ZakRecord[]> {
  const t0 = performance.now();
  const { limits, preprocess } = res.config;
  const out: ZakRecord[] = [];
  let id = base;
  let fileTimings: Timings = {};
  let decoded: Awaited<ReturnType<typeof decodeInput>> | undefined;
  try {
    let t = performance.now();
    const bytes = await readInput(item, limits.maxBytes);
    fileTimings.read = since(t);
    id = { ...base, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    if (opts.isDone?.(id.sha256)) return [makeSkippedRecord(id, reviewReason.alreadyDone())];
    if (res.cache) {
      t = performance.now();
      const stored = await res.cache.get(id.sha256, id.pipelineVersion);
      fileTimings.cache = since(t);
      if (stored) return await reuseCached(res, stored, item, id.runId, fileTimings, t0);
    }
    t = performance.now();
    decoded = await decodeInput(bytes, item, { ...limits, pdfDpi: preprocess.pdfDpi });
    fileTimings.decode = since(t);
    const pages = await analysePages(res, decoded.pages, id, fileTimings, t0, opts);
    for (const page of pages) {
      if (!page.ok) throw page.error;
      out.push(page.record);
      id = { ...id, page: page.record.page };
    }
    if (out.length === 0) throw new FileError('corrupt_image', 'decode', `${item.path} has no pages`);
    await res.cache?.set(id.sha256, id.pipelineVersion, out);
    return out;
  } catch (err) {
    // A page that failed after decoding leaves the decoder open (a PDF document): close it now.
    await decoded?.pages.return(undefined).catch(() => undefined);
    const stageTimings = err instanceof StageFailure ? err.timings : {};
    const fe = toFileError(err instanceof StageFailure ? err.failure : err, item.path);
    const pageIndex = out.length > 0 ? (out[out.length - 1].page ?? 0) + 1 : null;
    const timingsMs = { ...(out.length === 0 ? fileTimings : {}), ...stageTimings, total: since(t0) };
    out.push(makeFailedRecord({ ...id, page: pageIndex }, { code: fe.fileCode, message: fe.message, stage: fe.stage }, timingsMs));
    return out;
  }
}

type PageOutcome = { ok: true; record: ZakRecord } | { ok: false; error: unknown };

/** Settles with `work`, or rejects as soon as `signal` aborts (a stuck engine call must not keep a shared slot). */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/**
 * Every page of one file, analysed concurrently through the run's shared page slots (`res.pageSlots`, as many as
 * `--concurrency`), so a 40-page PDF uses the slots single images leave idle. A file's only page in flight goes ahead
 * of other files' extra pages, so a file never waits behind a long PDF for more than one page (its time limit runs
 * while it waits). Pages are decoded one after the other and the next one only once the previous has a slot, so a
 * file holds at most one decoded page that waits. Outcomes come back in page order; after the first failure no
 * further page is decoded (the failed record follows the pages before it, as with sequential reading).
 */
async function analysePages(
  res: StageResources, pages: AsyncGenerator<PageImage>, id: RecordIdentity, fileTimings: Timings, t0: number, opts: FileOptions,
): Promise<PageOutcome[]> {
  const outcomes: Array<Promise<PageOutcome>> = [];
  let failed = false;
  let inFlight = 0;
  for (let first = true; !failed; first = false) {
    const t = performance.now();
    const next = await pages.next();
    if (next.done) break;
    const page = next.value;
    const pageId = { ...id, page: page.page };
    const decodeTimings: Timings = first ? fileTimings : { decode: since(t) };
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => { markStarted = resolve; });
    const work = async (): Promise<PageOutcome> => {
      markStarted();
      const { parts, timings } = await untilAborted(analysePage(res, page, pageId, opts), opts.signal);
      return { ok: true, record: makeOkRecord(pageId, { ...parts, timingsMs: { ...decodeTimings, ...timings, total: since(t0) } }) };
    };
    const priority = inFlight === 0 ? 1 : 0;
    inFlight++;
    const slot = res.pageSlots ? (res.pageSlots.add(work, { priority }) as Promise<PageOutcome>) : work();
    const outcome = slot.catch((error: unknown): PageOutcome => ({ ok: false, error })).then((o) => {
      inFlight--;
      if (!o.ok) failed = true;
      return o;
    });
    outcomes.push(outcome);
    await Promise.race([started, outcome]);
  }
  return Promise.all(outcomes);
}

/**
 * A cache hit for this sighting of the bytes: its own name, run and timings, and a product match made now (so a
 * stored `catalog_unavailable` goes when the catalog answers, and comes when it does not).
 */
function reuseCached(res: StageResources, stored: ZakRecord[], item: SourceItem, runId: string, timings: Timings, t0: number): Promise<ZakRecord[]> {
  return Promise.all(stored.map(async (r) => {
    const asked = res.catalog !== null && r.barcodes.length > 0;
    const found = asked ? await lookupProduct(res, r.barcodes, r.fields, r.sha256, item.path) : null;
    const reissued = reissueRecord(r, { file: item.path, runId, timingsMs: { ...timings, total: since(t0) }, product: found?.product });
    if (!found) return reissued;
    const review = r.review.filter((x) => parseReviewReason(x).kind !== 'catalog_unavailable');
    return withReview(reissued, found.unavailable ? [...review, reviewReason.catalogUnavailable()] : review);
  }));
}
