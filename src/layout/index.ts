/**
 * Reading order for any engine's lines: the layout stage's entry. Engines that find boxes themselves (PP-OCR) call
 * `readingOrder` on their boxes before merging rows; engines and decoders that hand back finished lines
 * (Tesseract's page mode, a PDF text layer) pass them through `orderLines`, so every engine's text reads alike.
 */
import type { OcrLine } from '../core/types.js';
import { readingOrder } from './blocks.js';
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
  const order = readingOrder(pieces.map((p) => p.quad));
  const out = mergeRows(pieces, order.rows, order.blocks);
  // Lines that came without corners stay without (a text layer's boxes are axis-aligned).
  if (!usable.some((l) => l.quad)) for (const l of out) delete l.quad;
  return out;
}
