import type { PageImage, Quality } from '../core/types.js';
import type { Gray } from './gray.js';
import type { TextLayout } from './layout.js';
import { measureSharpness } from './sharpness.js';

export { estimateNoise, measureSharpness } from './sharpness.js';

/**
 * Thresholds of the quality issues, in one place. Sharpness is the blur radius relative to the text height
 * (scale-free), exposure levels are 0..1 of full scale.
 */
export const QUALITY_LIMITS = {
  /** Estimated blur sigma over text height above which a page is `blurry`. */
  blurryRelSigma: 0.065,
  /** Paper (background) level below which a page is `too_dark`. */
  darkPaper: 0.42,
  /** Ink level above which a page is `too_bright` (washed out). */
  brightInk: 0.62,
  /** Paper-minus-ink difference below which a page has `low_contrast`. */
  lowContrast: 0.25,
  /** Share of clipped highlights (on paper that is not itself clipped) above which a page has `glare`. */
  glareFraction: 0.02,
  /** Clipped highlight level (0..255). */
  clipLevel: 250,
  /** Paper above this level is white anyway (a scan): clipped pixels there are not glare. */
  whitePaper: 0.93,
  /** Text height (original pixels) below which a page is `low_resolution`. */
  minTextHeightPx: 9,
  /** Absolute skew (degrees) above which a page is reported `skewed` (it is corrected when deskew is on). */
  skewedDeg: 2,
  /** Paper-level spread over the page above which it has `uneven_light` (a shadow, a vignette). */
  unevenLight: 0.25,
  /** Noise sigma (grey levels, at analysis scale) above which a page is `noisy`. */
  noisySigma: 8,
  /**
   * A page with a side of at most this many pixels (a 1×1 spacer, an 8×8 icon, a 300×2 rule) is `too_small`: no
   * glyph fits in it, and engines that resample pages to their own input sizes cannot even size it (PP-OCR's
   * detector rounded such sides to 0 and sharp threw). It reads as "no text" without OCR.
   */
  tooSmallSidePx: 8,
} as const;

/** Whether a page is too small to hold text (a side ≤ `QUALITY_LIMITS.tooSmallSidePx`): OCR is skipped. Pure. */
export function isTooSmall(page: Pick<PageImage, 'width' | 'height'>): boolean {
  return Math.min(page.width, page.height) <= QUALITY_LIMITS.tooSmallSidePx;
}

/**
 * The quality of a page too small to measure (see {@link isTooSmall}): score 0, issues `too_small` and `no_text`,
 * its mean brightness; nothing else is measured (no glyph, no blur, no skew on a page that small). Pure.
 */
export function tooSmallQuality(page: PageImage): Quality {
  const { data, width, height, channels } = page;
  const colours = Math.min(3, channels);
  let sum = 0;
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < colours; c++) sum += data[i * channels + c];
  }
  const brightness = sum / Math.max(1, width * height * colours) / 255;
  return { score: 0, blur: 0, brightness: Math.round(brightness * 100) / 100, contrast: 0, skewDeg: 0, rotation: 0, issues: ['too_small', 'no_text'] };
}

/** Raw measurements behind the quality score (all at analysis scale unless named otherwise). */
export interface QualityMetrics {
  /** Variance of the Laplacian (the classic focus measure; depends on scale and contrast). */
  laplacianVar: number;
  /** Estimated blur sigma in analysis pixels (scale-free when divided by the text height). */
  blurSigma: number;
  /** Mean grey level, 0..1. */
  brightness: number;
  /** Median paper (background) level, 0..1. */
  paper: number;
  /** Ink level (darkest tenth of the ink pixels: stroke cores), 0..1 (1 when no ink was found). */
  ink: number;
  /** Share of clipped highlight pixels, 0..1. */
  clipped: number;
  /** Noise sigma estimate in grey levels (Immerkær 1996), at full resolution. */
  noise: number;
  /** Median glyph height in analysis pixels. */
  textHeight: number;
  glyphs: number;
  /** Spread of the paper level over the page (90th − 10th percentile of tile medians), 0..1: shadows, vignetting. */
  unevenness: number;
}

/** Share of ink a tile needs to count as document (not background) in the light measurement. */
const MIN_TILE_INK = 0.02;
/** Tiles per side of the grid the paper level is sampled on. */
const LIGHT_GRID = 6;

