/**
 * DB (differentiable binarisation) post-processing of the PP-OCR detector's probability map:
 * threshold → connected regions → min-area rectangle → box score → unclip → min-area rectangle.
 * Follows PaddleOCR's `DBPostProcess` (box_type "quad", score_mode "fast"), without OpenCV.
 * Pure: coordinates are in probability-map pixels; `det.ts` maps them back to the page.
 */
import type { Point } from '../../core/geometry.js';
import type { Quad } from '../../core/types.js';
import {
  type RotatedRect,
  expandRect,
  insideConvexQuad,
  minAreaRect,
  orderCorners,
  rectCorners,
  unclipDistance,
} from './geometry.js';

export interface DbOptions {
  /** Pixel threshold on the probability map (PaddleOCR det_db_thresh). */
  thresh: number;
  /** Minimum mean probability inside a box (det_db_box_thresh). */
  boxThresh: number;
  /** Growth of the shrunk text kernel (det_db_unclip_ratio). */
  unclipRatio: number;
  /** Shorter side below which a box is dropped, in map pixels (the unclipped box needs minSize + 2). */
  minSize: number;
  /** Most regions examined, largest first beyond this many (PaddleOCR max_candidates). */
  maxCandidates?: number;
}

export interface DetBox {
  /** Corners TL, TR, BR, BL in map pixels. */
  quad: Quad;
  /** Mean probability inside the kernel box (0..1). */
  score: number;
}

/** Default cap on regions per page (PaddleOCR's max_candidates). */
export const DEFAULT_MAX_CANDIDATES = 1000;

/** A connected region of the thresholded map: the leftmost and rightmost pixel of each of its rows. */
export interface Region {
  /** Extreme points (row-wise min/max x) whose convex hull equals the region's. */
  points: Point[];
  pixels: number;
}

/**
 * 8-connected regions of `prob > thresh`. Returns each region's row extremes (enough for its convex hull).
 * @param prob row-major [height, width] probabilities
 */
export function connectedRegions(prob: Float32Array, width: number, height: number, thresh: number): Region[] {
  const n = width * height;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (!(prob[i] > thresh)) seen[i] = 1; // background counts as visited
  const regions: Region[] = [];
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    let pixels = 0;
    while (top > 0) {
      const idx = stack[--top];
      const y = (idx / width) | 0;
      const x = idx - y * width;
      pixels++;
      const mn = rowMin.get(y);
      if (mn === undefined || x < mn) rowMin.set(y, x);
      const mx = rowMax.get(y);
      if (mx === undefined || x > mx) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
          const j = yy * width + xx;
          if (!seen[j]) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    const points: Point[] = [];
    for (const [y, x0] of rowMin) {
      points.push([x0, y]);
      const x1 = rowMax.get(y)!;
      if (x1 !== x0) points.push([x1, y]);
    }
    regions.push({ points, pixels });
  }
  return regions;
}

/**
 * Mean probability over the map pixels whose centres fall inside `quad` (PaddleOCR's box_score_fast).
 * Returns 0 when no pixel centre is inside.
 */
export function boxScore(prob: Float32Array, width: number, height: number, quad: Quad): number {
  const xs = quad.map((p) => p[0]), ys = quad.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideConvexQuad(quad, x, y)) continue;
      sum += prob[y * width + x];
      count++;
    }
  }
  return count ? sum / count : 0;
}

function quadOf(r: RotatedRect): Quad {
  return orderCorners(rectCorners(r));
}

/**
 * Text boxes from a DB probability map, largest regions first when over `maxCandidates`, then in scan order.
 * @param prob row-major [height, width] probabilities from the detector's sigmoid output
 */
export function dbPostprocess(prob: Float32Array, width: number, height: number, opts: DbOptions): DetBox[] {
  let regions = connectedRegions(prob, width, height, opts.thresh);
  const cap = opts.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  if (regions.length > cap) regions = [...regions].sort((a, b) => b.pixels - a.pixels).slice(0, cap);
  const out: DetBox[] = [];
  for (const region of regions) {
    const kernel = minAreaRect(region.points);
    if (Math.min(kernel.width, kernel.height) < opts.minSize) continue;
    const kernelQuad = quadOf(kernel);
    const score = boxScore(prob, width, height, kernelQuad);
    if (score < opts.boxThresh) continue;
    const grown = expandRect(kernel, unclipDistance(kernel, opts.unclipRatio));
    if (Math.min(grown.width, grown.height) < opts.minSize + 2) continue;
    const quad = quadOf(grown).map(([x, y]) => [clamp(x, 0, width), clamp(y, 0, height)] as Point) as Quad;
    out.push({ quad, score });
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
