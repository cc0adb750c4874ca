/**
 * Text-line recogniser (PP-OCRv4 rec, CTC): crops at the model height with their own width, batched by similar
 * width when `batchSize` > 1 (order restored after), very wide lines split at a blank column and their text joined.
 */
import { type Charset, type CtcResult, ctcGreedyDecode } from './ctc.js';
import type { Crop } from './crop.js';
import type { ModelSession } from './session.js';
import { cropsToTensor } from './tensor.js';

export interface RecOptions {
  /** Crops per model run (1 is fastest per crop on CPU; larger batches pay off on GPUs). */
  batchSize: number;
  /** Widest crop fed in one piece; wider lines are split. */
  maxWidth: number;
  /** Narrowest input width: narrower crops are right-padded (the model sees at least a few characters' room). */
  minWidth: number;
  charset: Charset;
  /** Classes that may be emitted (language restriction); all when absent. */
  allowed?: Uint8Array;
  /** Space-class probability that turns a blank gap between characters into a space (see ctc.ts). */
  spaceThreshold?: number;
  /** Checked before each model run: an aborted read stops between batches. */
  signal?: AbortSignal;
}

/** Pieces of one crop, each at most `maxWidth` wide, cut at the lightest column of the last quarter of each piece. */
export function splitWide(c: Crop, maxWidth: number): Crop[] {
  if (c.width <= maxWidth) return [c];
  const ink = columnInk(c);
  const pieces: Crop[] = [];
  let start = 0;
  while (c.width - start > maxWidth) {
    const lo = start + Math.floor(maxWidth * 0.75);
    const hi = start + maxWidth;
    let cut = hi;
    let best = Infinity;
    for (let x = lo; x < hi; x++) {
      if (ink[x] < best) {
        best = ink[x];
        cut = x;
      }
    }
    pieces.push(sliceColumns(c, start, cut));
    start = cut;
  }
  pieces.push(sliceColumns(c, start, c.width));
  return pieces;
}

/** Darkness per column relative to the crop's brightest value (text is dark on light after the classifier). */
function columnInk(c: Crop): Float32Array {
  const ink = new Float32Array(c.width);
  let max = 0;
  for (let i = 0; i < c.data.length; i += 3) max = Math.max(max, c.data[i] + c.data[i + 1] + c.data[i + 2]);
  for (let x = 0; x < c.width; x++) {
    let s = 0;
    for (let y = 0; y < c.height; y++) {
      const o = (y * c.width + x) * 3;
      s += max - (c.data[o] + c.data[o + 1] + c.data[o + 2]);
    }
    ink[x] = s;
  }
  return ink;
}

function sliceColumns(c: Crop, x0: number, x1: number): Crop {
  const w = x1 - x0;
  const out = new Uint8Array(w * c.height * 3);
  for (let y = 0; y < c.height; y++) {
    out.set(c.data.subarray((y * c.width + x0) * 3, (y * c.width + x1) * 3), y * w * 3);
  }
  return { data: out, width: w, height: c.height };
}

/** Joins the decoded pieces of one split line. */
export function joinPieces(parts: readonly CtcResult[]): CtcResult {
  if (parts.length === 1) return parts[0];
  const charConfidences = parts.flatMap((p) => p.charConfidences);
  const text = parts.map((p) => p.text).join('');
  const confidence = charConfidences.length ? charConfidences.reduce((a, b) => a + b, 0) / charConfidences.length : 0;
  const emitted = parts.reduce((a, p) => a + p.text.length, 0) || 1;
  const foreignRatio = parts.reduce((a, p) => a + p.foreignRatio * p.text.length, 0) / emitted;
  return { text, confidence, charConfidences, foreignRatio };
}

/** Recognises every crop; results are in the crops' order. */
export async function recognizeCrops(session: ModelSession, crops: readonly Crop[], opts: RecOptions): Promise<CtcResult[]> {
  const pieces: { owner: number; crop: Crop }[] = [];
  crops.forEach((c, owner) => {
    for (const crop of splitWide(c, opts.maxWidth)) pieces.push({ owner, crop });
  });
  // Similar widths together, so padding inside a batch stays small.
  const order = pieces.map((_, i) => i);
  if (opts.batchSize > 1) order.sort((a, b) => pieces[a].crop.width - pieces[b].crop.width);
  const decoded = new Array<CtcResult>(pieces.length);
  for (let i = 0; i < order.length; i += opts.batchSize) {
    const idx = order.slice(i, i + opts.batchSize);
    const batch = idx.map((k) => pieces[k].crop);
    const width = Math.max(opts.minWidth, ...batch.map((c) => c.width));
    opts.signal?.throwIfAborted();
    const t = cropsToTensor(batch, width);
    const res = await session.run(t.data, t.dims);
    const [, steps, classes] = res.dims;
    idx.forEach((k, n) => {
      const probs = res.data.subarray(n * steps * classes, (n + 1) * steps * classes);
      decoded[k] = ctcGreedyDecode(probs, steps, classes, opts.charset, {
        allowed: opts.allowed,
        spaceThreshold: opts.spaceThreshold,
      });
    });
  }
  return crops.map((_, owner) => joinPieces(decoded.filter((_, k) => pieces[k].owner === owner)));
}
