/**
 * Plane geometry every stage shares: points, quads and boxes, and the 2×3 affine maps preprocessing records so that
 * boxes found on a processed page go back to original pixels. Pure functions; coordinates are continuous pixels
 * (x right, y down; a pixel's centre is at +0.5).
 */
import type { Box, Quad } from './types.js';

export type Point = [number, number];

/** Euclidean distance between two points. */
export function dist(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** The quad of an axis-aligned box, clockwise from top-left. */
export function quadFromBox(box: Box): Quad {
  const [x, y, w, h] = box;
  return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
}

/** The axis-aligned bounding box of a quad, as [x, y, w, h] (rounded outwards to whole pixels). */
export function boxOfQuad(quad: Quad): Box {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const x0 = Math.floor(Math.min(...xs));
  const y0 = Math.floor(Math.min(...ys));
  return [x0, y0, Math.ceil(Math.max(...xs)) - x0, Math.ceil(Math.max(...ys)) - y0];
}

/** A box cut to a `width` × `height` image (empty when it lies outside). */
export function clipBox(box: Box, width: number, height: number): Box {
  const x0 = Math.max(0, box[0]);
  const y0 = Math.max(0, box[1]);
  const x1 = Math.min(width, box[0] + box[2]);
  const y1 = Math.min(height, box[1] + box[3]);
  return [x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)];
}

/**
 * Size of the upright line a quad holds (the longer of each pair of opposite edges, as PaddleOCR's crop) and the
 * angle of its top edge in degrees.
 */
export function quadSize(quad: Quad): { width: number; height: number; angleDeg: number } {
  const width = Math.max(dist(quad[0], quad[1]), dist(quad[3], quad[2]));
  const height = Math.max(dist(quad[0], quad[3]), dist(quad[1], quad[2]));
  const angleDeg = (Math.atan2(quad[1][1] - quad[0][1], quad[1][0] - quad[0][0]) * 180) / Math.PI;
  return { width, height, angleDeg };
}

/** 2x3 affine matrix [a, b, c, d, e, f]: x' = a*x + b*y + c, y' = d*x + e*y + f. */
export type Affine = [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

/** `outer ∘ inner`: applies `inner` first, then `outer`. */
export function compose(outer: Affine, inner: Affine): Affine {
  const [a1, b1, c1, d1, e1, f1] = outer;
  const [a2, b2, c2, d2, e2, f2] = inner;
  return [a1 * a2 + b1 * d2, a1 * b2 + b1 * e2, a1 * c2 + b1 * f2 + c1, d1 * a2 + e1 * d2, d1 * b2 + e1 * e2, d1 * c2 + e1 * f2 + f1];
}

/** The inverse map. @throws Error when the matrix is singular (never the case for the preprocessing steps). */
export function invert(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new Error('singular affine matrix');
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

export function applyPoint(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

export function isIdentity(m: Affine): boolean {
  return m.every((v, i) => Math.abs(v - IDENTITY[i]) < 1e-9);
}

function rounder(decimals: number): (v: number) => number {
  const f = 10 ** decimals;
  return (v) => Math.round(v * f) / f;
}

/**
 * Axis-aligned bounding box of a box's four mapped corners, rounded to `decimals` (records keep whole pixels: 0;
 * preprocessing's own bookkeeping keeps 0.1 px: 1).
 */
export function mapBox(m: Affine, box: Box, decimals = 1): Box {
  const [x, y, w, h] = box;
  const pts = [applyPoint(m, x, y), applyPoint(m, x + w, y), applyPoint(m, x + w, y + h), applyPoint(m, x, y + h)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  const r = rounder(decimals);
  return [r(x0), r(y0), r(Math.max(...xs) - x0), r(Math.max(...ys) - y0)];
}

/** A quad's corners mapped, rounded to `decimals`. */
export function mapQuad(m: Affine, q: Quad, decimals = 1): Quad {
  const r = rounder(decimals);
  const p = (c: [number, number]): [number, number] => {
    const [x, y] = applyPoint(m, c[0], c[1]);
    return [r(x), r(y)];
  };
  return [p(q[0]), p(q[1]), p(q[2]), p(q[3])];
}
