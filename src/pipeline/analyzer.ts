import PQueue from 'p-queue';
import { FileError } from '../core/errors.js';
import { parseLangs } from '../core/choices.js';
import { makeFailedRecord, type RecordIdentity } from '../core/record.js';
import type { BarcodeReader, EngineInfo, EngineStamp, Logger, OcrEngine, ProductCatalog, ResultCache, SourceItem, ZakRecord } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { createEngine } from '../ocr/registry.js';
import { createBarcodeReader, createCatalog } from '../barcode/index.js';
import { createResultCache } from '../cache/redis-cache.js';
import { analyseFile, toFileError, type FileOptions, type StageResources } from './stages.js';
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

export type AnalyseOptions = FileOptions;

/** Runs the whole per-file pipeline: read → decode → preprocess → OCR ∥ barcodes → extract → product. */
export interface Analyzer {
  readonly info: EngineInfo;
  readonly pipelineVersion: string;
  readonly stamp: EngineStamp;
  /** One record per page; never throws for a bad file (it becomes a failed record). */
  analyse(item: SourceItem, opts?: AnalyseOptions): Promise<ZakRecord[]>;
  dispose(): Promise<void>;
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

/** Starts the run's resources in order, disposing the ones already started when a later one fails. */
async function openResources(config: ZakConfig, deps: AnalyzerDeps): Promise<StageResources> {
  const engine = deps.engine ?? createEngine(config.engine);
  const langs = parseLangs(config.lang);
  const info = await engine.init({ langs, concurrency: config.concurrency, device: config.device, threads: config.ocr.threads, settings: config.ocr });
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
  const pageSlots = new PQueue({ concurrency: Math.max(1, config.concurrency) });
  return { config, langs, engine, info, barcodeReader, catalog, cache, pageSlots, log: deps.log };
}

/**
 * Creates the engine, barcode reader and (optional) catalog and result cache once per run; `analyse` runs the stages
 * (pipeline/stages.ts) on one file within `limits.timeoutMs`.
 * @throws MissingResourceError | DeviceError | UsageError from engine start-up.
 */
export async function createAnalyzer(config: ZakConfig, deps: AnalyzerDeps = {}): Promise<Analyzer> {
  const res = await openResources(config, deps);
  const { info } = res;
  const version = pipelineVersion(config, info);
  const stamp: EngineStamp = { name: info.name, models: info.models, device: info.device, version: info.version };
  const runId = deps.runId ?? '';
  const identity = (item: SourceItem): RecordIdentity => ({ file: item.path, page: null, sha256: '', bytes: Math.max(0, item.size), pipelineVersion: version, runId, engine: stamp });
  return {
    info,
    pipelineVersion: version,
    stamp,
    analyse(item, opts = {}) {
      const work = (signal: AbortSignal) => analyseFile(res, item, identity(item), { ...opts, signal });
      return withTimeout(work, config.limits.timeoutMs, item.path, opts.signal).catch((err: unknown) => {
        const fe = toFileError(err, item.path);
        return [makeFailedRecord(identity(item), { code: fe.fileCode, message: fe.message, stage: fe.stage })];
      });
    },
    async dispose() {
      await Promise.allSettled([res.engine.dispose(), res.barcodeReader?.dispose(), res.catalog?.close(), res.cache?.close()]);
    },
  };
}
