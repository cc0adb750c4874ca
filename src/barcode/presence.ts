/**
 * Is there anything barcode-like on the page? A cheap look (a few ms) that decides whether the retry passes
 * are worth their cost when the first pass read nothing. Pure.
 *
 * A linear code is a patch of many parallel edges: in the structure tensor of a block its gradient energy is
 * high and concentrated in one direction (coherence near 1), and neighbouring blocks agree on that direction.
 * Text strokes point every way (low coherence); ruled lines and dashed separators are coherent but only one
 * block thick. So: blocks of the downscaled page with strong, coherent gradients, grouped by direction, and a
 * group at least `MIN_PATCH_BLOCKS` large means "maybe a barcode". 2D codes are left to the decoder's own
 * evidence (a symbol found but not decoded), which the reader checks first.
 */
import type { GrayImage } from './variants.js';

/** Longer side of the analysis copy (px). */
export const PRESENCE_MAX_SIDE = 480;
/** Block side on the analysis copy (px). */
export const PRESENCE_BLOCK = 8;
/** Mean squared gradient per pixel a block needs (8-bit grey, central differences). */
export const MIN_BLOCK_ENERGY = 150;
/**
 * The same for small pages (≤ `SMALL_PAGE_PIXELS`, not downscaled): a blurred VGA phone photo of a code has soft
 * edges (3 zxing photos that only the retries decode have no block over 150, all have some over 40), while rendered
 * text labels still show no coherent patch at 40 (0 of 200).
 */
export const SMALL_PAGE_MIN_BLOCK_ENERGY = 40;
/** Pages up to this many pixels (the working copy) use `SMALL_PAGE_MIN_BLOCK_ENERGY`. */
export const SMALL_PAGE_PIXELS = 350_000;
/** Structure-tensor coherence a block needs (0 = isotropic, 1 = one direction). */
export const MIN_COHERENCE = 0.75;
/** Blocks a same-direction connected patch needs to count as a possible code. */
export const MIN_PATCH_BLOCKS = 6;
/** Extent (blocks) a patch needs both along its bars and across them: text lines are one block tall. */
export const MIN_BAR_EXTENT = 3;
/** Orientation bins (over 180°) used to group blocks; neighbours within one bin join. */
const ANGLE_BINS = 12;

/** Area-average downscale to at most `maxSide` on the longer side (no copy when already small). */
function downscale(img: GrayImage, maxSide: number): GrayImage {
  const f = Math.ceil(Math.max(img.width, img.height) / maxSide);
  if (f <= 1) return img;
  const width = Math.floor(img.width / f);
  const height = Math.floor(img.height / f);
  const out = new Uint8Array(width * height);
  const n = f * f;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * img.width + x * f;
        for (let dx = 0; dx < f; dx++) s += img.data[row + dx];
      }
      out[y * width + x] = s / n;
    }
  }
  return { data: out, width, height };
}

export interface PresenceResult {
  /** A patch of coherent parallel edges big enough to be a linear code. */
  likely: boolean;
  /** Blocks in the patch reported (the first likely one, else the largest). */
  largestPatch: number;
  /** Its extent along the bars and across them, in blocks. */
  barExtent: number;
  acrossExtent: number;
}

/**
 * Looks for a linear-code-like patch on the page (see the module comment).
 * @param minBlockEnergy gradient energy a block needs; default by page size (`SMALL_PAGE_MIN_BLOCK_ENERGY` when small)
 */
