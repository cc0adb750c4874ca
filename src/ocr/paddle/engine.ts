/**
 * The `paddle` OCR engine: PP-OCRv4 detector → per-box crop → 0/180 classifier → PP-OCRv4 recogniser (CTC),
 * boxes grouped into rows in reading order. Runs on onnxruntime-node (see session.ts), one session per model per
 * process, on the device `ocr/device.ts` picked (never a silent fall back).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { EngineInfo, EngineInit, OcrEngine, OcrResult, PageImage, Quad, RecognizeOptions } from '../../core/types.js';
import { resolveDevice } from '../device.js';
import { CLS_HEIGHT, CLS_WIDTH, classifyOrientation, pageUpsideDown } from './cls.js';
import { type Crop, cropQuad, quadSize, rotate180, rotateQuad180 } from './crop.js';
import { type Charset, allowedMask, isLatinTextChar, parseCharset } from './ctc.js';
import { boxesToPage, prepareDetInput } from './det.js';
import { dbPostprocess } from './det-post.js';
import { type Segment, mergeRows } from './lines.js';
import { type ModelRole, type ResolvedModel, resolveModels } from './models.js';
import { orderIntoRows } from './order.js';
import { recognizeCrops } from './rec.js';
import { type ModelSession, ortVersion } from './session.js';
import { acquireSession, releaseSession } from './sessions.js';
import { type PaddleSettings, paddleSettings, sessionThreads } from './settings.js';

/** The recogniser's fixed input height (models/manifest.json: rec input [N, 3, 48, W]). */
export const REC_HEIGHT = 48;
/** Frame around the page in detector pixels: text touching the image edge is still found. */
export const DET_MARGIN = 16;
/** Boxes whose shorter side is under this many page pixels hold no readable text. */
export const MIN_BOX_PX = 5;
/** Narrowest recogniser input: the model saw at least this much room in training (shorter crops are padded). */
export const REC_MIN_WIDTH = 64;
/** Space-class probability at a blank gap that makes it a word space (measured on SROIE: 0.02 best of 0.005-0.3). */
export const SPACE_THRESHOLD = 0.02;
/** A box this much taller than wide, and tall for the page, is vertical text: turned before reading. */
const VERTICAL_RATIO = 1.5;

/** One recognised box with what the auto engine needs to judge it. */
export interface PaddleSegment extends Segment {
  /** Mean detector probability inside the box. */
  detScore: number;
  /** Share of characters the unrestricted model read outside the language's script (a script signal). */
  foreignRatio: number;
  /** The line was turned by 180° before reading. */
  flipped: boolean;
}

export interface PaddleAnalysis {
  segments: PaddleSegment[];
  /** Reading order: rows of indexes into `segments`. */
  rows: number[][];
  rotation: 0 | 180;
  timingsMs: { det: number; crop: number; cls: number; rec: number };
}

export interface PaddleEngineOptions {
  /** Refuse Bengali at init (the stand-alone `paddle` engine); the auto engine routes Bengali itself. */
  latinOnly?: boolean;
}

const ms = (t: number) => Math.round((performance.now() - t) * 10) / 10;

export class PaddleEngine implements OcrEngine {
  readonly name = 'paddle';
  private sessions: Partial<Record<'det' | 'cls' | 'rec', ModelSession>> = {};
  private models: Record<ModelRole, ResolvedModel> | null = null;
  private threads = 1;
  private charset: Charset | null = null;
  private latin: Uint8Array | null = null;
  private settings: PaddleSettings = paddleSettings(undefined);
  private info: EngineInfo | null = null;

  constructor(private readonly opts: PaddleEngineOptions = { latinOnly: true }) {}

