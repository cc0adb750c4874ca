import type { Box, PageImage } from './types.js';

/**
 * Ink analysis shared by the stages: Otsu's threshold, text bands and the ink bounding box of a page. Text is taken
 * to be the minority polarity (dark on light paper, or light on a dark label). Pure functions, O(pixels).
 */

/**
 * Otsu's global threshold of a 256-bin histogram: the grey level that maximises between-class variance.
 * Pixels `<= threshold` are the dark class.
 */
export function otsuThreshold(hist: ArrayLike<number>): number {
  let total = 0;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) {
    total += hist[i];
    sumAll += i * hist[i];
  }
  if (total === 0) return 127;
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let bestT = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT;
}

/** A row is ink when at least this fraction of its pixels (and at least one) is ink. */
const INK_ROW_MIN_FRACTION = 0.003;
/** Blank rows shorter than this inside a band do not split it (JPEG noise, thin strokes). */
const MAX_GAP_IN_BAND = 1;

type Pixels = Pick<PageImage, 'data' | 'width' | 'height' | 'channels'>;

/** Per-pixel ink flags (1 = ink) by Otsu, or null for a flat page with no ink at all. */
function inkMask(page: Pixels): Uint8Array | null {
  const { data, width, height, channels } = page;
  const n = width * height;
  if (n === 0) return null;
  const luma = new Uint8Array(n);
  const hist = new Uint32Array(256);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    luma[i] = channels === 1 ? data[j] : (data[j] * 299 + data[j + 1] * 587 + data[j + 2] * 114 + 500) / 1000;
    hist[luma[i]]++;
  }
  const t = otsuThreshold(hist);
  let dark = 0;
  for (let v = 0; v <= t; v++) dark += hist[v];
  if (dark === 0 || dark === n) return null;
  const inkIsDark = dark <= n - dark;
  const mask = luma; // reused in place
  for (let i = 0; i < n; i++) mask[i] = (luma[i] <= t) === inkIsDark ? 1 : 0;
  return mask;
}

/** Ink pixels per row. */
function rowInk(mask: Uint8Array, width: number, height: number): Uint32Array {
  const rows = new Uint32Array(height);
  for (let y = 0, i = 0; y < height; y++) for (let x = 0; x < width; x++, i++) rows[y] += mask[i];
  return rows;
}

/**
 * Counts horizontal bands of text (runs of rows holding ink) on a page, stopping at `limit`. A text-line image has 1;
 * a two-line label 2; a blank page 0.
 */
export function countTextBands(page: Pixels, limit = Number.POSITIVE_INFINITY): number {
  const mask = inkMask(page);
  if (!mask) return 0;
  const rows = rowInk(mask, page.width, page.height);
  const minInk = Math.max(1, Math.round(page.width * INK_ROW_MIN_FRACTION));
  let bands = 0;
  let inBand = false;
  let gap = 0;
  for (let y = 0; y < page.height; y++) {
    if (rows[y] >= minInk) {
      if (!inBand) {
        bands++;
        if (bands >= limit) return bands;
        inBand = true;
      }
      gap = 0;
    } else if (inBand && ++gap > MAX_GAP_IN_BAND) {
      inBand = false;
    }
  }
  return bands;
}

/**
 * The box [x, y, w, h] around the page's ink, grown by `padFraction` of the ink's height on every side (clamped to the
 * page); null when the page holds no ink. Rows and columns with less than a trace of ink (noise) are ignored.
 */
export function inkBounds(page: Pixels, padFraction = 0.25): Box | null {
  const mask = inkMask(page);
  if (!mask) return null;
  const { width, height } = page;
  const rows = rowInk(mask, width, height);
  const cols = new Uint32Array(width);
  for (let y = 0, i = 0; y < height; y++) for (let x = 0; x < width; x++, i++) cols[x] += mask[i];
  const minRow = Math.max(1, Math.round(width * INK_ROW_MIN_FRACTION));
  const minCol = 1;
  let y0 = 0;
  while (y0 < height && rows[y0] < minRow) y0++;
  if (y0 === height) return null;
  let y1 = height - 1;
  while (rows[y1] < minRow) y1--;
  let x0 = 0;
  while (x0 < width && cols[x0] < minCol) x0++;
  let x1 = width - 1;
  while (cols[x1] < minCol) x1--;
  const pad = Math.max(2, Math.round((y1 - y0 + 1) * padFraction));
  const left = Math.max(0, x0 - pad);
  const top = Math.max(0, y0 - pad);
  const right = Math.min(width, x1 + 1 + pad);
  const bottom = Math.min(height, y1 + 1 + pad);
  return [left, top, right - left, bottom - top];
}
