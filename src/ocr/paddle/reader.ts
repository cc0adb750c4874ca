/**
 * One PP-OCR reader: the three sessions plus the page analysis (detect → crop → orient → recognise → order).
 * Lives in whichever thread runs inference (a pool worker, or the caller's thread when the pool is off);
 * its configuration is plain data so it can be sent to a worker.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Lang, PageImage, Quad } from '../../core/types.js';
import { CLS_BATCH, CLS_HEIGHT, CLS_WIDTH, type Orientation, classifyPage, orientLines } from './cls.js';
import { quadSize } from '../../core/geometry.js';
import { upperMedian } from '../../core/stats.js';
import { type SettledOrientation, decideOrientation, settleBothWays } from '../line-orientation.js';
import { type Crop, cropQuad, rotate180, rotateQuad180 } from './crop.js';
import { type Charset, allowedMask, isLatinTextChar, parseCharset } from './ctc.js';
import { boxesToPage, prepareDetInput } from './det.js';
import { dbPostprocess } from './det-post.js';
import type { Segment } from '../../layout/index.js';
import { inkBounds } from '../../core/ink.js';
import type { ModelRole, ResolvedModel } from './models.js';
import { layoutSegments, readingOrder } from '../../layout/index.js';
import { recognizeCrops } from './rec.js';
import type { ModelSession, SessionDevice } from './session.js';
import { acquireSession, releaseSession } from './sessions.js';
import type { PaddleSettings } from './settings.js';

/** The recogniser's fixed input height (models/manifest.json: rec input [N, 3, 48, W]). */
export const REC_HEIGHT = 48;
/** Frame around the page in detector pixels: text touching the image edge is still found. */
export const DET_MARGIN = 16;
/** Boxes whose shorter side is under this many page pixels hold no readable text. */
export const MIN_BOX_PX = 5;
/** Narrowest recogniser input: shorter crops are right-padded so the model has a few characters' room. */
export const REC_MIN_WIDTH = 64;
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
  /** How its orientation was settled (relative to `quad`), for a re-read by another engine to add evidence to. */
  orientation?: SettledOrientation;
}

export interface PaddleAnalysis {
  segments: PaddleSegment[];
  /** Reading order: rows of indexes into `segments`, block by block (see `readingOrder`). */
  rows: number[][];
  /** Layout block of each row. */
  blocks: number[];
  rotation: 0 | 180;
  timingsMs: { det: number; crop: number; cls: number; rec: number };
}

/** What to do with a page. */
export interface AnalyseOptions {
  langs: Lang[];
  layout?: 'page' | 'line';
  /**
   * false: find and order the boxes only (no classifier, no recogniser); segments come back with empty text.
   * For scripts PP-OCR cannot read (Bengali), whose crops another engine reads. Default true.
   */
  read?: boolean;
}

/** Everything a reader needs, as plain (structured-clonable) data. */
export interface ReaderConfig {
  models: Record<ModelRole, ResolvedModel>;
  device: SessionDevice;
  threads: number;
  settings: PaddleSettings;
}

const ms = (t: number) => Math.round((performance.now() - t) * 10) / 10;

/** The shorter side of a box: its line height, whatever its direction. */
function shorterSide(q: Quad): number {
  const { width, height } = quadSize(q);
  return Math.min(width, height);
}

/**
 * Corners relabelled so TL→TR runs along the text. A box clearly taller than wide AND taller than a normal line
 * is vertical text, turned to read left to right (a lone "1" is tall and narrow too, but short).
 */
export function uprightQuad(q: Quad, typicalLineHeight: number): Quad {
  const { width: w, height: h } = quadSize(q);
  const tall = h >= VERTICAL_RATIO * w && h > 2 * typicalLineHeight;
  return tall ? [q[3], q[0], q[1], q[2]] : q;
}

export class PaddleReader {
  private constructor(
    private readonly cfg: ReaderConfig,
    private sessions: { det: ModelSession; cls: ModelSession; rec: ModelSession } | null,
    private readonly charset: Charset,
    private readonly latin: Uint8Array,
  ) {}