  /**
   * Verifies the models against the manifest, picks the device and opens (and warms up) the three sessions.
   * @throws UsageError for Bengali on the stand-alone engine · ConfigError · MissingResourceError · DeviceError
   */
  async init(init: EngineInit): Promise<EngineInfo> {
    if (this.info) return this.info;
    if (this.opts.latinOnly && init.langs.includes('ben')) {
      throw new UsageError('Engine paddle reads Latin script only (no Bengali PP-OCR model is available offline)', {
        hint: 'Use --engine auto (Bengali lines go to Tesseract ben) or --engine tesseract with --lang ben.',
      });
    }
    this.settings = paddleSettings(init.settings);
    if (this.settings.rec.imageHeight !== REC_HEIGHT) {
      throw new ConfigError(
        'ocr.paddle.rec.imageHeight',
        `Expected ${REC_HEIGHT} for ocr.paddle.rec.imageHeight (the PP-OCRv4 recogniser's fixed input height), got ${this.settings.rec.imageHeight} (number)`,
      );
    }
    const models = await resolveModels();
    const decision = await resolveDevice(init.device, models.cls.path);
    this.threads = sessionThreads(init.threads, init.concurrency, os.availableParallelism?.() ?? os.cpus().length);
    const open = (role: 'det' | 'cls' | 'rec', warm: (s: ModelSession) => Promise<unknown>) =>
      acquireSession(models[role].path, models[role].name, decision.device, this.threads, warm);
    const [det, cls, rec] = await Promise.all([
      open('det', (s) => s.run(new Float32Array(3 * 64 * 64), [1, 3, 64, 64])),
      open('cls', (s) => s.run(new Float32Array(3 * CLS_HEIGHT * CLS_WIDTH), [1, 3, CLS_HEIGHT, CLS_WIDTH])),
      open('rec', (s) => s.run(new Float32Array(3 * REC_HEIGHT * 320), [1, 3, REC_HEIGHT, 320])),
    ]);
    this.sessions = { det, cls, rec };
    this.models = models;
    this.charset = parseCharset(readFileSync(models.dict.path, 'utf8'));
    this.latin = allowedMask(this.charset, isLatinTextChar);
    this.info = {
      name: this.name,
      device: decision.device,
      models: [models.det.name, ...(this.settings.cls.enabled ? [models.cls.name] : []), models.rec.name],
      version: `onnxruntime-node ${ortVersion()}`,
      languages: ['eng'],
    };
    return this.info;
  }

  /** Threads per session and the device, for reports. */
  get runtime(): { threads: number; device: string } {
    return { threads: this.threads, device: this.info?.device ?? 'none' };
  }

