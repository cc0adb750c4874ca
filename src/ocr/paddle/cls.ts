/**
 * Text-line angle classifier (0° / 180°), PP-OCR mobile v2.0: input 3×48×192, crops squeezed to at most 192 columns
 * and right-padded; output softmax [N, 2] over the labels "0" and "180".
 */
import { type Crop, resizeWidth } from './crop.js';
import type { ModelSession } from './session.js';
import { cropsToTensor } from './tensor.js';

/** The classifier's fixed input width and height. */
export const CLS_WIDTH = 192;
export const CLS_HEIGHT = 48;
/** Crops per classifier run: the input is fixed-size, so batching costs no padding. */
export const CLS_BATCH = 16;

export interface Orientation {
  /** Probability that the line is upside down (label "180"). */
  p180: number;
}

/** Fits a crop of the classifier's height into its 192 columns (narrower ones keep their width; padding follows). */
export function clsCrop(c: Crop): Crop {
  if (c.height !== CLS_HEIGHT) throw new Error(`Expected a ${CLS_HEIGHT}-row crop for the classifier, got ${c.height}`);
  return c.width > CLS_WIDTH ? resizeWidth(c, CLS_WIDTH) : c;
}

/** Probability of 180° for each crop (crops must be CLS_HEIGHT rows high). */
export async function classifyOrientation(session: ModelSession, crops: readonly Crop[]): Promise<Orientation[]> {
  const out: Orientation[] = [];
  for (let i = 0; i < crops.length; i += CLS_BATCH) {
    const batch = crops.slice(i, i + CLS_BATCH).map(clsCrop);
    const t = cropsToTensor(batch, CLS_WIDTH);
    const res = await session.run(t.data, t.dims);
    for (let n = 0; n < batch.length; n++) out.push({ p180: res.data[n * 2 + 1] });
  }
  return out;
}

/**
 * Whether the page as a whole is upside down: most lines (by count, among at least `minLines`) lean to 180°.
 * One odd line on an upright page is then still corrected on its own.
 */
export function pageUpsideDown(orients: readonly Orientation[], minLines = 2): boolean {
  if (orients.length < minLines) return orients.length > 0 && orients.every((o) => o.p180 > 0.5);
  const flipped = orients.filter((o) => o.p180 > 0.5).length;
  return flipped * 2 > orients.length;
}
