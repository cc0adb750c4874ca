/**
 * Row merging: the pieces (detector boxes, engine lines) of one visual row of a block become one `OcrLine` (text
 * joined by a space, box = union, confidence weighted by characters, engine named per line). Pure.
 */
import type { Box, OcrLine, Quad } from '../core/types.js';

/** One recognised text box, as the paddle engine (or the auto engine after a re-read) leaves it. */
export interface Segment {
  /** Corners in page pixels, TL/TR/BR/BL in the text's own reading direction. */
  quad: Quad;
  text: string;
  confidence: number;
  charConfidences?: number[];
  engine: string;
}

/** Three decimals are plenty for a probability and keep records small. */
function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Engine label of a row built from several engines' segments, e.g. "paddle+tesseract". */
export function rowEngine(engines: readonly string[]): string {
  return [...new Set(engines)].join('+');
}

/** Axis-aligned box around a quad, rounded outwards to whole pixels. */
export function quadToBox(q: Quad): Box {
  const xs = q.map((p) => p[0]), ys = q.map((p) => p[1]);
  const x0 = Math.floor(Math.min(...xs)), y0 = Math.floor(Math.min(...ys));
  const x1 = Math.ceil(Math.max(...xs)), y1 = Math.ceil(Math.max(...ys));
  return [x0, y0, x1 - x0, y1 - y0];
}

/** The quad of an axis-aligned box (clockwise from top-left). */
export function boxToQuad([x, y, w, h]: Box): Quad {
  return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
}

function unionBox(boxes: readonly Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b[0])), y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2])), y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}

/**
 * One line per row; rows with no text left are dropped.
 * @param rows indexes into `segments`, in reading order (see `readingOrder`)
 * @param blocks block index of each row (`readingOrder`'s `blocks`); lines then carry `block`
 */
export function mergeRows(segments: readonly Segment[], rows: readonly number[][], blocks?: readonly number[]): OcrLine[] {
  const lines: OcrLine[] = [];
  rows.forEach((row, r) => {
    const parts = row.map((i) => segments[i]).filter((s) => s.text.trim() !== '');
    if (parts.length === 0) return;
    const texts = parts.map((s) => s.text.trim());
    const text = texts.join(' ');
    const chars = texts.reduce((a, t) => a + t.length, 0);
    const confidence = parts.reduce((a, s, k) => a + s.confidence * texts[k].length, 0) / Math.max(1, chars);
    const line: OcrLine = {
      text,
      confidence: Math.round(confidence * 10_000) / 10_000,
      engine: rowEngine(parts.map((s) => s.engine)),
      box: parts.length === 1 ? quadToBox(parts[0].quad) : unionBox(parts.map((s) => quadToBox(s.quad))),
    };
    const first = parts[0].quad, last = parts[parts.length - 1].quad;
    line.quad = parts.length === 1 ? first : [first[0], last[1], last[2], first[3]];
    if (parts.every((s) => s.charConfidences && s.charConfidences.length === s.text.length && s.text === s.text.trim())) {
      // The joining space gets the lower confidence of its neighbours' line scores.
      line.charConfidences = parts
        .flatMap((s, k) => (k === 0 ? s.charConfidences! : [Math.min(s.confidence, parts[k - 1].confidence), ...s.charConfidences!]))
        .map(round3);
    }
    if (blocks) line.block = blocks[r];
    lines.push(line);
  });
  return lines;
}
