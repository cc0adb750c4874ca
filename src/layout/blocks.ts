/**
 * Page layout: the text boxes of a page grouped into blocks (columns, paragraphs, tables) and read block by block.
 *
 * A recursive XY-cut over the page's rows (`orderIntoRows`), in the page's own deskewed frame:
 * 1. a band of whitespace across the whole region (a paragraph or section break) cuts it into parts, top to bottom;
 * 2. otherwise a vertical gutter — an x range that (almost) no row covers, with text on both sides — splits it into
 *    columns, left before right, when both sides look like text columns; rows whose text runs across the gutter
 *    (a full-width heading or footer) first cut the region above and below themselves;
 * 3. what is left is one block, read row by row.
 *
 * The column test is what keeps receipts and tables reading row by row: an amount column is narrow and right
 * aligned, a table side has several cells per row, and neither is taken for a column of text. Two sides are
 * columns only when each holds at least three rows of single, left-aligned, line-wide text. Pure.
 */
import type { Quad } from '../core/types.js';
import { geometry, orderIntoRows, pageSlope } from './rows.js';

/** Whitespace between rows, in median text heights, that ends a block (a paragraph or section break). */
export const BLOCK_GAP = 1.2;
/** A side of a gutter needs this many rows of text to be a column. */
export const MIN_COLUMN_ROWS = 3;
/** Share of the rows beside a gutter that may reach into it (detector boxes run a little past their ink). */
export const GUTTER_TOLERANCE = 0.15;
/** Narrowest gutter, in median text heights. */
export const MIN_GUTTER = 0.3;
/** Detector boxes reach past the ink; each end is trimmed by this share of the box height before gutters are sought. */
const BOX_TRIM = 0.2;
/** A row crosses a gutter when one of its boxes reaches this many text heights past both of its edges. */
const CROSSING_REACH = 1;
/** Boxes of a row closer than this many heights are one cell; a row of several cells is a table row. */
const CELL_GAP = 1.5;
/** Share of a column's rows that must be one cell. */
const SINGLE_CELL_SHARE = 0.7;
/** A column's median row width, in text heights (address lines ~6, amounts and codes 2-4). */
const MIN_COLUMN_WIDTH = 4;
/** Left edges within this many text heights of the column's median left edge count as aligned… */
const ALIGN_TOLERANCE = 1;
/** …and this share of a column's rows must be. */
const ALIGNED_SHARE = 0.6;
/**
 * A side whose rows also end at one x (within ALIGN_TOLERANCE) and are narrower than this many text heights is a
 * column of amounts or codes ("RM 29.70", right-justified), not of text; justified prose is wider.
 */
const MAX_BOXED_WIDTH = 10;
/** Recursion bound (each level works on fewer boxes; this only guards against pathological input). */
const MAX_DEPTH = 40;

/** Rows in reading order with the block each belongs to. */
export interface ReadingOrder {
  /** Rows of indexes into the input boxes, block by block, each row left to right. */
  rows: number[][];
  /** Block of each row: 0-based, in reading order, non-decreasing. */
  blocks: number[];
}

/** A box in the page's deskewed frame (x along the text, y across it). */
interface Piece {
  index: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  h: number;
}
type Region = Piece[][];

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function deskew(quads: readonly Quad[]): Piece[] {
  const geos = quads.map(geometry);
  const angle = Math.atan(pageSlope(geos));
  const c = Math.cos(angle), s = Math.sin(angle);
  return quads.map((q, index) => {
    const us = q.map(([x, y]) => x * c + y * s);
    const vs = q.map(([x, y]) => -x * s + y * c);
    return { index, x0: Math.min(...us), x1: Math.max(...us), y0: Math.min(...vs), y1: Math.max(...vs), h: Math.max(1, geos[index].h) };
  });
}

const centre = (p: Piece) => (p.x0 + p.x1) / 2;
const textHeight = (region: Region) => median(region.flat().map((p) => p.h));

