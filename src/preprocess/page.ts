import sharp, { type Sharp } from 'sharp';
import type { PageImage, Quality } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { FileError, errorMessage } from '../core/errors.js';
import { IDENTITY, applyPoint, compose, invert, type Affine } from '../core/geometry.js';
import { cropToInput, rotationToInput, scaleToInput } from './affine.js';
import { analyseLayout, glyphHeight, type TextLayout } from './layout.js';
import { estimateOrientation, type OrientationEstimate } from './orientation.js';
import { estimateNoise, isTooSmall, measureQuality, scoreQuality, tooSmallQuality, QUALITY_LIMITS, type QualityMetrics } from './quality.js';
import { textRegion, type Rect } from './crop.js';
import type { Gray } from './gray.js';
import { upperMedian } from '../core/stats.js';

export interface PreprocessResult {
  /** The page handed to the OCR engine. */
  page: PageImage;
  quality: Quality | null;
  /** Steps that ran, in order (recorded in `record.preprocess`), e.g. `orientation:90`, `deskew:-7.2`, `crop`. */
  steps: string[];
  /** Maps boxes on `page` back to the original image. */
  toOriginal: Affine;
}

/** CLAHE contrast limit for pages with uneven light (sharp's `maxSlope`): strong enough for shadows, mild on paper grain. */
export const CLAHE_MAX_SLOPE = 3;
/** Longer side of the grey copy every analysis runs on (orientation, skew, crop, quality). */
export const ANALYSIS_MAX_SIDE = 1200;
/** Skews smaller than this are left alone: OCR does not mind, and a resample softens the glyphs. */
export const MIN_DESKEW_DEG = 0.3;
/** Upscaled text ends up about this high, */
export const UPSCALE_TARGET_PX = 24;
/** … by at most this factor, */
export const MAX_UPSCALE = 3;
/** … and never beyond this many pixels. */
export const MAX_UPSCALED_PIXELS = 24_000_000;

type PreprocessOptions = ZakConfig['preprocess'];

interface Analysis {
  gray: Gray;
  /** Analysis pixels per original pixel. */
  scale: number;
  layout: TextLayout;
  metrics: QualityMetrics;
  orientation: OrientationEstimate;
}

function raw(page: PageImage) {
  return { raw: { width: page.width, height: page.height, channels: page.channels } } as const;
}

async function toPage(img: Sharp, like: PageImage): Promise<PageImage> {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4, page: like.page };
}

