/**
 * Pure greyscale image transforms for the barcode retry passes.
 *
 * They work on 1-channel 8-bit buffers (what `toGray` yields) and never re-encode: each returns a new
 * buffer plus its size and the affine map back to the source image, so boxes found on a variant are
 * reported in original pixels. Kept in JS on purpose: on the small images these passes see
 * (typically < 1 MP) a plain loop beats a round trip through sharp's thread pool by 10-20x.
 */

/** A greyscale raster plus how to map its coordinates back to the original image. */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Maps a point of a variant back to the source image. */
export type PointMap = (x: number, y: number) => [number, number];

export interface Variant extends GrayImage {
  /** Variant pixel → source pixel. */
  toSource: PointMap;
}

const identity: PointMap = (x, y) => [x, y];

/** Wraps a source image as the identity variant. */
export function asVariant(img: GrayImage): Variant {
  return { ...img, toSource: identity };
}

/**
 * Bilinear resample by independent x/y factors (factor > 1 enlarges).
 * Downscaling by ≥ 2 averages source blocks first so thin bars are not aliased away.
 */
export function scale(img: GrayImage, fx: number, fy: number = fx): Variant {
  const width = Math.max(1, Math.round(img.width * fx));
  const height = Math.max(1, Math.round(img.height * fy));
  const { data: src, width: sw, height: sh } = img;
  const out = new Uint8Array(width * height);
  const rx = sw / width;
  const ry = sh / height;
  // Precompute the x taps once per column.
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const wxs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * rx - 0.5));
    const x0 = Math.floor(sx);
    x0s[x] = x0;
    x1s[x] = Math.min(sw - 1, x0 + 1);
    wxs[x] = sx - x0;
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * ry - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = sy - y0;
    const r0 = y0 * sw;
    const r1 = y1 * sw;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = src[r0 + x0s[x]] + (src[r0 + x1s[x]] - src[r0 + x0s[x]]) * wxs[x];
      const b = src[r1 + x0s[x]] + (src[r1 + x1s[x]] - src[r1 + x0s[x]]) * wxs[x];
      out[o + x] = a + (b - a) * wy + 0.5;
    }
  }
  return { data: out, width, height, toSource: (x, y) => [x * rx, y * ry] };
}

/** Integer block-average downscale (area filter): keeps thin bars as grey instead of dropping them. */
export function shrink(img: GrayImage, factor: number): Variant {
  const f = Math.max(1, Math.floor(factor));
  const width = Math.max(1, Math.floor(img.width / f));
  const height = Math.max(1, Math.floor(img.height / f));
  const out = new Uint8Array(width * height);
  const { data: src, width: sw } = img;
  const n = f * f;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * sw + x * f;
        for (let dx = 0; dx < f; dx++) sum += src[row + dx];
      }
      out[y * width + x] = (sum + (n >> 1)) / n;
    }
  }
  return { data: out, width, height, toSource: (x, y) => [x * f, y * f] };
}

/** Separable box blur, radius r (three passes approximate a Gaussian). */
function boxBlur(src: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const tmp = new Uint8Array(src.length);
  const out = new Uint8Array(src.length);
  const win = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += src[row + Math.min(width - 1, Math.max(0, k))];
    for (let x = 0; x < width; x++) {
      tmp[row + x] = acc / win + 0.5;
      acc += src[row + Math.min(width - 1, x + r + 1)] - src[row + Math.max(0, x - r)];
    }
  }
  for (let x = 0; x < width; x++) {
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += tmp[Math.min(height - 1, Math.max(0, k)) * width + x];
    for (let y = 0; y < height; y++) {
      out[y * width + x] = acc / win + 0.5;
      acc += tmp[Math.min(height - 1, y + r + 1) * width + x] - tmp[Math.max(0, y - r) * width + x];
    }
  }
  return out;
}

/**
 * Unsharp mask: `out = src + amount · (src − blur(src))`, blur ≈ Gaussian of the given sigma (px).
 * Restores edge contrast on slightly defocused bars.
 */
