/**
 * The `auto` engine: PP-OCR reads the page first; lines it is unsure of are re-read by the fallback engine
 * (Tesseract) on the same crop and the better reading is kept, with `engine` named per line. Bengali has no PP-OCR
 * model offline, so Bengali lines (and every line with `--lang ben`) are read by Tesseract `ben`, on the crops the
 * PP-OCR detector found.
 */
import { performance } from 'node:perf_hooks';
import type { EngineInfo, EngineInit, Lang, OcrEngine, OcrResult, PageImage, Quad, RecognizeOptions } from '../core/types.js';
import { defaults } from '../config/defaults.js';
import { cropQuad, cropToPage, growQuad, quadSize, rotateQuad180 } from './paddle/crop.js';
import { type Segment, mergeRows } from '../layout/index.js';
import { phrases } from './paddle/lines.js';
import { type PaddleAnalysis, PaddleEngine, type PaddleSegment, resolveLayout } from './paddle/engine.js';

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
  seg: Pick<PaddleSegment, 'confidence' | 'foreignRatio'>,
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
  /** The PP-OCR engine to use (tests pass one; default: a new non-Latin-only PaddleEngine). */
  paddle?: PaddleEngine;
}

export class AutoEngine implements OcrEngine {
  readonly name = 'auto';
  private readonly paddle: PaddleEngine;
  private fallback: OcrEngine | null = null;
  private minLineConfidence = defaults.ocr.minLineConfidence;

  /** @param fallbackFactory makes the fallback engine (the registry's `tesseract`). */
  constructor(private readonly fallbackFactory: () => OcrEngine, opts: AutoEngineOptions = {}) {
    this.paddle = opts.paddle ?? new PaddleEngine({ latinOnly: false });
  }

  /** Starts both engines. @throws what either engine's init throws (MissingResourceError, DeviceError …) */
  async init(init: EngineInit): Promise<EngineInfo> {
    const conf = init.settings?.minLineConfidence;
    if (typeof conf === 'number') this.minLineConfidence = conf;
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
    const a = await this.paddle.analyze(page, { ...opts, layout, langs, read: !benOnly });
    if (benOnly) return this.readPhrases(page, a, langs, opts.signal);
    const singleLine = layout === 'line';
    const t = performance.now();
    let reread = 0;
    let replaced = 0;
    const segments: Segment[] = await Promise.all(
      a.segments.map(async (seg): Promise<Segment> => {
        const reason = rereadReason(seg, langs, this.minLineConfidence, singleLine);
        if (!reason) return seg;
        reread++;
        const rereadLangs: Lang[] = reason === 'lang' ? ['ben'] : reason === 'script' ? ['ben', 'eng'] : ['eng'];
        const read = (quad: Quad) => this.readWithFallback(fallback, page, quad, rereadLangs, opts.signal);
        let best = await read(seg.quad);
        let quad = seg.quad;
        if ((reason === 'lang' || reason === 'script') && best.confidence < UNSURE_ORIENTATION) {
          const turned = await read(rotateQuad180(seg.quad));
          if (turned.confidence > best.confidence) {
            best = turned;
            quad = rotateQuad180(seg.quad);
          }
        }
        if (!preferFallback(seg, best, reason)) return seg;
        replaced++;
        return { quad, text: best.text, confidence: best.confidence, engine: fallback.name };
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
  private async readPhrases(page: PageImage, a: PaddleAnalysis, langs: Lang[], signal?: AbortSignal): Promise<OcrResult> {
    const fallback = this.fallback!;
    const t = performance.now();
    const groups = phrases(a.segments.map((s) => s.quad), a.rows);
    const flat = groups.flat();
    const segments = await Promise.all(
      flat.map(async (g): Promise<Segment> => {
        let best = await this.readWithFallback(fallback, page, g.quad, langs, signal);
        let quad = g.quad;
        if (best.confidence < UNSURE_ORIENTATION) {
          const turned = await this.readWithFallback(fallback, page, rotateQuad180(g.quad), langs, signal);
          if (turned.confidence > best.confidence) [best, quad] = [turned, rotateQuad180(g.quad)];
        }
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

  private async readWithFallback(fallback: OcrEngine, page: PageImage, quad: Quad, langs: Lang[], signal?: AbortSignal) {
    const res = await fallback.recognize(rereadCrop(page, quad), { langs, layout: 'line', signal });
    const text = res.lines.map((l) => l.text.trim()).filter(Boolean).join(' ');
    const confidence = res.lines.length ? res.lines.reduce((s, l) => s + l.confidence, 0) / res.lines.length : 0;
    return { text, confidence };
  }

  async dispose(): Promise<void> {
    const fb = this.fallback;
    this.fallback = null;
    await Promise.all([this.paddle.dispose(), fb?.dispose()]);
  }
}

/** The box cut out upright for the fallback, at a height Tesseract reads well, with a little margin. */
export function rereadCrop(page: PageImage, quad: Quad): PageImage {
  const { h } = quadSize(quad);
  const outH = Math.max(REREAD_HEIGHT, Math.min(REREAD_MAX_HEIGHT, Math.round(h * (1 + 2 * REREAD_MARGIN))));
  return cropToPage(cropQuad(page, growQuad(quad, REREAD_MARGIN * h, REREAD_MARGIN * h), outH));
}

/** The registry's `auto`: PP-OCR with `fallbackFactory()` (Tesseract) for unsure and Bengali lines. */
export function createAutoEngine(fallbackFactory: () => OcrEngine): AutoEngine {
  return new AutoEngine(fallbackFactory);
}