/** Downscaled grey copy, its glyph layout, quality measurements and orientation estimate. */
async function analyse(page: PageImage): Promise<Analysis> {
  const scale = Math.min(1, ANALYSIS_MAX_SIDE / Math.max(page.width, page.height));
  const w = Math.max(1, Math.round(page.width * scale));
  const h = Math.max(1, Math.round(page.height * scale));
  let img = sharp(page.data, raw(page)).greyscale();
  if (scale < 1) img = img.resize(w, h, { kernel: 'linear', fit: 'fill' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const gray: Gray = { data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height };
  const layout = analyseLayout(gray);
  const orientation = await settleFlip(page, gray, estimateOrientation(layout, gray.width, gray.height));
  const sideways = orientation.rotation === 90 || orientation.rotation === 270;
  const upright = sideways ? { ...layout, textHeight: glyphHeight(layout.comps, layout.glyphs, true) } : layout;
  const region = documentRegion(upright, gray.width, gray.height, sideways);
  const metrics = measureQuality(gray, upright, estimateNoise(centreTile(page)), region ?? undefined);
  return { gray, scale: info.width / page.width, layout, metrics, orientation };
}

/** Above this skew the 0°/180° call is made again on a deskewed copy (box bottoms of tilted glyphs are not a baseline). */
export const FLIP_RECHECK_DEG = 2;

/**
 * Makes the upside-down decision of a strongly skewed page on a levelled analysis copy: the baseline-vs-top-line
 * cue compares glyph box edges, which only line up along the text when the lines are level. The full-resolution
 * page is levelled first and downscaled after, so thin or dotted strokes survive (levelling the small copy
 * resamples them away and made the cue unreliable).
 */
async function settleFlip(page: PageImage, gray: Gray, e: OrientationEstimate): Promise<OrientationEstimate> {
  if (Math.abs(e.skewDeg) < FLIP_RECHECK_DEG || e.glyphs === 0) return e;
  const hist = new Uint32Array(256);
  for (let i = 0; i < gray.data.length; i++) hist[gray.data[i]]++;
  let acc = 0;
  let bg = 255;
  for (let v = 0; v < 256; v++) {
    acc += hist[v];
    if (acc >= gray.data.length / 2) {
      bg = v;
      break;
    }
  }
  const level = await sharp(page.data, raw(page))
    .greyscale()
    .rotate(-e.skewDeg, { background: { r: bg, g: bg, b: bg } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [w, h] = [level.info.width, level.info.height];
  const scale = Math.min(1, ANALYSIS_MAX_SIDE / Math.max(w, h));
  const small = await sharp(level.data, { raw: { width: w, height: h, channels: level.info.channels } })
    .resize(Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale)), { kernel: 'linear', fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const g: Gray = { data: new Uint8Array(small.data.buffer, small.data.byteOffset, small.info.width * small.info.height), width: small.info.width, height: small.info.height };
  const e2 = estimateOrientation(analyseLayout(g), g.width, g.height);
  if (e2.glyphs === 0 || e2.rotation % 180 !== e.rotation % 180) return e;
  return { ...e, rotation: e2.rotation, flipMargin: e2.flipMargin, flipConfident: e2.flipConfident, skewDeg: Math.round((e.skewDeg + e2.skewDeg) * 100) / 100 };
}

/** Side of the full-resolution tile the noise is measured on (noise is a per-pixel property: no downscaling). */
const NOISE_TILE = 512;

function centreTile(page: PageImage): Gray {
  const w = Math.min(NOISE_TILE, page.width);
  const h = Math.min(NOISE_TILE, page.height);
  const x0 = (page.width - w) >> 1;
  const y0 = (page.height - h) >> 1;
  const out = new Uint8Array(w * h);
  const c = page.channels;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const j = ((y0 + y) * page.width + x0 + x) * c;
      out[y * w + x] = c >= 3 ? (page.data[j] * 299 + page.data[j + 1] * 587 + page.data[j + 2] * 114 + 500) / 1000 : page.data[j];
    }
  }
  return { data: out, width: w, height: h };
}

/** The text-bearing region of the analysis copy (whatever the orientation), where quality is measured. */
function documentRegion(layout: TextLayout, width: number, height: number, sideways: boolean): Rect | null {
  const { comps, glyphs } = layout;
  const boxes: Rect[] = [];
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    boxes.push(sideways ? { x0: comps.y0[i], y0: comps.x0[i], x1: comps.y1[i], y1: comps.x1[i] } : { x0: comps.x0[i], y0: comps.y0[i], x1: comps.x1[i], y1: comps.y1[i] });
  }
  const r = sideways ? textRegion(boxes, layout.textHeight, height, width, 0) : textRegion(boxes, layout.textHeight, width, height, 0);
  if (!r) return null;
  return sideways ? { x0: r.y0, y0: r.x0, x1: r.y1, y1: r.x1 } : r;
}

/** Grey level of the paper, for filling the corners a rotation uncovers. */
function paperColour(m: QualityMetrics): { r: number; g: number; b: number } {
  const v = Math.round(Math.min(1, m.paper) * 255);
  return { r: v, g: v, b: v };
}

/**
 * Glyph boxes mapped from analysis pixels into the corrected full-resolution page (`fromOriginal` maps original
 * pixels to corrected ones), plus their median height there.
 */
function glyphsOnCorrected(a: Analysis, fromOriginal: Affine): { boxes: Rect[]; textHeight: number } {
  const { comps, glyphs } = a.layout;
  const boxes: Rect[] = [];
  const heights: number[] = [];
  const s = a.scale;
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    const corners = [
      applyPoint(fromOriginal, comps.x0[i] / s, comps.y0[i] / s),
      applyPoint(fromOriginal, comps.x1[i] / s, comps.y0[i] / s),
      applyPoint(fromOriginal, comps.x1[i] / s, comps.y1[i] / s),
      applyPoint(fromOriginal, comps.x0[i] / s, comps.y1[i] / s),
    ];
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    const b = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    boxes.push(b);
    const bw = b.x1 - b.x0;
    const bh = b.y1 - b.y0;
    if (bh >= 3 / s && bw <= bh * 3 && bh <= bw * 6) heights.push(bh);
  }
  return { boxes, textHeight: upperMedian(heights) };
}

