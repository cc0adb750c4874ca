/**
 * The `paddle` OCR engine: PP-OCRv4 detector → per-box crop → 0/180 classifier → PP-OCRv4 recogniser (CTC),
 * boxes grouped into rows in reading order. Runs on onnxruntime-node (session.ts) on the device `ocr/device.ts`
 * picked (never a silent fall back), in a pool of worker threads: onnxruntime-node runs a session synchronously on
 * the calling thread, so workers × intra-op threads ≈ cores is how pages are read in parallel.
 */
import { LINE_IMAGE_MAX_HEIGHT_PX } from '../../core/image.js';
import { countTextBands } from '../../core/ink.js';
import os from 'node:os';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { EngineInfo, EngineInit, OcrEngine, OcrResult, PageImage, ProbeResult, RecognizeOptions } from '../../core/types.js';
import { resolveDevice } from '../device.js';
import { mergeRows } from '../../layout/index.js';
import { readManifest, resolveModels } from './models.js';
import { ReaderPool } from './pool.js';
import { type AnalyseOptions, type PaddleAnalysis, PaddleReader, REC_HEIGHT, type ReaderConfig } from './reader.js';
import { loadOrt, ortVersion } from './session.js';
import { modelPrecision, paddleSettings, sessionThreads } from './settings.js';

export type { PaddleAnalysis, PaddleSegment } from './reader.js';

/** A page this low and this wide is one text line (same rule as the Tesseract engine's PSM choice). */
export const LINE_MAX_HEIGHT_PX = LINE_IMAGE_MAX_HEIGHT_PX;
export const LINE_MIN_ASPECT = 3;

export interface PaddleEngineOptions {
  /** Refuse Bengali at init (the stand-alone `paddle` engine); the auto engine routes Bengali itself. */
  latinOnly?: boolean;
  /**
   * Worker threads; 0 runs inference on the caller's thread. Default: one per core up to the pipeline
   * concurrency on the CPU, one on a GPU.
   */
  workers?: number;
}

/** The layout to read a page with: the caller's, else a line for flat wide images, else a page. */
export function resolveLayout(
  page: { width: number; height: number } & Partial<Pick<PageImage, 'data' | 'channels'>>,
  layout: RecognizeOptions['layout'],
): 'page' | 'line' {
  if (layout) return layout;
  const lineShaped = page.height <= LINE_MAX_HEIGHT_PX && page.width / page.height >= LINE_MIN_ASPECT;
  if (!lineShaped) return 'page';
  // Shape alone takes a short two-line label (534×137) for one line; with pixels, require exactly one text band.
  if (page.data && page.channels) {
    return countTextBands({ data: page.data, width: page.width, height: page.height, channels: page.channels }, 2) === 1 ? 'line' : 'page';
  }
  return 'line';
}

export class PaddleEngine implements OcrEngine {
  readonly name = 'paddle';
  private reader: PaddleReader | null = null;
  private pool: ReaderPool | null = null;
  private info: EngineInfo | null = null;
  /** Worker threads and intra-op threads per session, once started. */
  runtime = { workers: 0, threads: 0 };

  constructor(private readonly opts: PaddleEngineOptions = { latinOnly: true }) {}

  /**
   * Verifies the models against the manifest, picks the device and opens (and warms up) the sessions.
   * @throws UsageError for Bengali on the stand-alone engine · ConfigError · MissingResourceError · DeviceError
   */
  async init(init: EngineInit): Promise<EngineInfo> {
    if (this.info) return this.info;
    if (this.opts.latinOnly && init.langs.includes('ben')) {
      throw new UsageError('Engine paddle reads Latin script only (no Bengali PP-OCR model is available offline)', {
        hint: 'Use --engine auto (Bengali lines go to Tesseract ben) or --engine tesseract with --lang ben.',
      });
    }
    const settings = paddleSettings(init.settings);
    if (settings.rec.imageHeight !== REC_HEIGHT) {
      throw new ConfigError(
        'ocr.paddle.rec.imageHeight',
        `Expected ${REC_HEIGHT} for ocr.paddle.rec.imageHeight (the PP-OCRv4 recogniser's fixed input height), got ${settings.rec.imageHeight} (number)`,
      );
    }
    await loadOrt();
    const floatModels = await resolveModels();
    const decision = await resolveDevice(init.device, floatModels.cls.path);
    const precision = modelPrecision(settings.precision, decision.device, readManifest().cpuDefault ?? 'fp32');
    const models = precision === 'fp32' ? floatModels : await resolveModels(undefined, precision);
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const workers = this.opts.workers ?? (settings.workers > 0 ? settings.workers : decision.device === 'cpu' ? Math.max(1, Math.min(init.concurrency, cores)) : 1);
    const threads = sessionThreads(init.threads, Math.max(1, workers), cores);
    const cfg: ReaderConfig = { models, device: decision.device, threads, settings };
    if (workers > 0) this.pool = await ReaderPool.open(cfg, workers);
    else this.reader = await PaddleReader.open(cfg);
    this.runtime = { workers, threads };
    this.info = {
      name: this.name,
      device: decision.device,
      models: [models.det.name, ...(settings.cls.enabled ? [models.cls.name] : []), models.rec.name],
      version: `onnxruntime-node ${ortVersion()}`,
      languages: ['eng'],
    };
    return this.info;
  }

  private analyse(page: PageImage, opts: AnalyseOptions, signal?: AbortSignal): Promise<PaddleAnalysis> {
    if (this.pool) return this.pool.analyse(page, opts, signal);
    if (this.reader) return this.reader.analyse(page, opts, signal);
    return Promise.reject(new Error('PaddleEngine used before init()'));
  }

  /**
   * Finds, orients and reads every text box of a page: `lines` are the rows of boxes joined in reading order,
   * `regions` the boxes themselves (with the script signal the auto engine routes Bengali by). With `detectOnly` the
   * boxes are found and ordered but not read (no classifier, no recogniser).
   */
  async recognize(page: PageImage, opts: RecognizeOptions): Promise<OcrResult> {
    const a = await this.analyse(page, { langs: opts.langs, layout: resolveLayout(page, opts.layout), read: !opts.detectOnly }, opts.signal);
    return {
      lines: opts.detectOnly ? [] : mergeRows(a.segments, a.rows, a.blocks),
      rotation: a.rotation,
      timingsMs: a.timingsMs,
      regions: { segments: a.segments, rows: a.rows, blocks: a.blocks },
    };
  }

  /** `zakocr doctor`: runtime, models, device and a timed sample read (see probe.ts). */
  async probe(opts: Omit<EngineInit, 'concurrency'>): Promise<ProbeResult[]> {
    const { probePaddle } = await import('./probe.js');
    return probePaddle(opts);
  }

  async dispose(): Promise<void> {
    const { pool, reader } = this;
    this.pool = null;
    this.reader = null;
    this.info = null;
    await Promise.all([pool?.dispose(), reader?.dispose()]);
  }
}

/** The stand-alone `paddle` engine (Latin script only). */
export function createPaddleEngine(): PaddleEngine {
  return new PaddleEngine({ latinOnly: true });
}
