/**
 * Page geometry for extraction: OCR lines grouped into visual rows.
 *
 * Receipts print a label at the left and its amount at the right ("TOTAL ........ 64.15"); detectors return those
 * as separate boxes, and sometimes print whole columns of labels next to columns of amounts. Grouping boxes whose
 * vertical extents overlap (after removing the page's skew) gives rows whose segments read left to right, which is
 * what the label → value rules need.
 */
import type { Box, OcrLine } from '../core/types.js';
import { normalizeText, squash } from './digits.js';
import { upperMedian } from '../core/stats.js';

export interface Row {
  /** 0-based, top to bottom. */
  index: number;
  /** Lines in this row, left to right. */
  segments: OcrLine[];
  /** Segments' normalised text joined by single spaces. */
  text: string;
  /** Start offset of each segment inside `text`. */
  offsets: number[];
  box: Box;
  /** Median segment height in pixels (text size). */
  height: number;
  /** Lowest segment confidence. */
  confidence: number;
}

/** Two boxes share a row when their vertical overlap is at least this share of the smaller height. */
const ROW_OVERLAP = 0.5;
/** Boxes of one row may overlap horizontally by at most this share of the narrower one. */
const MAX_H_OVERLAP = 0.3;
/** Rows considered when placing a line (rows further up are closed). */
const OPEN_ROWS = 4;

function slopeOf(l: OcrLine): number | null {
  if (!l.quad) return null;
  const [[x0, y0], [x1, y1]] = l.quad;
  const dx = x1 - x0;
  return dx > 20 ? (y1 - y0) / dx : null;
}

interface Placed {
  line: OcrLine;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Groups lines into rows, top to bottom. Lines without geometry (all boxes empty) become one row each, in order.
 */
export function buildRows(lines: OcrLine[]): Row[] {
  const usable = lines.filter((l) => squash(l.text) !== '');
  const hasGeometry = usable.some((l) => l.box && (l.box[2] > 0 || l.box[3] > 0));
  if (!hasGeometry) return usable.map((l, i) => makeRow(i, [l]));
  // Skew: receipts photographed at a slight angle make a row's right end sit lower than its left end.
  const slope = upperMedian(usable.map(slopeOf).filter((x): x is number => x !== null));
  const placed: Placed[] = usable.map((line) => {
    const [x, y, w, h] = line.box;
    const shift = slope * (x + w / 2);
    return { line, top: y - shift, bottom: y + h - shift, left: x, right: x + w };
  });
  placed.sort((a, b) => (a.top + a.bottom) / 2 - (b.top + b.bottom) / 2);
  // Each open row keeps the mean top and bottom of its members (cheaper than medians, same on real rows).
  const rows: Array<{ items: Placed[]; top: number; bottom: number }> = [];
  for (const p of placed) {
    let target: (typeof rows)[number] | null = null;
    let bestOverlap = 0;
    for (let r = Math.max(0, rows.length - OPEN_ROWS); r < rows.length; r++) {
      const row = rows[r];
      const overlap = Math.min(row.bottom, p.bottom) - Math.max(row.top, p.top);
      const minH = Math.min(row.bottom - row.top, p.bottom - p.top);
      if (minH <= 0 || overlap < ROW_OVERLAP * minH) continue;
      const clash = row.items.some((q) => {
        const h = Math.min(q.right, p.right) - Math.max(q.left, p.left);
        return h > MAX_H_OVERLAP * Math.min(q.right - q.left, p.right - p.left);
      });
      if (clash) continue;
      if (overlap / minH > bestOverlap) { bestOverlap = overlap / minH; target = row; }
    }
    if (target) {
      const n = target.items.push(p);
      target.top += (p.top - target.top) / n;
      target.bottom += (p.bottom - target.bottom) / n;
    } else rows.push({ items: [p], top: p.top, bottom: p.bottom });
  }
  rows.sort((a, b) => a.top - b.top);
  return rows.map((r, i) => makeRow(i, r.items.sort((a, b) => a.left - b.left).map((q) => q.line)));
}

/**
 * Longest row text the extractors read. Printed rows are far shorter; a longer one (a PDF text layer without line
 * breaks, garbage) is cut so that no rule's cost grows with it.
 */
export const MAX_ROW_CHARS = 500;

function makeRow(index: number, all: OcrLine[]): Row {
  const offsets: number[] = [];
  const segments: OcrLine[] = [];
  let text = '';
  for (const s of all) {
    if (text.length >= MAX_ROW_CHARS) break;
    if (text) text += ' ';
    offsets.push(text.length);
    segments.push(s);
    text += squash(normalizeText(s.text));
  }
  text = text.slice(0, MAX_ROW_CHARS);
  const xs = segments.map((s) => s.box[0]);
  const ys = segments.map((s) => s.box[1]);
  const x2 = segments.map((s) => s.box[0] + s.box[2]);
  const y2 = segments.map((s) => s.box[1] + s.box[3]);
  const box: Box = [Math.min(...xs), Math.min(...ys), Math.max(...x2) - Math.min(...xs), Math.max(...y2) - Math.min(...ys)];
  return {
    index,
    segments,
    text,
    offsets,
    box,
    height: upperMedian(segments.map((s) => s.box[3])),
    confidence: Math.min(...segments.map((s) => s.confidence)),
  };
}

/** The segment of `row` that contains character offset `pos` of `row.text`. */
export function segmentAt(row: Row, pos: number): OcrLine {
  let i = 0;
  while (i + 1 < row.offsets.length && row.offsets[i + 1] <= pos) i++;
  return row.segments[i];
}

/** Lowest confidence among the segments overlapping [start, end) of `row.text`. */
export function confidenceOf(row: Row, start: number, end: number): number {
  let c = 1;
  row.segments.forEach((s, i) => {
    const a = row.offsets[i];
    const b = a + squash(normalizeText(s.text)).length;
    if (start < b && a < end) c = Math.min(c, s.confidence);
  });
  return c;
}