/**
 * Engine-agnostic page clean-up and quality assessment, as small steps that each can be switched off
 * (`preprocess.*`): orientation (0/90/180/270 from text-line geometry), deskew (±20°), crop to the text,
 * contrast normalisation (only for dark, washed-out or low-contrast pages), denoise (median, only when noisy)
 * and upscaling of tiny text. EXIF orientation is applied earlier, at decode. Binarisation is not a step here:
 * it is for the Tesseract path only (`binarizeForTesseract`), so the neural engine keeps its grey levels.
 *
 * Quality is measured on a downscaled grey copy whenever `preprocess.quality` is on (also with `enabled: false`).
 * Pages carrying a PDF text layer are returned unchanged (their text positions are already exact). A page too small
 * to hold text (`isTooSmall`: a side ≤ 8 px) is returned unchanged with quality `too_small`, whatever the options:
 * no step can do anything useful with it, and the caller skips OCR on it.
 * @returns the page for OCR, its quality, the steps that ran and the processed→original pixel map
 * @throws FileError `corrupt_image` when the pixel buffer cannot be processed
 */
export async function preprocessPage(page: PageImage, opts: PreprocessOptions): Promise<PreprocessResult> {
  if (isTooSmall(page)) return { page, quality: tooSmallQuality(page), steps: [], toOriginal: IDENTITY };
  const wantQuality = opts.quality !== false;
  if (!opts.enabled && !wantQuality) return { page, quality: null, steps: [], toOriginal: IDENTITY };
  try {
    const a = await analyse(page);
    const o = a.orientation;
    const quality = wantQuality ? scoreQuality(a.metrics, a.scale, { skewDeg: o.skewDeg, rotation: o.rotation }) : null;
    if (!opts.enabled || page.textLayer) return { page, quality, steps: [], toOriginal: IDENTITY };
    return await correct(page, a, quality, opts);
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw new FileError('corrupt_image', 'preprocess', `Cannot preprocess page: ${errorMessage(err)}`, { cause: err });
  }
}

/** Canvas size of sharp's `rotate(deg)` (bounding box of the turned image, rounded; checked against libvips). */
export function rotatedSize(width: number, height: number, deg: number): [number, number] {
  const t = (deg * Math.PI) / 180;
  const c = Math.abs(Math.cos(t));
  const s = Math.abs(Math.sin(t));
  return [Math.round(width * c + height * s), Math.round(width * s + height * c)];
}

/**
 * Plans every correction from the analysis, then runs them as ONE sharp pipeline (upscale → rotate → crop →
 * contrast → denoise): one decode of the raw buffer, one resample per geometric step, no intermediate copies.
 */
