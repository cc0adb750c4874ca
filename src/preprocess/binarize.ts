import type { PageImage } from '../core/types.js';
import { otsuThreshold } from '../core/ink.js';
import { pageToGray, type Gray } from './gray.js';

export { otsuThreshold };

/** A binary image: 1 = ink (dark), 0 = background. */
export interface Mask {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Wolf–Jolion weight: how far below the local mean (towards the darkest level) the threshold sits. */
export const WOLF_K = 0.5;

/**
 * Local adaptive binarisation (Wolf & Jolion 2004, a Sauvola variant that normalises by the image's own
 * contrast range, so dark or faded photos binarise as well as clean scans).
 * `window` is the side of the square neighbourhood in pixels (odd; about 1.5–2× the text height works).
 * Runs in O(pixels) with integral images.
 */
export function binarizeWolf(g: Gray, window: number, k = WOLF_K): Mask {
  const { width: w, height: h, data } = g;
  const W1 = w + 1;
  const sum = new Float64Array(W1 * (h + 1));
  const sq = new Float64Array(W1 * (h + 1));
  let minGray = 255;
  for (let y = 0; y < h; y++) {
    let rs = 0;
    let rq = 0;
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x];
      if (v < minGray) minGray = v;
      rs += v;
      rq += v * v;
      sum[(y + 1) * W1 + x + 1] = sum[y * W1 + x + 1] + rs;
      sq[(y + 1) * W1 + x + 1] = sq[y * W1 + x + 1] + rq;
    }
  }
  const r = Math.max(1, window >> 1);
  const mean = new Float32Array(w * h);
  const std = new Float32Array(w * h);
  let maxStd = 1e-6;
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const n = (y1 - y0) * (x1 - x0);
      const s = sum[y1 * W1 + x1] - sum[y0 * W1 + x1] - sum[y1 * W1 + x0] + sum[y0 * W1 + x0];
      const q = sq[y1 * W1 + x1] - sq[y0 * W1 + x1] - sq[y1 * W1 + x0] + sq[y0 * W1 + x0];
      const m = s / n;
      const sd = Math.sqrt(Math.max(0, q / n - m * m));
      mean[y * w + x] = m;
      std[y * w + x] = sd;
      if (sd > maxStd) maxStd = sd;
    }
  }
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i++) {
    const m = mean[i];
    const t = m - k * (1 - std[i] / maxStd) * (m - minGray);
    out[i] = data[i] < t ? 1 : 0;
  }
  return { data: out, width: w, height: h };
}

/** Smallest local contrast (grey levels) that can count as ink, whatever the histogram says. */
export const MIN_INK_CONTRAST = 12;

/**
 * Background-difference binarisation for analysis copies: a pixel is ink when it is darker than its
 * neighbourhood mean by more than a global threshold chosen by Otsu on those differences. Robust to faint print,
 * uneven lighting and dark borders (which only lower their own neighbourhood's mean).
 */
export function binarizeLocalDiff(g: Gray, window: number): Mask {
  const { width: w, height: h, data } = g;
  const W1 = w + 1;
  const sum = new Float64Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let rs = 0;
    for (let x = 0; x < w; x++) {
      rs += data[y * w + x];
      sum[(y + 1) * W1 + x + 1] = sum[y * W1 + x + 1] + rs;
    }
  }
  const r = Math.max(1, window >> 1);
  const diff = new Uint8Array(w * h);
  const hist = new Float64Array(256);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const m = (sum[y1 * W1 + x1] - sum[y0 * W1 + x1] - sum[y1 * W1 + x0] + sum[y0 * W1 + x0]) / ((y1 - y0) * (x1 - x0));
      const d = Math.max(0, Math.min(255, Math.round(m - data[y * w + x])));
      diff[y * w + x] = d;
      if (d > 0) hist[d]++;
    }
  }
  const high = Math.max(MIN_INK_CONTRAST, otsuThreshold(hist));
  const low = Math.max(MIN_INK_CONTRAST * HYSTERESIS_LOW, high * HYSTERESIS_LOW);
  return hysteresis(diff, w, h, low, high);
}

/** Weak-ink threshold as a fraction of the strong one: faint strokes survive when they touch strong ones. */
export const HYSTERESIS_LOW = 0.5;

/**
 * Hysteresis thresholding: pixels above `high` are ink, and so is every pixel above `low` 8-connected to them.
 * Keeps the faint horizontal strokes of thermal and dot-matrix print without admitting isolated noise.
 */
export function hysteresis(v: Uint8Array, w: number, h: number, low: number, high: number): Mask {
  const out = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  let sp = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] > high && !out[i]) {
      out[i] = 1;
      stack[sp++] = i;
      while (sp > 0) {
        const p = stack[--sp];
        const x = p % w;
        const y = (p - x) / w;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= w) continue;
            const q = yy * w + xx;
            if (!out[q] && v[q] > low) {
              out[q] = 1;
              stack[sp++] = q;
            }
          }
        }
      }
    }
  }
  return { data: out, width: w, height: h };
}

/** Mask → grey page data (ink black, background white). */
export function maskToGray(mask: Mask): Gray {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] ? 0 : 255;
  return { data: out, width: mask.width, height: mask.height };
}

/** Default neighbourhood for `binarizeForTesseract` when the text height is unknown. */
export const TESSERACT_BINARIZE_WINDOW = 41;

/**
 * Black-on-white 1-channel copy of a page for the Tesseract path only (the neural engine reads grey/colour
 * pixels and is hurt by binarisation). Adaptive (Wolf–Jolion), so uneven lighting and shadows of phone photos
 * do not swallow text the way Tesseract's global Otsu does.
 * @param page any page (1, 3 or 4 channels)
 * @param textHeightPx estimated text height in the page's pixels; sizes the window (default window 41 px)
 * @returns a new 1-channel page with the same geometry, `page` index and text layer
 */
export function binarizeForTesseract(page: PageImage, textHeightPx?: number): PageImage {
  const g = pageToGray(page);
  const win = textHeightPx && textHeightPx > 0 ? Math.max(15, Math.round(textHeightPx * 2) | 1) : TESSERACT_BINARIZE_WINDOW;
  const bin = maskToGray(binarizeWolf(g, win));
  return { ...page, data: Buffer.from(bin.data.buffer, bin.data.byteOffset, bin.data.length), channels: 1 };
}
