/**
 * Crops → NCHW float tensors for the classifier and recogniser: BGR order, (x/255 − 0.5)/0.5, right-padded with 0
 * (PaddleOCR's resize_norm_img). Pure.
 */
import type { Crop } from './crop.js';

/**
 * Packs crops of equal height into one [N, 3, H, width] tensor; narrower crops are padded on the right with 0
 * (mid-grey after normalisation), wider ones are cut at `width`.
 * @throws Error when the crops' heights differ.
 */
export function cropsToTensor(crops: readonly Crop[], width: number): { data: Float32Array; dims: [number, 3, number, number] } {
  const height = crops[0]?.height ?? 0;
  const plane = height * width;
  const data = new Float32Array(crops.length * 3 * plane);
  crops.forEach((c, n) => {
    if (c.height !== height) throw new Error(`Expected crops of height ${height}, got ${c.height}`);
    const base = n * 3 * plane;
    const w = Math.min(width, c.width);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < w; x++) {
        const o = (y * c.width + x) * 3;
        const i = y * width + x;
        data[base + i] = c.data[o + 2] / 127.5 - 1; // B
        data[base + plane + i] = c.data[o + 1] / 127.5 - 1; // G
        data[base + 2 * plane + i] = c.data[o] / 127.5 - 1; // R
      }
    }
  });
  return { data, dims: [crops.length, 3, height, width] };
}
