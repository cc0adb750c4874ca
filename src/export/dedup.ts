import { pixelHash } from './fingerprint.js';
import type { RawImage } from './warp.js';

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

/**
 * Highest normalised cross-correlation of two grey crops over integer shifts within ±radius,
 * computed on their overlap (one pass per shift). -1..1; a flat overlap counts as 0.
 */
export function alignedCorrelation(a: Grey, b: Grey, radius = ALIGN_PX): number {
  let best = -1;
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const x0 = Math.max(0, dx);
      const y0 = Math.max(0, dy);
      const x1 = Math.min(a.w, b.w + dx);
      const y1 = Math.min(a.h, b.h + dy);
      if (x1 - x0 < 2 || y1 - y0 < 2) continue;
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
      const c = va <= 1e-9 || vb <= 1e-9 ? (va <= 1e-9 && vb <= 1e-9 && Math.abs(sa / n - sb / n) < 1 ? 1 : 0) : cov / Math.sqrt(va * vb);
      if (c > best) best = c;
    }
  }
  return best;
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
  private readonly byLabel = new Map<string, Grey[]>();
  private held = 0;
  readonly stats = { duplicate: 0, near_duplicate: 0 };

  constructor(private readonly opts: DedupOptions) {}

  /** Judges a crop and, when it is unique, remembers it. `hash` may be passed when already computed. */
  offer(label: string, crop: RawImage, hash = pixelHash(crop)): DedupVerdict {
    if (!this.opts.enabled) return 'unique';
    if (this.hashes.has(hash)) {
      this.stats.duplicate++;
      return 'duplicate';
    }
    const grey = toGrey(crop);
    const list = this.byLabel.get(label);
    if (list && this.opts.nearCorrelation < 1) {
      for (let i = list.length - 1; i >= Math.max(0, list.length - MAX_COMPARE_PER_LABEL); i--) {
        const other = list[i];
        if (sameSize(grey, other) && alignedCorrelation(grey, other) >= this.opts.nearCorrelation) {
          this.stats.near_duplicate++;
          return 'near_duplicate';
        }
      }
    }
    this.hashes.add(hash);
    this.remember(label, grey, list);
    return 'unique';
  }

  private remember(label: string, grey: Grey, list: Grey[] | undefined): void {
    if (this.opts.nearCorrelation >= 1) return;
    const l = list ?? [];
    l.push(grey);
    this.held += grey.g.length;
    if (l.length > MAX_COMPARE_PER_LABEL) this.held -= l.shift()!.g.length;
    // Re-insert so the Map's order is least-recently-used first.
    this.byLabel.delete(label);
    this.byLabel.set(label, l);
    for (const [k, v] of this.byLabel) {
      if (this.held <= MAX_HELD_BYTES) break;
      for (const g of v) this.held -= g.g.length;
      this.byLabel.delete(k);
    }
  }
}
