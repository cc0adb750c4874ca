import type { PageImage } from '../core/types.js';
import { toGray } from '../core/image.js';

/** A single-channel 8-bit image (0 = black, 255 = white), row-major, no padding. */
export interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Luma of a page as a `Gray` (shares the buffer when the page is already 1-channel). */
export function pageToGray(page: PageImage): Gray {
  const g = toGray(page);
  return { data: new Uint8Array(g.data.buffer, g.data.byteOffset, g.width * g.height), width: g.width, height: g.height };
}

/**
 * Area-average downscale by an integer-free factor so that the result is `width`×`height`.
 * Each output pixel is the mean of the source pixels it covers (fractional coverage ignored: boxes are
 * rounded), which keeps thin strokes visible where nearest-neighbour sampling would drop them.
 */
export function downscale(src: Gray, width: number, height: number): Gray {
  if (width >= src.width && height >= src.height) return src;
  const out = new Uint8Array(width * height);
  const sx = src.width / width;
  const sy = src.height / height;
  const colStart = new Int32Array(width + 1);
  for (let x = 0; x <= width; x++) colStart[x] = Math.min(src.width, Math.round(x * sx));
  const rowSum = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const y0 = Math.round(y * sy);
    const y1 = Math.max(y0 + 1, Math.min(src.height, Math.round((y + 1) * sy)));
    rowSum.fill(0);
    for (let yy = y0; yy < y1; yy++) {
      const row = yy * src.width;
      for (let x = 0; x < width; x++) {
        const a = colStart[x];
        const b = Math.max(a + 1, colStart[x + 1]);
        let s = 0;
        for (let xx = a; xx < b; xx++) s += src.data[row + xx];
        rowSum[x] += s / (b - a);
      }
    }
    const n = y1 - y0;
    for (let x = 0; x < width; x++) out[y * width + x] = Math.round(rowSum[x] / n);
  }
  return { data: out, width, height };
}

/** Scale factor (≤ 1) that brings the longer side down to `maxSide`. */
export function fitScale(width: number, height: number, maxSide: number): number {
  return Math.min(1, maxSide / Math.max(width, height));
}

/** Rotates a grey image clockwise by 90, 180 or 270 degrees (exact, no resampling). */
export function rotateGray(src: Gray, degCw: 0 | 90 | 180 | 270): Gray {
  if (degCw === 0) return src;
  const { width: w, height: h, data } = src;
  const ow = degCw === 180 ? w : h;
  const oh = degCw === 180 ? h : w;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x];
      let nx: number;
      let ny: number;
      if (degCw === 90) {
        nx = h - 1 - y;
        ny = x;
      } else if (degCw === 180) {
        nx = w - 1 - x;
        ny = h - 1 - y;
      } else {
        nx = y;
        ny = w - 1 - x;
      }
      out[ny * ow + nx] = v;
    }
  }
  return { data: out, width: ow, height: oh };
}

/** 256-bin histogram. */
export function histogram(g: Gray): Uint32Array {
  const h = new Uint32Array(256);
  for (let i = 0; i < g.data.length; i++) h[g.data[i]]++;
  return h;
}

/** Grey level below which `q` (0..1) of the pixels lie. */
export function percentile(hist: Uint32Array, q: number): number {
  let total = 0;
  for (let i = 0; i < 256; i++) total += hist[i];
  const target = q * total;
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    acc += hist[i];
    if (acc >= target && acc > 0) return i;
  }
  return 255;
}

