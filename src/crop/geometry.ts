import { quadSize, type Point } from '../core/geometry.js';
import type { Quad } from '../core/types.js';

/**
 * Line geometry for crops: quads from box files and the projective transform (homography) that maps an upright
 * output rectangle onto a source quad (boxes, quads and their size: core/geometry.ts).
 * Pure functions; all coordinates are continuous pixel coordinates (a pixel's centre is at +0.5).
 */

/** Row-major 3×3 matrix [h0..h8]: x' = (h0 x + h1 y + h2) / (h6 x + h7 y + h8), y' = (h3 x + h4 y + h5) / (…). */
export type Homography = [number, number, number, number, number, number, number, number, number];

/** Twice the signed area (shoelace); positive when the points run clockwise on screen (y down). */
export function signedArea2(quad: Quad): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    const [x1, y1] = quad[i];
    const [x2, y2] = quad[(i + 1) % 4];
    s += x1 * y2 - x2 * y1;
  }
  return s;
}

/**
 * A quad from 8 numbers `x1,y1,…,x4,y4` (box-file order: clockwise from the top-left of the text).
 * Counter-clockwise input is reversed around its first point, so the first point still starts the text.
 * @throws Error when a value is not a finite number or the quad has no area.
 */
export function quadFromCoords(coords: readonly number[]): Quad {
  if (coords.length !== 8) throw new Error(`Expected 8 coordinates, got ${coords.length}`);
  const bad = coords.findIndex((c) => !Number.isFinite(c));
  if (bad >= 0) throw new Error(`Expected a number for coordinate ${bad + 1}, got ${JSON.stringify(coords[bad])}`);
  const q: Quad = [[coords[0], coords[1]], [coords[2], coords[3]], [coords[4], coords[5]], [coords[6], coords[7]]];
  const area = signedArea2(q);
  if (Math.abs(area) < 1e-9) throw new Error('The quad has no area (its corners are collinear)');
  return area > 0 ? q : [q[0], q[3], q[2], q[1]];
}

/** Solves A·x = b (n×n, row-major) by Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * The homography mapping the four `from` points onto the four `to` points.
 * @throws Error when three of the points are collinear (no projective map exists).
 */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i];
    const [u, v] = to[i];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const h = solve(a, b);
  if (!h) throw new Error('Degenerate quad: no projective transform maps a rectangle onto it');
  return [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1];
}

/** Applies a homography to one point. */
export function project(h: Homography, x: number, y: number): Point {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

/** How a line crop is laid out: output size and the map from output pixels to source pixels. */
export interface CropPlan {
  width: number;
  height: number;
  /** Margin added on every side, in output pixels. */
  margin: number;
  /** Output (continuous) coordinates → source (continuous) coordinates. */
  toSource: Homography;
  /** Angle of the line's top edge in the source, degrees (0 = level). */
  angleDeg: number;
}

/** Margin never shrinks below this many pixels, so strokes touching the box keep a clean edge. */
export const MIN_MARGIN_PX = 2;

/**
 * Plans an upright crop of a (possibly rotated or perspective-distorted) line quad with a margin of
 * `marginFrac` × line height on every side (at least MIN_MARGIN_PX).
 * @throws Error when the quad is smaller than one pixel or degenerate.
 */
export function planCrop(quad: Quad, marginFrac: number): CropPlan {
  const { width, height, angleDeg } = quadSize(quad);
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (width < 1 || height < 1) throw new Error(`The line is smaller than one pixel (${width.toFixed(1)}×${height.toFixed(1)})`);
  const margin = Math.max(MIN_MARGIN_PX, Math.round(marginFrac * h));
  const [p0, p1, p2, p3] = quad;
  let toSource: Homography;
  if (p0[1] === p1[1] && p1[0] === p2[0] && p2[1] === p3[1] && p3[0] === p0[0] && p1[0] > p0[0] && p3[1] > p0[1]) {
    // An upright rectangle (most box files): the map is a scale + shift, no system to solve.
    const sx = (p1[0] - p0[0]) / w;
    const sy = (p3[1] - p0[1]) / h;
    toSource = [sx, 0, p0[0] - margin * sx, 0, sy, p0[1] - margin * sy, 0, 0, 1];
  } else {
    const rect: Point[] = [[margin, margin], [margin + w, margin], [margin + w, margin + h], [margin, margin + h]];
    toSource = homography(rect, quad as unknown as Point[]);
  }
  return { width: w + 2 * margin, height: h + 2 * margin, margin, toSource, angleDeg };
}
