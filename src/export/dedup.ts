import type { RawImage } from '../crop/warp.js';

/**
 * De-duplication of line crops, in the order they are offered (the first one is kept):
 * - identical crops: same pixels (SHA-256 of the crop);
 * - near-duplicates: same label, nearly the same size, and pixels that correlate at
 *   ≥ `nearCorrelation` once aligned within ±ALIGN_PX pixels. That catches the same line exported
 *   twice with jittered boxes, a re-encoded or re-scanned copy of a photo, while the same words
 *   printed on another receipt (different paper, noise and print) stay: on SROIE such pairs
 *   correlate at ≤ 0.98 while jittered or JPEG-recompressed copies reach 0.97-1.0.
 */

/** Largest box jitter (pixels) under which two crops still count as the same capture. */
export const ALIGN_PX = 3;
/** Size tolerance for "the same size": |Δw| ≤ max(3 px, 3 %), |Δh| ≤ max(2 px, 6 %). */
const SIZE_TOL_W = { px: 3, frac: 0.03 };
const SIZE_TOL_H = { px: 2, frac: 0.06 };
/** Comparisons per label are bounded: only the most recent kept crops of a label are compared. */
export const MAX_COMPARE_PER_LABEL = 32;
/** Grey pixels held for near-duplicate checks; beyond it the oldest labels are forgotten. */
export const MAX_HELD_BYTES = 256 * 1024 * 1024;

export type DedupVerdict = 'unique' | 'duplicate' | 'near_duplicate';

interface Grey {
  g: Uint8Array;
  w: number;
  h: number;
}

interface Held extends Grey {
  /** Column and row sums: cheap 1-D views that rule out most pairs before the 2-D check. */
  cols: Float64Array;
  rows: Float64Array;
  /** Half-resolution copy, made on first use. */
  half?: Grey;
}

/** What de-duplication needs to know about a crop (computed where the crop is made; plain data, transferable). */
export interface CropFeatures extends Held {
  /** SHA-256 of the crop's pixels. */
  hash: string;
}

/** Fingerprints a crop for `Deduper.offer`; `pixels` false skips what only near-duplicate checks need. */
export function features(crop: RawImage, hash: string, pixels = true): CropFeatures {
  if (!pixels) return { hash, g: new Uint8Array(0), w: crop.width, h: crop.height, cols: new Float64Array(0), rows: new Float64Array(0) };
  return { hash, ...profiles(toGrey(crop)) };
}

/**
 * A pair whose column or row profiles correlate below this (at the best shift) is not a near-duplicate.
 * Projections average out noise: on SROIE, every jittered or recompressed copy that reaches 0.98 in
 * 2-D scores ≥ 0.97 here, so this loose bound only saves the 2-D work.
 */
const PROFILE_MIN = 0.9;

function profiles(g: Grey): Held {
  const cols = new Float64Array(g.w);
  const rows = new Float64Array(g.h);
  for (let y = 0, i = 0; y < g.h; y++) {
    for (let x = 0; x < g.w; x++, i++) {
      cols[x] += g.g[i];
      rows[y] += g.g[i];
    }
  }
  return { ...g, cols, rows };
}

function heldBytes(h: Held): number {
  // The half-resolution copy (a quarter of the pixels) is counted up front.
  return Math.ceil(h.g.length * 1.25) + 8 * (h.cols.length + h.rows.length);
}

/** Best normalised correlation of two 1-D profiles over shifts within ±radius (on their overlap). */
export function profileCorrelation(a: Float64Array, b: Float64Array, radius = ALIGN_PX): number {
  let best = -1;
  for (let d = -radius; d <= radius; d++) {
    const i0 = Math.max(0, d);
    const i1 = Math.min(a.length, b.length + d);
    const n = i1 - i0;
    if (n < 2) continue;
    let sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    for (let i = i0; i < i1; i++) {
      const va = a[i];
      const vb = b[i - d];
      sa += va;
      sb += vb;
      sab += va * vb;
      saa += va * va;
      sbb += vb * vb;
    }
    const cov = sab - (sa * sb) / n;
    const xa = saa - (sa * sa) / n;
    const xb = sbb - (sb * sb) / n;
    const c = xa <= 1e-9 || xb <= 1e-9 ? (xa <= 1e-9 && xb <= 1e-9 ? 1 : 0) : cov / Math.sqrt(xa * xb);
    if (c > best) best = c;
  }
  return best;
}

function toGrey(img: RawImage): Grey {
  const { width: w, height: h, channels: c, data } = img;
  if (c === 1) return { g: new Uint8Array(data.buffer, data.byteOffset, w * h).slice(), w, h };
  const g = new Uint8Array(w * h);
  for (let i = 0, j = 0; i < g.length; i++, j += c) g[i] = (data[j] * 299 + data[j + 1] * 587 + data[j + 2] * 114 + 500) / 1000;
  return { g, w, h };
}

function sameSize(a: Grey, b: Grey): boolean {
  return (
    Math.abs(a.w - b.w) <= Math.max(SIZE_TOL_W.px, SIZE_TOL_W.frac * a.w) &&
    Math.abs(a.h - b.h) <= Math.max(SIZE_TOL_H.px, SIZE_TOL_H.frac * a.h)
  );
}

