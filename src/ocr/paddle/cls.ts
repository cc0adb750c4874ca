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

/** Lines classified first on a page: the widest ones, whose votes the classifier is surest of. */
export const CLS_SAMPLE = CLS_BATCH;

/**
 * Probability of 180° for the lines of one page, classifying only what can change the outcome: the CLS_SAMPLE
 * widest lines first, and the rest only when one of those is not confidently upright (p180 ≤ 1 − thresh). On a
 * page whose sample is unanimously upright the remaining lines would be read once, upright, anyway unless the
 * classifier alone turned them — which it never does (`orientLines`: a line leaning against the page is read
 * both ways). Unclassified lines come back `undefined`: no vote of their own, the page's sure lines still vouch.
 * @returns one entry per crop, `undefined` where the page's orientation was settled without it
 */
export async function classifyPage(session: ModelSession, crops: readonly Crop[], thresh: number): Promise<(Orientation | undefined)[]> {
  if (crops.length <= CLS_SAMPLE) return classifyOrientation(session, crops);
  const byWidth = crops.map((c, i) => i).sort((a, b) => crops[b].width - crops[a].width);
  const sample = byWidth.slice(0, CLS_SAMPLE);
  const out: (Orientation | undefined)[] = crops.map(() => undefined);
  const first = await classifyOrientation(session, sample.map((i) => crops[i]));
  sample.forEach((i, k) => (out[i] = first[k]));
  if (first.every((o) => 1 - o.p180 >= thresh)) return out;
  const rest = byWidth.slice(CLS_SAMPLE);
  const more = await classifyOrientation(session, rest.map((i) => crops[i]));
  rest.forEach((i, k) => (out[i] = more[k]));
  return out;
}

/**
 * Orientation of a page's lines: the page is upside down when more lines are confidently 180° than confidently
 * upright (p ≥ thresh either way). A line is marked to be read both ways (the recogniser's confidence then
 * decides) when it leans against the page's orientation, or — on a page without any confident line — when the
 * classifier is not confident about it. A single unsure line is never turned on a guess. An unclassified line
 * (`undefined`, see `classifyPage`) casts no vote and is read as the page is.
 */
export function orientLines(orients: readonly (Orientation | undefined)[], thresh: number): { upsideDown: boolean; unsure: boolean[] } {
  const sure180 = orients.filter((o) => o && o.p180 >= thresh).length;
  const sure0 = orients.filter((o) => o && 1 - o.p180 >= thresh).length;
  const upsideDown = sure180 > sure0;
  const noneSure = sure180 + sure0 === 0;
  return {
    upsideDown,
    unsure: orients.map((o) => {
      if (!o) return false;
      const against = upsideDown ? 1 - o.p180 : o.p180;
      return noneSure ? against > 1 - thresh : against > 0.5;
    }),
  };
}