/**
 * Spread of the paper level over the document region: the 80th − 20th percentile of the paper medians of a
 * LIGHT_GRID × LIGHT_GRID grid of tiles (every other pixel; ink excluded), 0..1. High under a shadow or vignette;
 * a few tiles of background clutter at the corners of a tilted document do not move it.
 */
export function paperUnevenness(g: Gray, mask: Uint8Array, r: { x0: number; y0: number; x1: number; y1: number }): number {
  const tw = (r.x1 - r.x0) / LIGHT_GRID;
  const th = (r.y1 - r.y0) / LIGHT_GRID;
  if (tw < 4 || th < 4) return 0;
  const levels: number[] = [];
  const hist = new Float64Array(256);
  for (let ty = 0; ty < LIGHT_GRID; ty++) {
    for (let tx = 0; tx < LIGHT_GRID; tx++) {
      hist.fill(0);
      let n = 0;
      let ink = 0;
      const y0 = Math.floor(r.y0 + ty * th);
      const y1 = Math.floor(r.y0 + (ty + 1) * th);
      const x0 = Math.floor(r.x0 + tx * tw);
      const x1 = Math.floor(r.x0 + (tx + 1) * tw);
      for (let y = y0; y < y1; y += 2) {
        for (let x = x0; x < x1; x += 2) {
          const i = y * g.width + x;
          if (mask[i]) {
            ink++;
            continue;
          }
          hist[g.data[i]]++;
          n++;
        }
      }
      // Only tiles with text in them: their background is the document's paper, not the table around it.
      if (n >= 16 && ink >= MIN_TILE_INK * (n + ink)) levels.push(quantileOfHist(hist, n, 0.5));
    }
  }
  if (levels.length < 4) return 0;
  levels.sort((a, b) => a - b);
  return (levels[Math.floor(levels.length * 0.8)] - levels[Math.floor(levels.length * 0.2)]) / 255;
}



/** Rectangle (analysis pixels, exclusive right/bottom) that quality is measured on. */
export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The `q` quantile (0..1) of a 256-bin histogram, or -1 when empty. */
function quantileOfHist(h: Float64Array, total: number, q: number): number {
  if (total <= 0) return -1;
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    acc += h[i];
    if (acc >= total * q) return i;
  }
  return 255;
}

/** Share of the darkest ink pixels whose level is reported as the ink level (stroke cores, not blurred fringes). */
const INK_CORE_QUANTILE = 0.1;

function cropGray(g: Gray, r: Region): Gray {
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  if (r.x0 === 0 && r.y0 === 0 && w === g.width && h === g.height) return g;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) out.set(g.data.subarray((r.y0 + y) * g.width + r.x0, (r.y0 + y) * g.width + r.x1), y * w);
  return { data: out, width: w, height: h };
}

/**
 * Exposure and sharpness measurements of an analysis copy, inside `region` (the document: background clutter
 * around it must not read as glare or darkness). `noise` is measured separately at full resolution.
 */
export function measureQuality(g: Gray, layout: TextLayout, noise: number, region?: Region): QualityMetrics {
  const r = region ?? { x0: 0, y0: 0, x1: g.width, y1: g.height };
  const inkHist = new Float64Array(256);
  const paperHist = new Float64Array(256);
  let sum = 0;
  let clipped = 0;
  let inkN = 0;
  let paperN = 0;
  const mask = layout.mask.data;
  for (let y = r.y0; y < r.y1; y++) {
    for (let i = y * g.width + r.x0, end = y * g.width + r.x1; i < end; i++) {
      const v = g.data[i];
      sum += v;
      if (v >= QUALITY_LIMITS.clipLevel) clipped++;
      if (mask[i]) {
        inkHist[v]++;
        inkN++;
      } else {
        paperHist[v]++;
        paperN++;
      }
    }
  }
  const n = Math.max(1, (r.x1 - r.x0) * (r.y1 - r.y0));
  const { laplacianVar, blurSigma } = measureSharpness(cropGray(g, r));
  const paper = quantileOfHist(paperHist, paperN, 0.5);
  const ink = quantileOfHist(inkHist, inkN, INK_CORE_QUANTILE);
  return {
    laplacianVar,
    blurSigma,
    brightness: sum / n / 255,
    paper: paper < 0 ? 1 : paper / 255,
    ink: ink < 0 ? 1 : ink / 255,
    clipped: clipped / n,
    noise,
    textHeight: layout.textHeight,
    glyphs: layout.glyphs.length,
    unevenness: paperUnevenness(g, mask, r),
  };
}