  /** Opens (or shares) and warms up the three sessions. */
  static async open(cfg: ReaderConfig): Promise<PaddleReader> {
    const { models, device, threads } = cfg;
    const open = (role: 'det' | 'cls' | 'rec', warm: (s: ModelSession) => Promise<unknown>) =>
      acquireSession(models[role].path, models[role].name, device, threads, warm);
    // Warm-up at small shapes only: the first run of a session builds its kernels (that cost leaves the first file).
    // Not at the largest shapes a page can bring: the memory arena never shrinks, and a 960² detector run sized it
    // for receipts in every worker even on a run of small labels (200 labels: peak RSS 777 → see bench/RESULTS.md
    // ## throughput: pipeline levers). The arena still grows to the largest page a run meets, no further.
    const [det, cls, rec] = await Promise.all([
      open('det', (s) => s.run(new Float32Array(3 * 64 * 64), [1, 3, 64, 64])),
      open('cls', (s) => s.run(new Float32Array(CLS_BATCH * 3 * CLS_HEIGHT * CLS_WIDTH), [CLS_BATCH, 3, CLS_HEIGHT, CLS_WIDTH])),
      open('rec', (s) => s.run(new Float32Array(3 * REC_HEIGHT * 320), [1, 3, REC_HEIGHT, 320])),
    ]);
    const charset = parseCharset(readFileSync(models.dict.path, 'utf8'));
    return new PaddleReader(cfg, { det, cls, rec }, charset, allowedMask(charset, isLatinTextChar));
  }

