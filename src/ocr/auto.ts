/**
 * The `auto` engine: PP-OCR reads the page first; lines it is unsure of are re-read by the fallback engine
 * (Tesseract) on the same crop and the better reading is kept, with `engine` named per line. Bengali has no PP-OCR
 * model offline, so Bengali lines (and every line with `--lang ben`) are read by Tesseract `ben`, on the crops the
 * PP-OCR detector found.
 */
import { performance } from 'node:perf_hooks';
import type { EngineInfo, EngineInit, Lang, OcrEngine, OcrResult, PageImage, Quad, RecognizeOptions, TextRegion } from '../core/types.js';
import { defaults } from '../config/defaults.js';
import { quadSize } from '../core/geometry.js';
import { cropQuad, cropToPage, growQuad, rotateQuad180 } from './paddle/crop.js';
import { type Segment, mergeRows } from '../layout/index.js';
import { phrases } from './paddle/lines.js';
import { resolveLayout } from './paddle/engine.js';
import { type Turn, rereadSettled } from './line-orientation.js';
import { combineReadings } from './combine.js';

/** Least crop height (pixels) the fallback sees: Tesseract's LSTM reads best around 30-40 px glyph rows. */
export const REREAD_HEIGHT = 64;
/**
 * Most crop height: a taller box keeps its own pixels up to here instead of being shrunk to 64 px (Bengali lines on
 * 300-dpi pages: CER 0.93 % → 0.79 %; UW-III lines: one character worse over 50 lines; SROIE unchanged).
 */
export const REREAD_MAX_HEIGHT = 96;
/** Crop margin for the fallback on every side, in shares of the box height (Bengali vowel signs reach above the headline). */
export const REREAD_MARGIN = 0.15;
/** Share of characters the unrestricted recogniser read outside Latin script that marks a line as foreign script. */
export const FOREIGN_SCRIPT_RATIO = 0.3;
/**
 * A Bengali re-read under this confidence is also tried turned by 180°: PP-OCR's angle classifier never saw
 * Bengali, so the orientation of those crops is not known.
 */
export const UNSURE_ORIENTATION = 0.5;

/**
 * Why a line goes to the fallback: Bengali (`lang`, `script`), PP-OCR unsure of it (`low_confidence`), or the page
 * is a single text line (`second_opinion`: one extra Tesseract call buys a second reading, and on clean scanned
 * print Tesseract is the stronger reader — measured on UW-III lines).
 */
export type RereadReason = 'low_confidence' | 'second_opinion' | 'script' | 'lang';

/** Why a PP-OCR line should be re-read by the fallback, or null to keep it. Pure. */
export function rereadReason(
  seg: Pick<TextRegion, 'confidence' | 'foreignRatio'>,
  langs: readonly Lang[],
  minLineConfidence: number,
  singleLine = false,
): RereadReason | null {
  if (langs.includes('ben') && !langs.includes('eng')) return 'lang';
  if (langs.includes('ben') && seg.foreignRatio >= FOREIGN_SCRIPT_RATIO) return 'script';
  if (seg.confidence < minLineConfidence) return 'low_confidence';
  if (singleLine) return 'second_opinion';
  return null;
}

/**
 * How sure PP-OCR is of a line, for comparing with another engine: its weakest character. The mean of the
 * character probabilities (the line's reported confidence) stays high on a line with one wrong letter; the
 * weakest character does not.
 */
export function paddleCertainty(seg: { confidence: number; charConfidences?: number[] }): number {
  return seg.charConfidences?.length ? Math.min(...seg.charConfidences) : seg.confidence;
}

/** Whether the fallback's reading replaces PP-OCR's. Pure. */
export function preferFallback(
  paddle: { text: string; confidence: number; charConfidences?: number[] },
  fallback: { text: string; confidence: number },
  reason: RereadReason,
): boolean {
  if (reason === 'lang') return fallback.text.trim() !== '' || paddle.text.trim() === '';
  if (fallback.text.trim() === '') return false;
  if (paddle.text.trim() === '') return true;
  return fallback.confidence > paddleCertainty(paddle);
}

export interface AutoEngineOptions {
  /**
   * The engine that finds the lines and reads them first: PP-OCR, not Latin-only. It must report `regions` (the boxes
   * and their reading order) and honour `detectOnly`.
   */
  paddle: OcrEngine;
}