/** Cuts a region at bands of whitespace that run across all of it. */
function splitAtGaps(region: Region): Region[] {
  const h = textHeight(region);
  const n = region.length;
  const minTopBelow = new Array<number>(n + 1).fill(Infinity);
  for (let i = n - 1; i >= 0; i--) minTopBelow[i] = Math.min(minTopBelow[i + 1], ...region[i].map((p) => p.y0));
  const parts: Region[] = [];
  let current: Region = [];
  let maxBottom = -Infinity;
  region.forEach((row, i) => {
    if (current.length > 0 && minTopBelow[i] - maxBottom > BLOCK_GAP * h) {
      parts.push(current);
      current = [];
    }
    current.push(row);
    maxBottom = Math.max(maxBottom, ...row.map((p) => p.y1));
  });
  parts.push(current);
  return parts;
}

/** One row's trimmed boxes merged into covered x intervals. */
function coverage(row: Piece[]): Array<[number, number]> {
  const spans = row
    .map((p): [number, number] => {
      const t = Math.min(BOX_TRIM * p.h, (p.x1 - p.x0) / 2);
      return [p.x0 + t, p.x1 - t];
    })
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/** x ranges strictly inside the region that at most `tolerance` rows cover, widest first. */
function gutterCandidates(region: Region, tolerance: number, minWidth: number): Array<[number, number]> {
  const events: Array<[number, number]> = [];
  for (const row of region) for (const [a, b] of coverage(row)) events.push([a, 1], [b, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  let count = 0;
  let openAt: number | null = null;
  for (let k = 0; k < events.length; k++) {
    const [x, d] = events[k];
    count += d;
    const last = k === events.length - 1;
    if (count <= tolerance && openAt === null && !last) openAt = x;
    else if (count > tolerance && openAt !== null) {
      if (x - openAt >= minWidth) out.push([openAt, x]);
      openAt = null;
    }
  }
  return out.sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
}

/** Whether one side of a gutter reads as a column of text (see the module comment). */
function isTextColumn(rows: Region): boolean {
  if (rows.length < MIN_COLUMN_ROWS) return false;
  const h = textHeight(rows);
  let single = 0;
  const lefts: number[] = [];
  const rights: number[] = [];
  const widths: number[] = [];
  for (const row of rows) {
    const sorted = [...row].sort((a, b) => a.x0 - b.x0);
    let cells = 1;
    let end = sorted[0].x1;
    for (const p of sorted.slice(1)) {
      if (p.x0 - end > CELL_GAP * p.h) cells++;
      end = Math.max(end, p.x1);
    }
    if (cells === 1) single++;
    lefts.push(sorted[0].x0);
    rights.push(end);
    widths.push(end - sorted[0].x0);
  }
  if (single < SINGLE_CELL_SHARE * rows.length) return false;
  const width = median(widths);
  if (width < MIN_COLUMN_WIDTH * h) return false;
  const aligned = (xs: number[]) => {
    const m = median(xs);
    return xs.filter((x) => Math.abs(x - m) <= ALIGN_TOLERANCE * h).length >= ALIGNED_SHARE * rows.length;
  };
  if (!aligned(lefts)) return false;
  return width >= MAX_BOXED_WIDTH * h || !aligned(rights);
}

interface ColumnCut {
  /** x of the cut: boxes whose centre lies left of it belong to the left column. */
  at: number;
  /** Rows that run across the gutter, by index into the region. */
  crossing: boolean[];
}

function findColumns(region: Region): ColumnCut | null {
  if (region.length < MIN_COLUMN_ROWS) return null;
  const h = textHeight(region);
  const reach = CROSSING_REACH * h;
  // x ranges that few rows cover, then ones that more rows (up to half) cover: the rows that run right across such
  // a range (headings, footers, full-width paragraphs) are set aside, and the rest must leave a clear gutter there.
  const strictFor = (rows: number) => Math.max(1, Math.floor(GUTTER_TOLERANCE * rows));
  const candidates: Array<[number, number]> = [];
  for (let t = strictFor(region.length); t <= Math.max(1, region.length / 2); t *= 2) candidates.push(...gutterCandidates(region, t, MIN_GUTTER * h));
  for (const [a, b] of candidates) {
    const crossing = region.map((row) => row.some((p) => p.x0 < a - reach && p.x1 > b + reach));
    const kept = region.filter((_, i) => !crossing[i]);
    if (kept.length < MIN_COLUMN_ROWS) continue;
    const clear = gutterCandidates(kept, strictFor(kept.length), MIN_GUTTER * h).find(([c, d]) => c < b && d > a);
    if (!clear) continue;
    const at = (clear[0] + clear[1]) / 2;
    const left = kept.map((row) => row.filter((p) => centre(p) < at)).filter((r) => r.length > 0);
    const right = kept.map((row) => row.filter((p) => centre(p) >= at)).filter((r) => r.length > 0);
    if (isTextColumn(left) && isTextColumn(right)) return { at, crossing };
  }
  return null;
}

/** Consecutive rows with the same crossing flag. */
function runs(region: Region, crossing: boolean[]): Region[] {
  const out: Region[] = [];
  region.forEach((row, i) => {
    if (i > 0 && crossing[i] === crossing[i - 1]) out[out.length - 1].push(row);
    else out.push([row]);
  });
  return out;
}

/**
 * A box that runs across a column gutter between rows of both columns: a detector that joined a left-column line
 * and the right-column line beside it (a narrow gutter). `fraction` is where the gutter's middle falls along it.
 */
export interface Bridge {
  index: number;
  fraction: number;
}

function segment(region: Region, depth: number, bridges: Bridge[]): Region[] {
  if (region.length === 0) return [];
  if (depth >= MAX_DEPTH || region.length === 1) return [region];
  const parts = splitAtGaps(region);
  if (parts.length > 1) return parts.flatMap((p) => segment(p, depth + 1, bridges));
  const cut = findColumns(region);
  if (!cut) return [region];
  if (cut.crossing.some(Boolean)) {
    cut.crossing.forEach((crosses, i) => {
      if (!crosses || i === 0 || i === region.length - 1 || cut.crossing[i - 1] || cut.crossing[i + 1]) return;
      for (const p of region[i]) if (p.x0 < cut.at && p.x1 > cut.at) bridges.push({ index: p.index, fraction: (cut.at - p.x0) / (p.x1 - p.x0) });
    });
    return runs(region, cut.crossing).flatMap((r) => segment(r, depth + 1, bridges));
  }
  const side = (left: boolean) => region.map((row) => row.filter((p) => (centre(p) < cut.at) === left)).filter((r) => r.length > 0);
  return [...segment(side(true), depth + 1, bridges), ...segment(side(false), depth + 1, bridges)];
}

/**
 * Reading order of a page's text boxes: blocks (columns left to right, sections top to bottom), rows within a
 * block top to bottom, boxes within a row left to right. A receipt or a table is one block read row by row.
 * @param quads box corners in page pixels (TL, TR, BR, BL in the text direction)
 */
export function readingOrder(quads: readonly Quad[]): ReadingOrder {
  return layout(quads).order;
}

/**
 * `readingOrder` plus the boxes that bridge a column gutter (see `Bridge`); `layoutSegments` splits those where
 * their text has a word gap at the gutter and lays the page out again.
 */
export function layout(quads: readonly Quad[]): { order: ReadingOrder; bridges: Bridge[] } {
  if (quads.length === 0) return { order: { rows: [], blocks: [] }, bridges: [] };
  const pieces = deskew(quads);
  const region: Region = orderIntoRows(quads).map((row) => row.map((i) => pieces[i]));
  const rows: number[][] = [];
  const blocks: number[] = [];
  const bridges: Bridge[] = [];
  segment(region, 0, bridges).forEach((block, k) => {
    for (const row of block) {
      rows.push(row.map((p) => p.index));
      blocks.push(k);
    }
  });
  return { order: { rows, blocks }, bridges };
}
