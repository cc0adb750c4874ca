/**
 * Reading order for any engine's lines: the layout stage's entry. Engines that find boxes themselves (PP-OCR) call
 * `readingOrder` on their boxes before merging rows; engines and decoders that hand back finished lines
 * (Tesseract's page mode, a PDF text layer) pass them through `orderLines`, so every engine's text reads alike.
 */
import type { OcrLine } from '../core/types.js';
import type { Quad } from '../core/types.js';
import { layout, type ReadingOrder } from './blocks.js';
import { boxToQuad, mergeRows, type Segment } from './merge.js';

export { readingOrder, type ReadingOrder } from './blocks.js';
export { mergeRows, quadToBox, boxToQuad, rowEngine, type Segment } from './merge.js';

/**
 * Lines laid out into blocks and read block by block; lines of one row of a block (a label and its amount that
 * an engine returned apart) become one line. Boxes are kept (unioned per row); every line gets its `block`.
 * Pure.
 */
export function orderLines(lines: readonly OcrLine[]): OcrLine[] {
  const usable = lines.filter((l) => l.text.trim() !== '');
  if (usable.length === 0) return [];
  const pieces: Segment[] = usable.map((l) => ({
    quad: l.quad ?? boxToQuad(l.box),
    text: l.text,
    confidence: l.confidence,
    charConfidences: l.charConfidences,
    engine: l.engine,
  }));
  const laid = layoutSegments(pieces);
  const out = mergeRows(laid.segments, laid.rows, laid.blocks);
  // Lines that came without corners stay without (a text layer's boxes are axis-aligned).
  if (!usable.some((l) => l.quad)) for (const l of out) delete l.quad;
  return out;
}

/** A bridge's text is cut at a run of two or more spaces this close to the gutter (share of the text length)… */
const WIDE_GAP_REACH = 0.2;
/** …or else at a single space this close. */
const SPACE_REACH = 0.1;

/** Where to cut a text that runs across a gutter at `fraction` of its width: [end of left part, start of right]. */
export function gutterCut(text: string, fraction: number): [number, number] | null {
  let best: [number, number] | null = null;
  let bestScore = Infinity;
  for (const m of text.matchAll(/ +/g)) {
    const start = m.index, end = start + m[0].length;
    if (start === 0 || end === text.length) continue;
    const off = Math.abs((start + end) / 2 / text.length - fraction);
    if (off > (m[0].length > 1 ? WIDE_GAP_REACH : SPACE_REACH)) continue;
    // A wide gap is the likelier gutter: it wins over a single space unless the space is much closer.
    const score = m[0].length > 1 ? off / 2 : off;
    if (score < bestScore) [best, bestScore] = [[start, end], score];
  }
  return best;
}

function lerp(a: [number, number], b: [number, number], t: number): [number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

function splitAt<T extends Segment>(s: T, fraction: number): [T, T] | null {
  const cut = gutterCut(s.text, fraction);
  if (!cut) return null;
  const [tl, tr, br, bl] = s.quad;
  const top = lerp(tl, tr, fraction), bottom = lerp(bl, br, fraction);
  const chars = s.charConfidences?.length === s.text.length ? s.charConfidences : undefined;
  const part = (quad: Quad, from: number, to: number): T => ({ ...s, quad, text: s.text.slice(from, to), charConfidences: chars?.slice(from, to) });
  return [part([tl, top, bottom, bl], 0, cut[0]), part([top, tr, br, bottom], cut[1], s.text.length)];
}

/**
 * Reading order of recognised boxes, with the boxes that run across a column gutter (a detector joined two
 * columns' lines) split at the word gap nearest the gutter first. Pure.
 * @returns the segments (split ones replaced by their two parts) and their order
 */
export function layoutSegments<T extends Segment>(segments: readonly T[]): { segments: T[] } & ReadingOrder {
  const first = layout(segments.map((s) => s.quad));
  if (first.bridges.length === 0) return { segments: [...segments], ...first.order };
  const at = new Map(first.bridges.map((b) => [b.index, b.fraction]));
  let split = false;
  const out = segments.flatMap((s, i) => {
    const parts = at.has(i) ? splitAt(s, at.get(i)!) : null;
    if (parts) split = true;
    return parts ?? [s];
  });
  if (!split) return { segments: [...segments], ...first.order };
  return { segments: out, ...layout(out.map((s) => s.quad)).order };
}
