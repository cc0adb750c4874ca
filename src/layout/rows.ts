/**
 * Reading order: text boxes grouped into rows (top to bottom), each row's boxes left to right.
 * Rows follow the boxes' own slant, so a skewed page still groups correctly. Pure.
 */
import type { Quad } from '../core/types.js';

/** Share of the smaller box height within which two box centres count as the same row. */
export const ROW_TOLERANCE = 0.5;

export interface Geo {
  index: number;
  cx: number;
  cy: number;
  /** Height across the text direction. */
  h: number;
  /** Slope dy/dx of the text direction. */
  slope: number;
  left: number;
  right: number;
}

/** Centre, height across the text, slope and horizontal extent of one box. */
export function geometry(q: Quad, index: number): Geo {
  const [tl, tr, br, bl] = q;
  const cx = (tl[0] + tr[0] + br[0] + bl[0]) / 4;
  const cy = (tl[1] + tr[1] + br[1] + bl[1]) / 4;
  const dx = (tr[0] - tl[0] + br[0] - bl[0]) / 2;
  const dy = (tr[1] - tl[1] + br[1] - bl[1]) / 2;
  const slope = Math.abs(dx) > 1e-6 ? dy / dx : 0;
  const h = (Math.hypot(bl[0] - tl[0], bl[1] - tl[1]) + Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2;
  return {
    index, cx, cy, h, slope,
    left: Math.min(tl[0], bl[0]),
    right: Math.max(tr[0], br[0]),
  };
}

interface Row {
  members: Geo[];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The row's centre line evaluated at x: through its members' mean centre, with the page's slope. */
function rowYAt(row: Row, x: number, slope: number): number {
  const n = row.members.length;
  const mx = row.members.reduce((a, g) => a + g.cx, 0) / n;
  const my = row.members.reduce((a, g) => a + g.cy, 0) / n;
  return my + slope * (x - mx);
}

/**
 * The page's text slope: the median slope of boxes at least 3× longer than high (short boxes give noisy angles),
 * or of all boxes when none is that long.
 */
export function pageSlope(geos: readonly { slope: number; h: number; left: number; right: number }[]): number {
  if (geos.length === 0) return 0;
  const long = geos.filter((g) => g.right - g.left >= 3 * g.h);
  return median((long.length ? long : geos).map((g) => g.slope));
}

/** Boxes shorter than this many heights (single characters) never block a row (see overlapsHorizontally). */
const SHORT_BOX = 2;
/** Boxes lower than this share of the row's height (specks, punctuation) never block a row either. */
const FRAGMENT_HEIGHT = 0.6;

function isFragment(g: Geo, rowH: number): boolean {
  return g.right - g.left < SHORT_BOX * g.h || g.h < FRAGMENT_HEIGHT * rowH;
}

function overlapsHorizontally(row: Row, g: Geo, rowH: number): boolean {
  // Two words of one row never cover the same x range by more than a third of the narrower one; a fragment
  // (a lone digit, a speck the detector kept) may touch its neighbours.
  if (isFragment(g, rowH)) return false;
  return row.members.some((m) => {
    if (isFragment(m, rowH)) return false;
    const ov = Math.min(m.right, g.right) - Math.max(m.left, g.left);
    return ov > Math.min(m.right - m.left, g.right - g.left) / 3;
  });
}

/**
 * Groups boxes into rows in reading order.
 * @returns rows top to bottom, each a list of indexes into `quads`, left to right
 */
export function orderIntoRows(quads: readonly Quad[], tolerance = ROW_TOLERANCE): number[][] {
  const geos = quads.map(geometry);
  const slope = pageSlope(geos);
  const rows: Row[] = [];
  // Long boxes first: they found the rows, short ones (single characters) then join the nearest.
  const byLength = [...geos].sort((a, b) => b.right - b.left - (a.right - a.left) || a.cy - b.cy);
  for (const g of byLength) {
    let best: Row | null = null;
    let bestDist = Infinity;
    for (const row of rows) {
      const rowH = median(row.members.map((m) => m.h));
      const d = Math.abs(rowYAt(row, g.cx, slope) - g.cy);
      if (d > tolerance * Math.min(rowH, g.h)) continue;
      if (overlapsHorizontally(row, g, rowH)) continue;
      if (d < bestDist) {
        bestDist = d;
        best = row;
      }
    }
    if (best) best.members.push(g);
    else rows.push({ members: [g] });
  }
  const midX = geos.length ? median(geos.map((g) => g.cx)) : 0;
  return rows
    .map((row) => ({ y: rowYAt(row, midX, slope), members: row.members.sort((a, b) => a.cx - b.cx) }))
    .sort((a, b) => a.y - b.y)
    .map((row) => row.members.map((m) => m.index));
}
