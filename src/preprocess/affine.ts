/**
 * The maps of the preprocessing steps (scale, crop, rotation), each from the step's output back to its input; they
 * are composed with core/geometry.ts into `toOriginal`.
 */
import type { Affine } from '../core/geometry.js';

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
