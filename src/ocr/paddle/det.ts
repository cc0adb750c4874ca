/**
 * Detector input: the page resized (sharp) so each side is a multiple of 32 and the longer side at most `maxSide`,
 * framed by a margin, normalised to the detector's BGR ImageNet statistics; and the inverse mapping of its boxes.
 */
import sharp from 'sharp';
import type { PageImage, Quad } from '../../core/types.js';
import type { DetBox } from './det-post.js';

/** The detector's stride: input sides must be multiples of it. */
export const DET_STRIDE = 32;
/** ImageNet statistics in the detector's channel order (B, G, R), as PaddleOCR's NormalizeImage on cv2 images. */
const DET_MEAN_BGR = [0.485, 0.456, 0.406] as const;
const DET_STD_BGR = [0.229, 0.224, 0.225] as const;

/** A prepared detector input and the transform to undo on its boxes. */
export interface DetInput {
  data: Float32Array;
  dims: [1, 3, number, number];
  /** Map pixels per page pixel, horizontally and vertically. */
  scaleX: number;
  scaleY: number;
  /** Margin in map pixels on every side of the resized page. */
  margin: number;
}

/**
 * Target size of the resized page (without margin): sides plus margins multiples of 32, longer side ≤ maxSide (no
 * upscaling), and every side at least 1 px: a side that rounds below the margins (a narrow strip, or a short side
 * of a very long page) gets the smallest stride multiple that still leaves room for it (it was 0, and sharp threw).
 */
export function detSize(width: number, height: number, maxSide: number, margin: number): { w: number; h: number } {
  const ratio = Math.min(1, (maxSide - 2 * margin) / Math.max(width, height));
  const smallest = Math.ceil((2 * margin + 1) / DET_STRIDE) * DET_STRIDE;
  const round = (v: number, m: number) => Math.max(smallest, Math.round((v * ratio + 2 * m) / DET_STRIDE) * DET_STRIDE) - 2 * m;
  return { w: round(width, margin), h: round(height, margin) };
}

/** Mean colour of the page's outer pixel ring (used to frame the page without a visible edge). */
export function borderColour(page: PageImage): number[] {
  const { data, width, height, channels } = page;
  const sums = new Array<number>(channels).fill(0);
  let n = 0;
  const add = (x: number, y: number) => {
    const o = (y * width + x) * channels;
    for (let c = 0; c < channels; c++) sums[c] += data[o + c];
    n++;
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    if (height > 1) add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    if (width > 1) add(width - 1, y);
  }
  return sums.map((s) => Math.round(s / Math.max(1, n)));
}

/**
 * Resizes and normalises a page for the detector.
 * @param margin map pixels of border-coloured frame around the page (text touching the edge is found more reliably)
 */
export async function prepareDetInput(page: PageImage, maxSide: number, margin: number): Promise<DetInput> {
  const { w, h } = detSize(page.width, page.height, maxSide, margin);
  const channels = page.channels;
  const bg = borderColour(page);
  const colour = channels >= 3 ? { r: bg[0], g: bg[1], b: bg[2], alpha: 1 } : { r: bg[0], g: bg[0], b: bg[0], alpha: 1 };
  const { data: rgb, info } = await sharp(page.data, { raw: { width: page.width, height: page.height, channels } })
    .removeAlpha()
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: colour })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const W = info.width, H = info.height, ch = info.channels;
  const plane = W * H;
  const out = new Float32Array(3 * plane);
  for (let i = 0, o = 0; i < plane; i++, o += ch) {
    const r = rgb[o], g = ch >= 3 ? rgb[o + 1] : r, b = ch >= 3 ? rgb[o + 2] : r;
    out[i] = (b / 255 - DET_MEAN_BGR[0]) / DET_STD_BGR[0];
    out[plane + i] = (g / 255 - DET_MEAN_BGR[1]) / DET_STD_BGR[1];
    out[2 * plane + i] = (r / 255 - DET_MEAN_BGR[2]) / DET_STD_BGR[2];
  }
  return { data: out, dims: [1, 3, H, W], scaleX: w / page.width, scaleY: h / page.height, margin };
}

/** Maps detector boxes back to page pixels (the inverse of margin + resize), clipped to the page. */
export function boxesToPage(boxes: readonly DetBox[], input: DetInput, page: { width: number; height: number }): DetBox[] {
  return boxes.map((b) => ({
    score: b.score,
    quad: b.quad.map(([x, y]) => [
      Math.min(page.width, Math.max(0, (x - input.margin) / input.scaleX)),
      Math.min(page.height, Math.max(0, (y - input.margin) / input.scaleY)),
    ]) as Quad,
  }));
}
