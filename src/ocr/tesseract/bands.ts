import type { PageImage } from '../../core/types.js';

/** A row is ink when at least this fraction of its pixels (and at least one) is ink. */
const INK_ROW_MIN_FRACTION = 0.003;
/** Blank rows shorter than this inside a band do not split it (JPEG noise, thin strokes). */
const MAX_GAP_IN_BAND = 1;

/** Otsu's threshold of a 256-bin histogram. Pure. */
function otsu(hist: Uint32Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i];
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * Counts horizontal bands of text (runs of rows holding ink, Otsu-thresholded, minority polarity = ink) on a page,
 * stopping at `limit`. A text-line image has 1; a two-line label 2; a blank page 0. Pure, O(pixels).
 */
export function countTextBands(page: Pick<PageImage, 'data' | 'width' | 'height' | 'channels'>, limit = Number.POSITIVE_INFINITY): number {
  const { data, width, height, channels } = page;
  const n = width * height;
  if (n === 0) return 0;
  const luma = new Uint8Array(n);
  const hist = new Uint32Array(256);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const v = channels === 1 ? data[j] : (data[j] * 299 + data[j + 1] * 587 + data[j + 2] * 114 + 500) / 1000;
    luma[i] = v;
    hist[luma[i]]++;
  }
  const t = otsu(hist, n);
  let dark = 0;
  for (let v = 0; v <= t; v++) dark += hist[v];
  if (dark === 0 || dark === n) return 0; // a flat page: no ink at all
  const inkIsDark = dark <= n - dark; // text is the minority: dark on light paper, or light on a dark label
  const minInk = Math.max(1, Math.round(width * INK_ROW_MIN_FRACTION));
  let bands = 0;
  let inBand = false;
  let gap = 0;
  for (let y = 0; y < height; y++) {
    let ink = 0;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const isDark = luma[row + x] <= t;
      if (isDark === inkIsDark) ink++;
    }
    if (ink >= minInk) {
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
