import { createHash } from 'node:crypto';
import type { RawImage } from './warp.js';

/**
 * Crop fingerprints for de-duplication: an exact pixel hash, and a small contrast-normalised
 * grey thumbnail whose correlation tells near-identical crops (the same print captured twice,
 * re-encoded or shifted by a pixel) from merely similar ones (the same words on another receipt).
 */

/** Thumbnail size: wide enough to resolve individual glyphs of a short line. */
export const THUMB_W = 64;
export const THUMB_H = 12;

/** SHA-256 of the crop's pixels and shape (hex): identical crops have identical hashes. */
export function pixelHash(img: RawImage): string {
  const h = createHash('sha256');
  h.update(`${img.width}x${img.height}x${img.channels}:`);
  h.update(img.data);
  return h.digest('hex');
}

/**
 * Area-averaged grey thumbnail (THUMB_W × THUMB_H), shifted to zero mean and scaled to unit norm,
 * so that brightness and contrast changes do not matter. A blank crop gives all zeros.
 */
export function thumbnail(img: RawImage): Float32Array {
  const { width: W, height: H, channels: C, data } = img;
  const sums = new Float64Array(THUMB_W * THUMB_H);
  const counts = new Uint32Array(THUMB_W * THUMB_H);
  for (let y = 0; y < H; y++) {
    const ty = Math.min(THUMB_H - 1, Math.floor((y * THUMB_H) / H));
    for (let x = 0; x < W; x++) {
      const tx = Math.min(THUMB_W - 1, Math.floor((x * THUMB_W) / W));
      const i = (y * W + x) * C;
      const g = C >= 3 ? data[i] * 0.299 + data[i + 1] * 0.587 + data[i + 2] * 0.114 : data[i];
      sums[ty * THUMB_W + tx] += g;
      counts[ty * THUMB_W + tx]++;
    }
  }
  const t = new Float32Array(THUMB_W * THUMB_H);
  let mean = 0;
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    if (counts[i] === 0) continue;
    t[i] = sums[i] / counts[i];
    mean += t[i];
    n++;
  }
  mean /= Math.max(1, n);
  let norm = 0;
  for (let i = 0; i < t.length; i++) {
    t[i] = counts[i] === 0 ? 0 : t[i] - mean;
    norm += t[i] * t[i];
  }
  norm = Math.sqrt(norm);
  if (norm < 1e-6) return new Float32Array(t.length);
  for (let i = 0; i < t.length; i++) t[i] /= norm;
  return t;
}

/** Normalised cross-correlation of two thumbnails, -1..1 (1 = same picture up to brightness/contrast). */
export function correlation(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