/** The primary engine's reading of a page: its boxes, their reading order, the page rotation and stage times. */
interface PrimaryReading {
  segments: TextRegion[];
  rows: number[][];
  blocks?: number[];
  rotation: number;
  timingsMs: Record<string, number>;
}

export class AutoEngine implements OcrEngine {
  readonly name = 'auto';
  private readonly paddle: OcrEngine;
  private fallback: OcrEngine | null = null;
  private minLineConfidence = defaults.ocr.minLineConfidence;

  /** @param fallbackFactory makes the fallback engine (the registry's `tesseract`). */
  constructor(private readonly fallbackFactory: () => OcrEngine, opts: AutoEngineOptions) {
    this.paddle = opts.paddle;
  }

  /** Starts both engines. @throws what either engine's init throws (MissingResourceError, DeviceError …) */
  async init(init: EngineInit): Promise<EngineInfo> {
    this.minLineConfidence = init.settings.minLineConfidence ?? defaults.ocr.minLineConfidence;
    const paddle = await this.paddle.init(init);
    this.fallback = this.fallbackFactory();
    let fb: EngineInfo;
    try {
      fb = await this.fallback.init(init);
    } catch (err) {
      await this.paddle.dispose();
      throw err;
    }
    return {
      name: this.name,
      device: paddle.device,
      models: [...paddle.models, ...fb.models],
      version: `${paddle.version}; ${fb.name} ${fb.version}`,
      languages: [...new Set<Lang>([...paddle.languages, ...fb.languages])],
    };
  }

  async recognize(page: PageImage, opts: RecognizeOptions): Promise<OcrResult> {
    const fallback = this.fallback;
    if (!fallback) throw new Error('AutoEngine.recognize called before init()');
    const langs = opts.langs.length ? opts.langs : (['eng'] as Lang[]);
    // Bengali only: PP-OCR finds the lines, Tesseract reads them all (its recogniser would only guess).
    const benOnly = langs.includes('ben') && !langs.includes('eng');
    const layout = resolveLayout(page, opts.layout);
    const a = await this.readWithPrimary(page, { ...opts, layout, langs, detectOnly: benOnly });
    if (benOnly) return this.readPhrases(page, a, langs, opts.signal);
    // A page whose detector found one box is a single line too (a short word upscaled past the line-image height).
    const singleLine = layout === 'line' || a.segments.length === 1;
    const t = performance.now();
    let reread = 0;
    let replaced = 0;
    const segments: Segment[] = await Promise.all(
      a.segments.map(async (seg): Promise<Segment> => {
        const reason = rereadReason(seg, langs, this.minLineConfidence, singleLine);
        if (!reason) return seg;
        reread++;
        const rereadLangs: Lang[] = reason === 'lang' ? ['ben'] : reason === 'script' ? ['ben', 'eng'] : ['eng'];
        const turnQuad = (turn: Turn): Quad => (turn === 0 ? seg.quad : rotateQuad180(seg.quad));
        // The line's orientation is settled (line-orientation.ts): a single line PP-OCR was unsure of, and a Bengali
        // reading that is unsure, are read both ways; the turned reading needs strong evidence to win.
        const bothWays = (first: { confidence: number }) => (reason === 'second_opinion'
          ? !(seg.orientation?.decision.strong ?? false)
          : (reason === 'lang' || reason === 'script') && first.confidence < UNSURE_ORIENTATION);
        const r = await rereadSettled(seg, fallback.name, (turn) => this.readWithFallback(fallback, page, turnQuad(turn), rereadLangs, opts.signal), bothWays);
        const own = r.own ?? { text: '', confidence: 0 };
        const fallbackWins = preferFallback(own, r.reading, reason);
        if (fallbackWins) replaced++;
        // A second opinion is combined character by character with the reading it is compared with.
        const [base, other] = fallbackWins ? [r.reading, own] : [own, r.reading];
        const text = reason === 'second_opinion' ? combineReadings(base, other, { spaces: fallbackWins ? 'base' : 'other' }) : base;
        return {
          quad: turnQuad(r.turn), text: text.text, confidence: text.confidence, engine: fallbackWins ? fallback.name : 'paddle',
          ...(text.charConfidences ? { charConfidences: text.charConfidences } : {}),
        };
      }),
    );
    return {
      lines: mergeRows(segments, a.rows, a.blocks),
      rotation: a.rotation,
      timingsMs: { ...a.timingsMs, reread: Math.round(performance.now() - t), rereadLines: reread, replacedLines: replaced },
    };
  }

