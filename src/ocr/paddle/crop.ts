/**
 * Cuts a text box (any convex quad) out of a page as an upright RGB strip: sampled straight at the target height,
 * with supersampling when shrinking, so each crop is resampled once. Pure.
 */
import type { PageImage, Quad } from '../../core/types.js';
import { quadSize, type Point } from '../../core/geometry.js';

/** An upright 3-channel crop (RGB, interleaved). */
export interface Crop {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Most sub-samples per axis when a crop is shrunk (anti-aliasing). */
const MAX_SUPERSAMPLE = 4;

/** The quad grown by `px` page pixels along and `py` across its text direction. */
export function growQuad(q: Quad, px: number, py: number): Quad {
  const [tl, tr, br, bl] = q;
  const ux = (tr[0] - tl[0] + br[0] - bl[0]) / 2, uy = (tr[1] - tl[1] + br[1] - bl[1]) / 2;
  const ul = Math.hypot(ux, uy) || 1;
  const vx = (bl[0] - tl[0] + br[0] - tr[0]) / 2, vy = (bl[1] - tl[1] + br[1] - tr[1]) / 2;
  const vl = Math.hypot(vx, vy) || 1;
  const a: Point = [(ux / ul) * px, (uy / ul) * px];
  const b: Point = [(vx / vl) * py, (vy / vl) * py];
  return [
    [tl[0] - a[0] - b[0], tl[1] - a[1] - b[1]],
    [tr[0] + a[0] - b[0], tr[1] + a[1] - b[1]],
    [br[0] + a[0] + b[0], br[1] + a[1] + b[1]],
    [bl[0] - a[0] + b[0], bl[1] - a[1] + b[1]],
  ];
}

/**
 * Samples the quad into an upright crop of `outH` rows. Width follows the quad's aspect ratio (at least 1),
 * capped at `maxW`. Points outside the page take the nearest edge pixel.
 */
export function cropQuad(page: PageImage, q: Quad, outH: number, maxW = Infinity): Crop {
  const { width: qw, height: qh } = quadSize(q);
  const height = Math.max(1, Math.round(outH));
  const width = Math.max(1, Math.min(maxW, Math.round((qw / Math.max(qh, 1e-6)) * height)));
  const sx = Math.min(MAX_SUPERSAMPLE, Math.max(1, Math.ceil(qw / width)));
  const sy = Math.min(MAX_SUPERSAMPLE, Math.max(1, Math.ceil(qh / height)));
  const out = new Uint8Array(width * height * 3);
  const { data, width: pw, height: ph, channels } = page;
  const [tl, tr, br, bl] = q;
  const acc = [0, 0, 0];
  const n = sx * sy;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let j = 0; j < sy; j++) {
        const t = (v + (j + 0.5) / sy) / height;
        for (let i = 0; i < sx; i++) {
          const s = (u + (i + 0.5) / sx) / width;
          // Bilinear interpolation of the corners: exact for rectangles, close to a homography for mild quads.
          const x = (1 - t) * ((1 - s) * tl[0] + s * tr[0]) + t * ((1 - s) * bl[0] + s * br[0]) - 0.5;
          const y = (1 - t) * ((1 - s) * tl[1] + s * tr[1]) + t * ((1 - s) * bl[1] + s * br[1]) - 0.5;
          sample(data, pw, ph, channels, x, y, acc);
        }
      }
      const o = (v * width + u) * 3;
      out[o] = Math.round(acc[0] / n);
      out[o + 1] = Math.round(acc[1] / n);
      out[o + 2] = Math.round(acc[2] / n);
    }
  }
  return { data: out, width, height };
}

/** Adds the bilinear sample at (x, y) to acc[0..2] (grey pages give three equal channels). */
function sample(data: Buffer, w: number, h: number, ch: number, x: number, y: number, acc: number[]): void {
  const xc = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const yc = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.floor(xc), y0 = Math.floor(yc);
  const x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = xc - x0, fy = yc - y0;
  const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
  const o00 = (y0 * w + x0) * ch, o10 = (y0 * w + x1) * ch, o01 = (y1 * w + x0) * ch, o11 = (y1 * w + x1) * ch;
  for (let c = 0; c < 3; c++) {
    const k = ch >= 3 ? c : 0;
    acc[c] += data[o00 + k] * w00 + data[o10 + k] * w10 + data[o01 + k] * w01 + data[o11 + k] * w11;
  }
}

/** The crop turned by 180°. */
export function rotate180(c: Crop): Crop {
  const out = new Uint8Array(c.data.length);
  const px = c.width * c.height;
  for (let i = 0; i < px; i++) {
    const j = (px - 1 - i) * 3;
    out[i * 3] = c.data[j];
    out[i * 3 + 1] = c.data[j + 1];
    out[i * 3 + 2] = c.data[j + 2];
  }
  return { data: out, width: c.width, height: c.height };
}

/** The quad's corners relabelled as seen after turning the text by 180° (TL becomes BR …). */
export function rotateQuad180(q: Quad): Quad {
  return [q[2], q[3], q[0], q[1]];
}

/** A crop resampled to a new width (same height), bilinear along x; used to fit the classifier's 192 columns. */
export function resizeWidth(c: Crop, width: number): Crop {
  if (width === c.width) return c;
  const out = new Uint8Array(width * c.height * 3);
  const scale = c.width / width;
  for (let u = 0; u < width; u++) {
    // Box filter when shrinking: average the source span this column covers.
    const x0 = u * scale, x1 = (u + 1) * scale;
    for (let v = 0; v < c.height; v++) {
      for (let k = 0; k < 3; k++) {
        let sum = 0, wsum = 0;
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wgt = Math.min(x + 1, x1) - Math.max(x, x0);
          if (wgt <= 0) continue;
          sum += c.data[(v * c.width + Math.min(x, c.width - 1)) * 3 + k] * wgt;
          wsum += wgt;
        }
        out[(v * width + u) * 3 + k] = Math.round(sum / (wsum || 1));
      }
    }
  }
  return { data: out, width, height: c.height };
}

/** The crop as a tesseract-ready page (3-channel raw pixels). */
export function cropToPage(c: Crop): PageImage {
  return { data: Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength), width: c.width, height: c.height, channels: 3, page: null };
}
