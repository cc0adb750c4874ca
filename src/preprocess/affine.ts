import type { Box, Quad } from '../core/types.js';

/** 2x3 affine matrix [a, b, c, d, e, f]: x' = a*x + b*y + c, y' = d*x + e*y + f. */
export type Affine = [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

/** `outer ∘ inner`: applies `inner` first, then `outer`. */
export function compose(outer: Affine, inner: Affine): Affine {
  const [a1, b1, c1, d1, e1, f1] = outer;
  const [a2, b2, c2, d2, e2, f2] = inner;
  return [a1 * a2 + b1 * d2, a1 * b2 + b1 * e2, a1 * c2 + b1 * f2 + c1, d1 * a2 + e1 * d2, d1 * b2 + e1 * e2, d1 * c2 + e1 * f2 + f1];
}

/** The inverse map. @throws Error when the matrix is singular (never the case for the steps here). */
export function invert(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new Error('singular affine matrix');
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

export function applyPoint(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Scaling: output pixel (x, y) comes from input pixel (x / s, y / s); returns output → input. */
export function scaleToInput(sx: number, sy = sx): Affine {
  return [1 / sx, 0, 0, 0, 1 / sy, 0];
}

/** Cropping at (left, top): output → input. */
export function cropToInput(left: number, top: number): Affine {
  return [1, 0, left, 0, 1, top];
}

/**
 * Rotation by `deg` clockwise about the image centre with the canvas expanded to `outW`×`outH`
 * (what sharp's `rotate(deg)` does); returns output → input. Edge coordinates: pixel i spans [i, i+1), so
 * box corners map exactly and a pixel centre is at i + 0.5.
 */
export function rotationToInput(deg: number, inW: number, inH: number, outW: number, outH: number): Affine {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  // out = R (in - cin) + cout  ⇒  in = Rᵀ (out - cout) + cin
  const ox = outW / 2;
  const oy = outH / 2;
  return [c, s, -c * ox - s * oy + inW / 2, -s, c, s * ox - c * oy + inH / 2];
}

/** Axis-aligned bounding box of a box's four mapped corners, rounded to 0.1 px. */
export function mapBox(m: Affine, box: Box): Box {
  const [x, y, w, h] = box;
  const pts = [applyPoint(m, x, y), applyPoint(m, x + w, y), applyPoint(m, x + w, y + h), applyPoint(m, x, y + h)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  const r = (v: number) => Math.round(v * 10) / 10;
  return [r(x0), r(y0), r(Math.max(...xs) - x0), r(Math.max(...ys) - y0)];
}

export function mapQuad(m: Affine, q: Quad): Quad {
  const r = (p: [number, number]): [number, number] => {
    const [x, y] = applyPoint(m, p[0], p[1]);
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  };
  return [r(q[0]), r(q[1]), r(q[2]), r(q[3])];
}

export function isIdentity(m: Affine): boolean {
  return m.every((v, i) => Math.abs(v - IDENTITY[i]) < 1e-9);
}