  /** Finds, orients and reads every text box of a page; boxes in page pixels, rows in reading order. */
  async analyze(page: PageImage, opts: RecognizeOptions): Promise<PaddleAnalysis> {
    const { det, cls, rec } = this.sessions;
    if (!det || !cls || !rec || !this.charset) throw new Error('PaddleEngine.recognize called before init()');
    const s = this.settings;
    let t = performance.now();
    let found: { quad: Quad; score: number }[];
    if (opts.layout === 'line') {
      found = [{ quad: [[0, 0], [page.width, 0], [page.width, page.height], [0, page.height]], score: 1 }];
    } else {
      const input = await prepareDetInput(page, s.det.maxSide, DET_MARGIN);
      const out = await det.run(input.data, input.dims);
      const [, , H, W] = out.dims;
      const boxes = dbPostprocess(out.data, W, H, s.det);
      found = boxesToPage(boxes, input, page).filter((b) => Math.min(quadSize(b.quad).w, quadSize(b.quad).h) >= MIN_BOX_PX);
    }
    const timings = { det: ms(t), crop: 0, cls: 0, rec: 0 };

    t = performance.now();
    const lineH = median(found.map((b) => Math.min(quadSize(b.quad).w, quadSize(b.quad).h)));
    let quads = found.map((b) => uprightQuad(b.quad, lineH));
    const crops: Crop[] = quads.map((q) => cropQuad(page, q, REC_HEIGHT));
    timings.crop = ms(t);

    t = performance.now();
    // The page's orientation comes from the majority of its lines; a line whose classifier score confidently
    // disagrees is read both ways and keeps the reading the recogniser is surer of (the small classifier errs
    // on faint or short lines, so it never flips a line on its own say-so).
    let upside = false;
    let disagree = quads.map(() => false);
    if (s.cls.enabled && crops.length) {
      const orients = await classifyOrientation(cls, crops);
      upside = pageUpsideDown(orients);
      disagree = orients.map((o) => (upside ? 1 - o.p180 : o.p180) >= s.cls.thresh);
    }
    const rotation: 0 | 180 = upside ? 180 : 0;
    const primary = upside ? crops.map(rotate180) : crops;
    const alternates = primary.flatMap((c, i) => (disagree[i] ? [rotate180(c)] : []));
    timings.cls = ms(t);

    t = performance.now();
    const latinOnly = !opts.langs.includes('ben') || opts.langs.includes('eng');
    const all = await recognizeCrops(rec, [...primary, ...alternates], {
      batchSize: s.rec.batchSize,
      maxWidth: s.rec.maxWidth,
      minWidth: REC_MIN_WIDTH,
      charset: this.charset,
      allowed: latinOnly ? this.latin! : undefined,
      spaceThreshold: SPACE_THRESHOLD,
    });
    const flipped = quads.map(() => upside);
    const read = all.slice(0, primary.length);
    let k = primary.length;
    disagree.forEach((d, i) => {
      if (!d) return;
      const alt = all[k++];
      if (alt.confidence > read[i].confidence) {
        read[i] = alt;
        flipped[i] = !upside;
      }
    });
    quads = quads.map((q, i) => (flipped[i] ? rotateQuad180(q) : q));
    timings.rec = ms(t);

    const segments: PaddleSegment[] = read.map((r, i) => ({
      quad: quads[i],
      text: r.text.trim(),
      confidence: r.confidence,
      charConfidences: r.text === r.text.trim() ? r.charConfidences : undefined,
      engine: 'paddle',
      detScore: found[i].score,
      foreignRatio: r.foreignRatio,
      flipped: flipped[i],
    }));
    // Order as the reader sees the page: on an upside-down page, in the page turned by 180°.
    const view = rotation === 180 ? quads.map((q) => q.map(([x, y]) => [page.width - x, page.height - y]) as Quad) : quads;
    return { segments, rows: orderIntoRows(view), rotation, timingsMs: timings };
  }

  /** Recognise every text line of a page (rows of boxes joined in reading order). */
  async recognize(page: PageImage, opts: RecognizeOptions): Promise<OcrResult> {
    const a = await this.analyze(page, opts);
    return { lines: mergeRows(a.segments, a.rows), rotation: a.rotation, timingsMs: a.timingsMs };
  }

  async dispose(): Promise<void> {
    const models = this.models;
    const sessions = this.sessions;
    this.sessions = {};
    this.info = null;
    if (!models) return;
    await Promise.all(
      (['det', 'cls', 'rec'] as const).map((r) => (sessions[r] ? releaseSession(sessions[r]!, models[r].path, this.threads) : undefined)),
    );
  }
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Corners relabelled so TL→TR runs along the text. DB boxes come with TL→TR along their longer side; a box that is
 * clearly taller than wide AND taller than a normal line is vertical text (turned so it reads left to right).
 */
export function uprightQuad(q: Quad, typicalLineHeight: number): Quad {
  const { w, h } = quadSize(q);
  const tall = h >= VERTICAL_RATIO * w && h > 2 * typicalLineHeight;
  // Turning the reading direction by 90° clockwise: the old BL becomes the new TL.
  return tall ? [q[3], q[0], q[1], q[2]] : q;
}

/** The stand-alone `paddle` engine (Latin script only). */
export function createPaddleEngine(): PaddleEngine {
  return new PaddleEngine({ latinOnly: true });
}
