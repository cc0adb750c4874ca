import { binarizeLocalDiff, type Mask } from './binarize.js';
import { findComponents, type Components } from './components.js';
import type { Gray } from './gray.js';
import { upperMedian } from '../core/stats.js';

/** Smallest ink component (pixels) treated as part of text rather than speckle, at analysis scale. */
export const MIN_GLYPH_AREA = 4;
/** Components longer than this fraction of the longer image side are pictures, frames or rules, not glyphs. */
export const MAX_GLYPH_SIDE_FRACTION = 0.12;
/** Window of the analysis binarisation, in analysis pixels. */
export const ANALYSIS_WINDOW = 31;

/** Glyph-like components of a downscaled page: the raw material of orientation, skew and quality. */
export interface TextLayout {
  mask: Mask;
  comps: Components;
  /** Indices into `comps` of glyph-sized components. */
  glyphs: Int32Array;
  /** Median glyph height in analysis pixels (0 when no text was found). */
  textHeight: number;
}

/**
 * Binarises a grey analysis copy and keeps components whose size is plausible for a glyph
 * (or a few touching glyphs): not speckle, not a frame, picture or ruled line.
 */
export function analyseLayout(g: Gray): TextLayout {
  const mask = binarizeLocalDiff(g, ANALYSIS_WINDOW);
  const comps = findComponents(mask);
  // Relative to the longer side (a page), but never more than the shorter one allows (a single text line image).
  const maxSide = Math.max(8, Math.min(0.9 * Math.min(g.width, g.height), Math.max(g.width, g.height) * MAX_GLYPH_SIDE_FRACTION));
  const keep: number[] = [];
  for (let i = 0; i < comps.count; i++) {
    const w = comps.x1[i] - comps.x0[i];
    const h = comps.y1[i] - comps.y0[i];
    if (comps.area[i] < MIN_GLYPH_AREA) continue;
    if (h > maxSide || w > maxSide * 4) continue;
    // A filled block (area ≈ bbox) larger than a dot is a blob or a bar, not a glyph.
    if (w > 3 && h > 3 && comps.area[i] > 0.92 * w * h) continue;
    keep.push(i);
  }
  const glyphs = Int32Array.from(keep);
  return { mask, comps, glyphs, textHeight: glyphHeight(comps, glyphs, false) };
}

/**
 * Median height of the glyphs that are not dots or dashes, measured across the text lines: along y for
 * upright or upside-down text, along x (`sideways`) for text turned by 90°.
 */
export function glyphHeight(comps: Components, glyphs: Int32Array, sideways: boolean): number {
  const heights: number[] = [];
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    const ys = comps.y1[i] - comps.y0[i];
    const xs = comps.x1[i] - comps.x0[i];
    const h = sideways ? xs : ys;
    const w = sideways ? ys : xs;
    if (h >= 3 && w <= h * 3 && h <= w * 6) heights.push(h);
  }
  return upperMedian(heights);
}