export function linearCodePresence(
  img: GrayImage,
  minBlockEnergy = img.width * img.height <= SMALL_PAGE_PIXELS ? SMALL_PAGE_MIN_BLOCK_ENERGY : MIN_BLOCK_ENERGY,
): PresenceResult {
  const g = downscale(img, PRESENCE_MAX_SIDE);
  const bw = Math.floor(g.width / PRESENCE_BLOCK);
  const bh = Math.floor(g.height / PRESENCE_BLOCK);
  if (bw < 2 || bh < 2) return { likely: true, largestPatch: 0, barExtent: 0, acrossExtent: 0 };
  const bins = new Int8Array(bw * bh).fill(-1);
  // Normalised structure tensor per block, summed over a patch for its exact direction.
  const txx = new Float32Array(bw * bh);
  const tyy = new Float32Array(bw * bh);
  const txy = new Float32Array(bw * bh);
  const { data, width } = g;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let jxx = 0;
      let jyy = 0;
      let jxy = 0;
      const y0 = Math.max(1, by * PRESENCE_BLOCK);
      const y1 = Math.min(g.height - 1, (by + 1) * PRESENCE_BLOCK);
      const x0 = Math.max(1, bx * PRESENCE_BLOCK);
      const x1 = Math.min(width - 1, (bx + 1) * PRESENCE_BLOCK);
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        for (let x = x0; x < x1; x++) {
          const gx = (data[row + x + 1] - data[row + x - 1]) / 2;
          const gy = (data[row + width + x] - data[row - width + x]) / 2;
          jxx += gx * gx;
          jyy += gy * gy;
          jxy += gx * gy;
        }
      }
      const n = Math.max(1, (y1 - y0) * (x1 - x0));
      const energy = (jxx + jyy) / n;
      if (energy < minBlockEnergy) continue;
      const coherence = Math.sqrt((jxx - jyy) ** 2 + 4 * jxy * jxy) / (jxx + jyy);
      if (coherence < MIN_COHERENCE) continue;
      // Dominant gradient direction in [0, π).
      const theta = (0.5 * Math.atan2(2 * jxy, jxx - jyy) + Math.PI) % Math.PI;
      const b = by * bw + bx;
      const sum = jxx + jyy;
      txx[b] = jxx / sum;
      tyy[b] = jyy / sum;
      txy[b] = jxy / sum;
      bins[by * bw + bx] = Math.min(ANGLE_BINS - 1, Math.floor((theta / Math.PI) * ANGLE_BINS));
    }
  }
  // Connected patches (4-neighbours) of blocks whose directions differ by at most one bin (cyclic).
  const seen = new Uint8Array(bw * bh);
  const stack: number[] = [];
  const members: number[] = [];
  let best: PresenceResult = { likely: false, largestPatch: 0, barExtent: 0, acrossExtent: 0 };
  for (let i = 0; i < bins.length; i++) {
    if (bins[i] < 0 || seen[i]) continue;
    members.length = 0;
    seen[i] = 1;
    stack.push(i);
    while (stack.length > 0) {
      const j = stack.pop()!;
      members.push(j);
      const x = j % bw;
      const y = (j - x) / bw;
      for (const k of [x > 0 ? j - 1 : -1, x < bw - 1 ? j + 1 : -1, y > 0 ? j - bw : -1, y < bh - 1 ? j + bw : -1]) {
        if (k < 0 || seen[k] || bins[k] < 0) continue;
        const d = Math.abs(bins[k] - bins[j]);
        if (Math.min(d, ANGLE_BINS - d) > 1) continue;
        seen[k] = 1;
        stack.push(k);
      }
    }
    if (members.length < MIN_PATCH_BLOCKS) continue;
    // Extent of the patch along the bars (perpendicular to the gradient) and across them, in blocks.
    let sxx = 0, syy = 0, sxy = 0;
    for (const j of members) {
      sxx += txx[j];
      syy += tyy[j];
      sxy += txy[j];
    }
    const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    const [gx, gy] = [Math.cos(theta), Math.sin(theta)];
    let aMin = Infinity, aMax = -Infinity, cMin = Infinity, cMax = -Infinity;
    for (const j of members) {
      const x = j % bw;
      const y = (j - x) / bw;
      const across = x * gx + y * gy;
      const along = -x * gy + y * gx;
      aMin = Math.min(aMin, along); aMax = Math.max(aMax, along);
      cMin = Math.min(cMin, across); cMax = Math.max(cMax, across);
    }
    const barExtent = aMax - aMin + 1;
    const acrossExtent = cMax - cMin + 1;
    const likely = barExtent >= MIN_BAR_EXTENT && acrossExtent >= MIN_BAR_EXTENT;
    if ((likely && !best.likely) || (likely === best.likely && members.length > best.largestPatch)) {
      best = { likely, largestPatch: members.length, barExtent, acrossExtent };
    }
  }
  return best;
}