/** Normalised cross-correlation of `a` and `b` shifted by (dx, dy), on their overlap; null when the overlap is tiny. */
function correlationAt(a: Grey, b: Grey, dx: number, dy: number): number | null {
  const x0 = Math.max(0, dx);
  const y0 = Math.max(0, dy);
  const x1 = Math.min(a.w, b.w + dx);
  const y1 = Math.min(a.h, b.h + dy);
  if (x1 - x0 < 2 || y1 - y0 < 2) return null;
  let sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
  for (let y = y0; y < y1; y++) {
    let ia = y * a.w + x0;
    let ib = (y - dy) * b.w + x0 - dx;
    for (let x = x0; x < x1; x++, ia++, ib++) {
      const va = a.g[ia];
      const vb = b.g[ib];
      sa += va;
      sb += vb;
      sab += va * vb;
      saa += va * va;
      sbb += vb * vb;
    }
  }
  const n = (x1 - x0) * (y1 - y0);
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  if (va <= 1e-9 || vb <= 1e-9) return va <= 1e-9 && vb <= 1e-9 && Math.abs(sa / n - sb / n) < 1 ? 1 : 0;
  return cov / Math.sqrt(va * vb);
}

/**
 * Highest normalised cross-correlation of two grey crops over integer shifts within ±radius,
 * computed on their overlap. -1..1; a flat overlap counts as 0 (1 when both are the same flat grey).
 */
export function alignedCorrelation(a: Grey, b: Grey, radius = ALIGN_PX): number {
  let best = -1;
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const c = correlationAt(a, b, dx, dy);
      if (c !== null && c > best) best = c;
    }
  }
  return best;
}

/** 2×2 box-averaged copy (odd edges dropped). */
function halve(g: Grey): Grey {
  const w = g.w >> 1;
  const h = g.h >> 1;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * g.w;
    const r1 = r0 + g.w;
    for (let x = 0; x < w; x++) out[y * w + x] = (g.g[r0 + 2 * x] + g.g[r0 + 2 * x + 1] + g.g[r1 + 2 * x] + g.g[r1 + 2 * x + 1] + 2) >> 2;
  }
  return { g: out, w, h };
}

/**
 * alignedCorrelation ≥ threshold, computed coarse to fine: the best shift is searched at half
 * resolution, then refined at full resolution in its 3×3 neighbourhood (about 3× less work; the
 * neighbourhood of either coarse shift next to an odd true shift contains it).
 */
export function nearlyEqual(a: Held, b: Held, threshold: number, radius = ALIGN_PX): boolean {
  if (a.w < 8 || a.h < 8 || b.w < 8 || b.h < 8) return alignedCorrelation(a, b, radius) >= threshold;
  const ha = (a.half ??= halve(a));
  const hb = (b.half ??= halve(b));
  const r = Math.ceil(radius / 2);
  let best = -1;
  let bdx = 0;
  let bdy = 0;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const c = correlationAt(ha, hb, dx, dy);
      if (c !== null && c > best) [best, bdx, bdy] = [c, dx, dy];
    }
  }
  // No early rejection on the coarse score: an odd shift is half a coarse pixel, which blurs thin strokes apart.
  if (best === -1) return false;
  for (let dy = 2 * bdy - 1; dy <= 2 * bdy + 1; dy++) {
    for (let dx = 2 * bdx - 1; dx <= 2 * bdx + 1; dx++) {
      if (Math.abs(dx) > radius || Math.abs(dy) > radius) continue;
      const c = correlationAt(a, b, dx, dy);
      if (c !== null && c >= threshold) return true;
    }
  }
  return false;
}

export interface DedupOptions {
  /** Drop identical and near-duplicate crops at all. */
  enabled: boolean;
  /** Correlation (0..1) at or above which same-label, same-size crops are near-duplicates; 1 disables them. */
  nearCorrelation: number;
}

/** Keeps what it has seen; one instance per export run. */
export class Deduper {
  private readonly hashes = new Set<string>();
  private readonly byLabel = new Map<string, Held[]>();
  private held = 0;
  readonly stats = { duplicate: 0, near_duplicate: 0 };

  constructor(private readonly opts: DedupOptions) {}

  /** Judges a crop and, when it is unique, remembers it. */
  offer(label: string, f: CropFeatures): DedupVerdict {
    if (!this.opts.enabled) return 'unique';
    if (this.hashes.has(f.hash)) {
      this.stats.duplicate++;
      return 'duplicate';
    }
    if (this.opts.nearCorrelation >= 1) {
      this.hashes.add(f.hash);
      return 'unique';
    }
    const list = this.byLabel.get(label);
    if (list) {
      for (let i = list.length - 1; i >= Math.max(0, list.length - MAX_COMPARE_PER_LABEL); i--) {
        const other = list[i];
        if (
          sameSize(f, other) &&
          profileCorrelation(f.cols, other.cols) >= PROFILE_MIN &&
          profileCorrelation(f.rows, other.rows) >= PROFILE_MIN &&
          nearlyEqual(f, other, this.opts.nearCorrelation)
        ) {
          this.stats.near_duplicate++;
          return 'near_duplicate';
        }
      }
    }
    this.hashes.add(f.hash);
    this.remember(label, { g: f.g, w: f.w, h: f.h, cols: f.cols, rows: f.rows, half: f.half }, list);
    return 'unique';
  }

  private remember(label: string, grey: Held, list: Held[] | undefined): void {
    const l = list ?? [];
    l.push(grey);
    this.held += heldBytes(grey);
    if (l.length > MAX_COMPARE_PER_LABEL) this.held -= heldBytes(l.shift()!);
    // Re-insert so the Map's order is least-recently-used first.
    this.byLabel.delete(label);
    this.byLabel.set(label, l);
    for (const [k, v] of this.byLabel) {
      if (this.held <= MAX_HELD_BYTES) break;
      for (const g of v) this.held -= heldBytes(g);
      this.byLabel.delete(k);
    }
  }
}