  /**
   * Finds, orients and reads every text box of a page; boxes in page pixels, rows in reading order.
   * @param signal checked between model runs (a run itself cannot be interrupted): an aborted read stops there.
   */
  async analyse(page: PageImage, opts: AnalyseOptions, signal?: AbortSignal): Promise<PaddleAnalysis> {
    if (!this.sessions) throw new Error('PaddleReader used after dispose()');
    signal?.throwIfAborted();
    const { det, cls, rec } = this.sessions;
    const s = this.cfg.settings;
    let t = performance.now();
    let found: { quad: Quad; score: number }[];
    if (opts.layout === 'line') {
      // The recogniser is trained on tight crops: a line image's own margins (a rendered or photographed label)
      // drop or garble characters, so the line is read from the ink's box.
      const [x, y, w, h] = inkBounds(page) ?? [0, 0, page.width, page.height];
      found = [{ quad: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 1 }];
    } else {
      const input = await prepareDetInput(page, s.det.maxSide, DET_MARGIN);
      const out = await det.run(input.data, input.dims);
      const [, , H, W] = out.dims;
      const boxes = dbPostprocess(out.data, W, H, s.det);
      found = boxesToPage(boxes, input, page).filter((b) => shorterSide(b.quad) >= MIN_BOX_PX);
    }
    const timings = { det: ms(t), crop: 0, cls: 0, rec: 0 };
    signal?.throwIfAborted();
    if (opts.read === false) {
      const segments = found.map((b): PaddleSegment => ({
        quad: b.quad, text: '', confidence: 0, engine: 'paddle', detScore: b.score, foreignRatio: 0, flipped: false,
      }));
      return { segments, ...readingOrder(found.map((b) => b.quad)), rotation: 0, timingsMs: timings };
    }

    t = performance.now();
    const lineH = upperMedian(found.map((b) => shorterSide(b.quad)));
    let quads = found.map((b) => uprightQuad(b.quad, lineH));
    const crops: Crop[] = quads.map((q) => cropQuad(page, q, REC_HEIGHT));
    timings.crop = ms(t);

    t = performance.now();
    // The page's orientation comes from the lines the classifier is sure of; a line that does not confidently
    // agree is read both ways and its orientation settled from all evidence (line-orientation.ts): the small
    // classifier errs on faint and short lines, so it never turns a line on its own say-so. A line image is always
    // read both ways: it has no other lines to vouch for its orientation.
    let upside = false;
    let disagree = quads.map(() => opts.layout === 'line');
    let orients: (Orientation | undefined)[] = [];
    let sureLines = 0;
    if (s.cls.enabled && crops.length) {
      orients = await classifyPage(cls, crops, s.cls.thresh);
      const o = orientLines(orients, s.cls.thresh);
      upside = o.upsideDown;
      disagree = o.unsure.map((u, i) => u || disagree[i]);
      sureLines = orients.filter((x) => x && (upside ? x.p180 : 1 - x.p180) >= s.cls.thresh).length;
    }
    const rotation: 0 | 180 = upside ? 180 : 0;
    const primary = upside ? crops.map(rotate180) : crops;
    const alternates = primary.flatMap((c, i) => (disagree[i] ? [rotate180(c)] : []));
    /** Evidence before reading, relative to the primary crop: its classifier vote and the page's other sure lines. */
    const prior = (i: number) => {
      const p = orients[i]?.p180;
      const own = p !== undefined && (upside ? p : 1 - p) >= s.cls.thresh ? 1 : 0;
      return { ...(p !== undefined ? { p180: upside ? 1 - p : p } : {}), page: -Math.min(1, (sureLines - own) / 3) };
    };
    timings.cls = ms(t);

    signal?.throwIfAborted();
    t = performance.now();
    const latinOnly = !opts.langs.includes('ben') || opts.langs.includes('eng');
    const all = await recognizeCrops(rec, [...primary, ...alternates], {
      batchSize: s.rec.batchSize,
      maxWidth: s.rec.maxWidth,
      minWidth: REC_MIN_WIDTH,
      charset: this.charset,
      allowed: latinOnly ? this.latin : undefined,
      spaceThreshold: s.rec.spaceThreshold,
      signal,
    });
    const flipped = quads.map(() => upside);
    const read = all.slice(0, primary.length);
    const settled: SettledOrientation[] = read.map((r, i) => {
      const evidence = { ...prior(i), readings: [{ engine: 'paddle', turn: 0 as const, text: r.text, confidence: r.confidence }] };
      return { evidence, decision: decideOrientation(evidence) };
    });
    let k = primary.length;
    disagree.forEach((d, i) => {
      if (!d) return;
      const both = settleBothWays('paddle', read[i], all[k++], prior(i));
      if (both.keepTurned) {
        read[i] = both.kept;
        flipped[i] = !upside;
      }
      settled[i] = both.orientation;
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
      orientation: settled[i],
    }));
    // Order as the reader sees the page: on an upside-down page, in the page turned by 180°.
    const view = rotation === 180 ? quads.map((q) => q.map(([x, y]) => [page.width - x, page.height - y]) as Quad) : quads;
    return { ...orderReadBoxes(view, segments, rotation === 0), rotation, timingsMs: timings };
  }

  async dispose(): Promise<void> {
    const sessions = this.sessions;
    this.sessions = null;
    if (!sessions) return;
    const { models, threads } = this.cfg;
    await Promise.all((['det', 'cls', 'rec'] as const).map((r) => releaseSession(sessions[r], models[r].path, threads)));
  }
}

/**
 * Reading order of the boxes that hold text: boxes the recogniser read as empty (specks, rules) are left out of
 * the layout, where one in a column gutter would join the columns. On an upright page a box the detector ran
 * across a column gutter is split at its word gap (`layoutSegments`).
 */
function orderReadBoxes(view: readonly Quad[], segments: readonly PaddleSegment[], upright: boolean): Pick<PaddleAnalysis, 'segments' | 'rows' | 'blocks'> {
  const kept = segments.filter((s) => s.text !== '');
  if (upright) return layoutSegments(kept);
  const order = readingOrder(segments.flatMap((s, i) => (s.text !== '' ? [view[i]] : [])));
  return { segments: kept, ...order };
}
