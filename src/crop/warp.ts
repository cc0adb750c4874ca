import type { PageImage, Quad } from '../core/types.js';
import { planCrop, type CropPlan } from './geometry.js';

/** Raw interleaved pixels of a crop (what sharp's `raw` input takes). */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** Crops larger than this (width × height) are refused: a line box that big is a labelling error. */
export const MAX_CROP_PIXELS = 16_000_000;

const EPS = 1e-9;

/** True when the map is a translation by whole pixels (axis-aligned boxes on integer coordinates). */
function isIntegerShift(m: CropPlan['toSource']): boolean {
  return (
    Math.abs(m[0] - 1) < EPS && Math.abs(m[1]) < EPS && Math.abs(m[3]) < EPS && Math.abs(m[4] - 1) < EPS &&
    Math.abs(m[6]) < EPS && Math.abs(m[7]) < EPS && Math.abs(m[8] - 1) < EPS &&
    Math.abs(m[2] - Math.round(m[2])) < 1e-6 && Math.abs(m[5] - Math.round(m[5])) < 1e-6
  );
}

/** Row copies for a whole-pixel shift (x_src = u + dx), repeating edge pixels outside the page. */
function shiftCopy(page: PageImage, out: Buffer, w: number, h: number, dx: number, dy: number): RawImage {
  const { width: W, height: H, channels: C, data: src } = page;
  const x0 = Math.max(0, -dx);
  const x1 = Math.min(w, W - dx);
  for (let v = 0; v < h; v++) {
    const sy = Math.min(H - 1, Math.max(0, v + dy));
    const row = sy * W * C;
    const o = v * w * C;
    if (x1 > x0) src.copy(out, o + x0 * C, row + (x0 + dx) * C, row + (x1 + dx) * C);
    for (let u = 0; u < Math.min(w, x0); u++) src.copy(out, o + u * C, row, row + C);
    for (let u = Math.max(x0, x1); u < w; u++) src.copy(out, o + u * C, row + (W - 1) * C, row + W * C);
  }
  return { data: out, width: w, height: h, channels: C };
}

/**
 * Samples `plan` out of `page` with bilinear interpolation; pixels outside the page repeat the edge
 * (a line touching the border keeps a paper-coloured margin instead of a black bar).
 * An axis-aligned box on whole pixels comes out as an exact copy of the source pixels.
 * @throws Error when the crop exceeds MAX_CROP_PIXELS.
 */
export function warpCrop(page: PageImage, plan: CropPlan): RawImage {
  const { width: W, height: H, channels: C, data: src } = page;
  const { width: w, height: h, toSource: m } = plan;
  if (w * h > MAX_CROP_PIXELS) throw new Error(`The crop would be ${w}×${h} pixels, over the limit of ${MAX_CROP_PIXELS}`);
  const out = Buffer.allocUnsafe(w * h * C);
  // Output centre u+0.5 maps to source centre u+0.5+m[2], i.e. source pixel index u+m[2].
  if (isIntegerShift(m)) return shiftCopy(page, out, w, h, Math.round(m[2]), Math.round(m[5]));
  const affine = Math.abs(m[6]) < 1e-12 && Math.abs(m[7]) < 1e-12;
  let o = 0;
  for (let v = 0; v < h; v++) {
    const oy = v + 0.5;
    for (let u = 0; u < w; u++) {
      const ox = u + 0.5;
      let sx: number;
      let sy: number;
      if (affine) {
        sx = m[0] * ox + m[1] * oy + m[2];
        sy = m[3] * ox + m[4] * oy + m[5];
      } else {
        const q = m[6] * ox + m[7] * oy + m[8];
        sx = (m[0] * ox + m[1] * oy + m[2]) / q;
        sy = (m[3] * ox + m[4] * oy + m[5]) / q;
      }
      // Continuous → pixel-index space, where integer coordinates are pixel centres.
      let fx = sx - 0.5;
      let fy = sy - 0.5;
      if (fx < 0) fx = 0;
      else if (fx > W - 1) fx = W - 1;
      if (fy < 0) fy = 0;
      else if (fy > H - 1) fy = H - 1;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const ax = fx - x0;
      const ay = fy - y0;
      const x1 = x0 + 1 < W ? x0 + 1 : x0;
      const y1 = y0 + 1 < H ? y0 + 1 : y0;
      const i00 = (y0 * W + x0) * C;
      const i01 = (y0 * W + x1) * C;
      const i10 = (y1 * W + x0) * C;
      const i11 = (y1 * W + x1) * C;
      if (ax < 1e-6 && ay < 1e-6) {
        for (let c = 0; c < C; c++) out[o++] = src[i00 + c];
        continue;
      }
      const w00 = (1 - ax) * (1 - ay);
      const w01 = ax * (1 - ay);
      const w10 = (1 - ax) * ay;
      const w11 = ax * ay;
      for (let c = 0; c < C; c++) {
        out[o++] = Math.round(src[i00 + c] * w00 + src[i01 + c] * w01 + src[i10 + c] * w10 + src[i11 + c] * w11);
      }
    }
  }
  return { data: out, width: w, height: h, channels: C };
}

/**
 * Crops one text line out of a decoded page: tight quad + margin (`marginFrac` × line height),
 * rotated/rectified upright from the quad.
 * @throws Error for degenerate or oversized quads (the caller counts the line as skipped).
 */
export function cropLine(page: PageImage, quad: Quad, marginFrac: number): RawImage & { plan: CropPlan } {
  const plan = planCrop(quad, marginFrac);
  return { ...warpCrop(page, plan), plan };
}