  /**
   * Bengali only: each row's neighbouring boxes become one phrase crop read by the fallback (the DB detector,
   * trained without Bengali, splits its words; Tesseract reads a whole phrase better than its pieces).
   */
  private async readPhrases(page: PageImage, a: PrimaryReading, langs: Lang[], signal?: AbortSignal): Promise<OcrResult> {
    const fallback = this.fallback!;
    const t = performance.now();
    const groups = phrases(a.segments.map((s) => s.quad), a.rows);
    const flat = groups.flat();
    const segments = await Promise.all(
      flat.map(async (g): Promise<Segment> => {
        const turnQuad = (turn: Turn): Quad => (turn === 0 ? g.quad : rotateQuad180(g.quad));
        const r = await rereadSettled({ text: '', confidence: 0 }, fallback.name, (turn) => this.readWithFallback(fallback, page, turnQuad(turn), langs, signal),
          (first) => first.confidence < UNSURE_ORIENTATION);
        const [best, quad] = [r.reading, turnQuad(r.turn)];
        return { quad, text: best.text, confidence: best.confidence, engine: fallback.name };
      }),
    );
    let next = 0;
    const rows = groups.map((row) => row.map(() => next++));
    const reread = flat.length;
    return {
      lines: mergeRows(segments, rows, a.blocks),
      rotation: a.rotation,
      timingsMs: { ...a.timingsMs, reread: Math.round(performance.now() - t), rereadLines: reread, replacedLines: reread },
    };
  }

  private async readWithPrimary(page: PageImage, opts: RecognizeOptions): Promise<PrimaryReading> {
    const res = await this.paddle.recognize(page, opts);
    if (!res.regions) throw new Error(`engine auto: its primary engine ${this.paddle.name} reports no text regions`);
    return { ...res.regions, rotation: res.rotation ?? 0, timingsMs: res.timingsMs ?? {} };
  }

  private async readWithFallback(fallback: OcrEngine, page: PageImage, quad: Quad, langs: Lang[], signal?: AbortSignal) {
    const res = await fallback.recognize(rereadCrop(page, quad), { langs, layout: 'line', signal });
    const lines = res.lines.filter((l) => l.text.trim() !== '');
    const text = lines.map((l) => l.text.trim()).join(' ');
    const confidence = res.lines.length ? res.lines.reduce((s, l) => s + l.confidence, 0) / res.lines.length : 0;
    const chars = lines.every((l) => l.charConfidences?.length === l.text.trim().length && l.text === l.text.trim())
      ? lines.flatMap((l, i) => [...(i > 0 ? [Math.min(l.confidence, lines[i - 1].confidence)] : []), ...l.charConfidences!])
      : undefined;
    return { text, confidence, ...(chars?.length === text.length ? { charConfidences: chars } : {}) };
  }

  async dispose(): Promise<void> {
    const fb = this.fallback;
    this.fallback = null;
    await Promise.all([this.paddle.dispose(), fb?.dispose()]);
  }
}

/** The box cut out upright for the fallback, at a height Tesseract reads well, with a little margin. */
export function rereadCrop(page: PageImage, quad: Quad): PageImage {
  const { height: h } = quadSize(quad);
  const outH = Math.max(REREAD_HEIGHT, Math.min(REREAD_MAX_HEIGHT, Math.round(h * (1 + 2 * REREAD_MARGIN))));
  return cropToPage(cropQuad(page, growQuad(quad, REREAD_MARGIN * h, REREAD_MARGIN * h), outH));
}

/** The registry's `auto`: `primary` (PP-OCR) with `fallbackFactory()` (Tesseract) for unsure and Bengali lines. */
export function createAutoEngine(primary: OcrEngine, fallbackFactory: () => OcrEngine): AutoEngine {
  return new AutoEngine(fallbackFactory, { paddle: primary });
}