export function sharpen(img: GrayImage, sigma: number, amount: number): Variant {
  const r = Math.max(1, Math.round(sigma));
  let blur = boxBlur(img.data, img.width, img.height, r);
  blur = boxBlur(blur, img.width, img.height, r);
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = img.data[i] + amount * (img.data[i] - blur[i]);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, width: img.width, height: img.height, toSource: identity };
}

/**
 * Rotates by `deg` (clockwise, any angle) about the centre onto a canvas that holds the whole image;
 * uncovered pixels are white (a quiet zone, never a fake edge).
 */
export function rotate(img: GrayImage, deg: number): Variant {
  const rad = (deg * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const { width: sw, height: sh, data: src } = img;
  // The epsilon keeps 90° turns exact (cos 90° is 6e-17, not 0).
  const width = Math.ceil(Math.abs(sw * cos) + Math.abs(sh * sin) - 1e-9);
  const height = Math.ceil(Math.abs(sw * sin) + Math.abs(sh * cos) - 1e-9);
  const out = new Uint8Array(width * height).fill(255);
  const cx = sw / 2;
  const cy = sh / 2;
  const ox = width / 2;
  const oy = height / 2;
  for (let y = 0; y < height; y++) {
    const dy = y + 0.5 - oy;
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - ox;
      // Inverse map: rotate the output point back by -deg.
      const sx = dx * cos + dy * sin + cx - 0.5;
      const sy = -dx * sin + dy * cos + cy - 0.5;
      if (sx < 0 || sy < 0 || sx > sw - 1 || sy > sh - 1) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(sw - 1, x0 + 1);
      const y1 = Math.min(sh - 1, y0 + 1);
      const wx = sx - x0;
      const wy = sy - y0;
      const a = src[y0 * sw + x0] + (src[y0 * sw + x1] - src[y0 * sw + x0]) * wx;
      const b = src[y1 * sw + x0] + (src[y1 * sw + x1] - src[y1 * sw + x0]) * wx;
      out[y * width + x] = a + (b - a) * wy + 0.5;
    }
  }
  const toSource: PointMap = (x, y) => {
    const dx = x - ox;
    const dy = y - oy;
    return [dx * cos + dy * sin + cx, -dx * sin + dy * cos + cy];
  };
  return { data: out, width, height, toSource };
}

/** Adds a white border of `px` pixels: gives codes cut at the image edge a quiet zone. */
export function pad(img: GrayImage, px: number): Variant {
  const width = img.width + 2 * px;
  const height = img.height + 2 * px;
  const out = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < img.height; y++) {
    out.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + px) * width + px);
  }
  return { data: out, width, height, toSource: (x, y) => [x - px, y - px] };
}

/**
 * Linear contrast stretch between the `clip` and `1 − clip` quantiles of the histogram:
 * glare and grey-on-grey prints get full range before binarisation.
 */
export function stretch(img: GrayImage, clip = 0.01): Variant {
  const hist = new Uint32Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]]++;
  const cut = img.data.length * clip;
  let lo = 0;
  for (let acc = 0; lo < 255 && acc + hist[lo] <= cut; lo++) acc += hist[lo];
  let hi = 255;
  for (let acc = 0; hi > 0 && acc + hist[hi] <= cut; hi--) acc += hist[hi];
  const out = new Uint8Array(img.data.length);
  if (hi <= lo) {
    out.set(img.data);
  } else {
    const lut = new Uint8Array(256);
    for (let v = 0; v < 256; v++) lut[v] = Math.min(255, Math.max(0, Math.round(((v - lo) * 255) / (hi - lo))));
    for (let i = 0; i < out.length; i++) out[i] = lut[img.data[i]];
  }
  return { data: out, width: img.width, height: img.height, toSource: identity };
}

/** Chains two variants: `second` was computed from `first`. */
export function compose(first: Variant, second: Variant): Variant {
  return {
    data: second.data,
    width: second.width,
    height: second.height,
    toSource: (x, y) => {
      const [mx, my] = second.toSource(x, y);
      return first.toSource(mx, my);
    },
  };
}