async function correct(page: PageImage, a: Analysis, quality: Quality | null, opts: PreprocessOptions): Promise<PreprocessResult> {
  const steps: string[] = [];
  let toOriginal: Affine = IDENTITY;
  let img = sharp(page.data, raw(page));
  let w = page.width;
  let h = page.height;
  const o = a.orientation;
  const textPx = a.metrics.textHeight / a.scale;

  // 1. Upscale tiny text first, so the rotation below resamples a finer grid (one softening, not two).
  // `preprocess.upscaleBelowPx` (default 14): text lower than this is upscaled …
  if (opts.upscale && textPx > 0 && textPx < opts.upscaleBelowPx) {
    const limit = Math.sqrt(MAX_UPSCALED_PIXELS / (w * h));
    const f = Math.min(MAX_UPSCALE, UPSCALE_TARGET_PX / textPx, limit);
    if (f >= 1.25) {
      const nw = Math.round(w * f);
      const nh = Math.round(h * f);
      img = img.resize(nw, nh, { kernel: 'lanczos3', fit: 'fill' });
      toOriginal = compose(toOriginal, scaleToInput(nw / w, nh / h));
      [w, h] = [nw, nh];
      steps.push(`upscale:${Math.round(f * 10) / 10}`);
    }
  }

  // 2. Orientation and deskew: one resample by the sum of both angles.
  const quarter = opts.orientation ? o.rotation : 0;
  const skew = opts.deskew && Math.abs(o.skewDeg) >= MIN_DESKEW_DEG ? o.skewDeg : 0;
  let turn = -(quarter + skew);
  turn = ((((turn + 180) % 360) + 360) % 360) - 180;
  if (Math.abs(turn) > 1e-6) {
    const [nw, nh] = rotatedSize(w, h, turn);
    img = img.rotate(turn, { background: paperColour(a.metrics) });
    toOriginal = compose(toOriginal, rotationToInput(turn, w, h, nw, nh));
    [w, h] = [nw, nh];
    if (quarter) steps.push(`orientation:${quarter}`);
    if (skew) steps.push(`deskew:${Math.round(skew * 10) / 10}`);
  }

  // 3. Crop to the text (drops uniform background, margins and clutter around the document).
  if (opts.crop && textPx > 0) {
    const { boxes, textHeight } = glyphsOnCorrected(a, invert(toOriginal));
    const r = textHeight > 0 ? textRegion(boxes, textHeight, w, h) : null;
    if (r) {
      img = img.extract({ left: r.x0, top: r.y0, width: r.x1 - r.x0, height: r.y1 - r.y0 });
      toOriginal = compose(toOriginal, cropToInput(r.x0, r.y0));
      [w, h] = [r.x1 - r.x0, r.y1 - r.y0];
      steps.push('crop');
    }
  }

  // 4. Contrast: only for pages whose exposure or contrast is off; clean scans stay as they are. Uneven light
  //    (shadows) gets local equalisation (CLAHE, tiles of ~8 text heights); global problems a levels stretch.
  const issues = quality?.issues ?? [];
  if (opts.contrast && issues.includes('uneven_light')) {
    const tile = Math.max(16, Math.round(8 * (textPx > 0 ? textPx : 24) * (w / page.width)));
    img = img.clahe({ width: tile, height: tile, maxSlope: CLAHE_MAX_SLOPE });
    steps.push('contrast:clahe');
  } else if (opts.contrast && issues.some((i) => i === 'too_dark' || i === 'too_bright' || i === 'low_contrast')) {
    img = img.normalise({ lower: 1, upper: 99 });
    steps.push('contrast');
  }

  // 5. Denoise: a 3×3 median when the noise estimate is high.
  if (opts.denoise && a.metrics.noise > QUALITY_LIMITS.noisySigma * 0.7) {
    img = img.median(3);
    steps.push('denoise');
  }
  if (steps.length === 0) return { page, quality, steps, toOriginal };
  const out = await toPage(img, page);
  if (out.width !== w || out.height !== h) {
    throw new Error(`preprocess planned a ${w}×${h} page, sharp made ${out.width}×${out.height}`);
  }
  return { page: out, quality, steps, toOriginal };
}