/** Linear ramp: 0 at `bad`, 1 at `good` (either order), clamped. */
function ramp(v: number, bad: number, good: number): number {
  const t = (v - bad) / (good - bad);
  return Math.max(0, Math.min(1, t));
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/**
 * Turns measurements into the record's `quality`: a 0..1 score (product of per-aspect factors, so one bad
 * aspect is enough to pull it down) and machine-readable `issues`.
 * @param m measurements at analysis scale
 * @param scale analysis pixels per original pixel (text height is reported in original pixels)
 * @param geometry skew and rotation found by the orientation step
 */
export function scoreQuality(m: QualityMetrics, scale: number, geometry: { skewDeg: number; rotation: number }): Quality {
  const L = QUALITY_LIMITS;
  const issues: string[] = [];
  const hasText = m.glyphs >= 12 && m.textHeight >= 3;
  const textPx = hasText ? m.textHeight / scale : 0;
  const relBlur = hasText ? m.blurSigma / m.textHeight : m.blurSigma / 8;
  const contrast = Math.max(0, m.paper - m.ink);
  // Glare is clipped highlight on paper that is not white itself; a large clipped area on an unevenly lit page is
  // the lit part of a shadowed page, not a specular spot.
  const litHalf = m.unevenness > L.unevenLight && m.clipped > L.glareFraction * 5;
  const glare = m.paper < L.whitePaper && !litHalf ? m.clipped : 0;

  if (relBlur > L.blurryRelSigma) issues.push('blurry');
  if (m.paper < L.darkPaper) issues.push('too_dark');
  // Blur lightens thin strokes too: then the blur is the issue, not the exposure.
  if (hasText && m.ink > L.brightInk && relBlur <= L.blurryRelSigma) issues.push('too_bright');
  if (hasText && contrast < L.lowContrast) issues.push('low_contrast');
  if (glare > L.glareFraction) issues.push('glare');
  if (hasText && textPx < L.minTextHeightPx) issues.push('low_resolution');
  if (Math.abs(geometry.skewDeg) > L.skewedDeg) issues.push('skewed');
  if (geometry.rotation !== 0) issues.push('rotated');
  if (m.noise > L.noisySigma) issues.push('noisy');
  if (m.unevenness > L.unevenLight) issues.push('uneven_light');
  if (!hasText) issues.push('no_text');

  const factors = [
    0.25 + 0.75 * ramp(relBlur, L.blurryRelSigma * 1.6, L.blurryRelSigma * 0.6),
    0.3 + 0.7 * ramp(m.paper, L.darkPaper * 0.5, L.darkPaper * 1.25),
    hasText ? 0.3 + 0.7 * ramp(m.ink, L.brightInk * 1.3, L.brightInk * 0.8) : 1,
    hasText ? 0.3 + 0.7 * ramp(contrast, L.lowContrast * 0.4, L.lowContrast * 1.4) : 1,
    1 - 0.6 * ramp(glare, L.glareFraction * 0.5, L.glareFraction * 2),
    hasText ? 0.35 + 0.65 * ramp(textPx, L.minTextHeightPx * 0.5, L.minTextHeightPx * 1.4) : 1,
    0.5 + 0.5 * ramp(m.noise, L.noisySigma * 2, L.noisySigma),
    0.6 + 0.4 * ramp(m.unevenness, L.unevenLight * 2, L.unevenLight),
    hasText ? 1 : 0.5,
  ];
  const score = factors.reduce((a, b) => a * b, 1);
  return {
    score: round(score),
    blur: round(m.laplacianVar, 1),
    brightness: round(m.brightness),
    contrast: round(contrast),
    skewDeg: round(geometry.skewDeg, 1),
    rotation: geometry.rotation,
    issues,
    blurRel: round(relBlur, 3),
    paper: round(m.paper),
    ink: round(m.ink),
    glare: round(glare, 3),
    noise: round(m.noise, 1),
    textHeightPx: round(textPx, 1),
    unevenness: round(m.unevenness),
  };
}
