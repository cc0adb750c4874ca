import type { Components } from './components.js';

/** Side of each glyph box used as an alignment point: the text baseline is on the `bottom` when upright. */
export type Side = 'bottom' | 'top' | 'left' | 'right';
export type QuarterTurn = 0 | 90 | 180 | 270;

/** Largest skew searched, degrees either way (the issue's ±20°). */
export const MAX_SKEW_DEG = 20;
const COARSE_STEP_DEG = 1;
const FINE_STEP_DEG = 0.1;
/** Fewer glyphs than this: too little text to judge orientation or skew. */
export const MIN_GLYPHS = 12;
/** Combined vertical-family evidence must win by this factor to turn the page by 90°. */
export const FAMILY_MARGIN = 1.5;
/** Baseline-vs-top-line must win by this factor to call a page upside down (else the engine's classifier decides). */
export const FLIP_MARGIN = 1.25;
/** … and rest on at least this many glyphs: on a short label a few slashes or descenders swing the score. */
export const MIN_FLIP_GLYPHS = 80;
/** … and glyphs at least this tall (analysis pixels): smaller ones break into fragments whose boxes say little. */
export const MIN_FLIP_TEXT_PX = 10;

/** Pseudo-count added to both sides of a vote: a handful of votes must not outweigh the other cues. */
export const VOTE_PRIOR = 10;

/** Clockwise rotation of text whose baseline is on `side`. */
const SIDE_ROTATION: Record<Side, QuarterTurn> = { bottom: 0, left: 90, top: 180, right: 270 };

/** Glyph boxes (analysis pixels) as parallel arrays. */
export interface GlyphBoxes {
  comps: Components;
  glyphs: Int32Array;
  /** Median glyph height (pixels), when known: a 0°/180° call needs glyphs big enough to show their baseline. */
  textHeight?: number;
}

/**
 * Alignment score of glyph reference points projected across the text-line direction (Baird's method):
 * Σ bin² / n² over 1-pixel bins with linear splitting between neighbouring bins. Points that share a
 * baseline pile up in one bin, so the score peaks at the true skew, and it is higher for the side that carries
 * the baseline than for the ragged opposite side (dots, commas and descenders break the top line, not the baseline).
 * `deg` is the text-line angle, clockwise, for bottom/top; the column direction's deviation from vertical for left/right.
 * `bins` is scratch space, at least 2 × (width + height) long.
 */
export function alignmentScore(g: GlyphBoxes, side: Side, deg: number, bins: Float64Array): number {
  const { comps, glyphs } = g;
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  bins.fill(0);
  const off = bins.length / 2;
  let n = 0;
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    let d: number;
    if (side === 'bottom' || side === 'top') {
      const px = (comps.x0[i] + comps.x1[i]) / 2;
      const py = side === 'bottom' ? comps.y1[i] : comps.y0[i];
      d = py * c - px * s;
    } else {
      const py = (comps.y0[i] + comps.y1[i]) / 2;
      const px = side === 'left' ? comps.x0[i] : comps.x1[i];
      d = px * c + py * s;
    }
    const b = d + off;
    const lo = Math.floor(b);
    if (lo < 0 || lo + 1 >= bins.length) continue;
    const f = b - lo;
    bins[lo] += 1 - f;
    bins[lo + 1] += f;
    n++;
  }
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < bins.length; i++) sum += bins[i] * bins[i];
  return sum / (n * n);
}

function bestAngle(g: GlyphBoxes, side: Side, from: number, to: number, step: number, bins: Float64Array): [number, number] {
  let best = -1;
  let bestDeg = 0;
  // Visit angles from 0 outwards so ties resolve to the smaller skew.
  const n = Math.round((to - from) / step);
  const centre = (from + to) / 2;
  const order: number[] = [];
  for (let i = 0; i <= n; i++) order.push(from + i * step);
  order.sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre));
  for (const deg of order) {
    const s = alignmentScore(g, side, deg, bins);
    if (s > best + 1e-12) {
      best = s;
      bestDeg = deg;
    }
  }
  return [best, Math.round(bestDeg * 100) / 100];
}

export interface OrientationEstimate {
  /** Clockwise quarter-turn of the text relative to upright (what must be undone). */
  rotation: QuarterTurn;
  /** Remaining skew of the text lines, degrees clockwise (undo by rotating −skewDeg). */
  skewDeg: number;
  /** Winning line-family score over the other family's (≥ FAMILY_MARGIN to turn by 90°). */
  familyMargin: number;
  /** Baseline-side score over the opposite side's. */
  flipMargin: number;
  /** False when the 0°/180° part was a close call (the engine's angle classifier should have the last word). */
  flipConfident: boolean;
  /** Number of glyphs the estimate rests on. */
  glyphs: number;
}

const NONE: OrientationEstimate = { rotation: 0, skewDeg: 0, familyMargin: 1, flipMargin: 1, flipConfident: false, glyphs: 0 };

/**
 * Page orientation (0/90/180/270) and skew from text-line geometry in one search: the side of the glyph boxes
 * whose reference points align best over ±MAX_SKEW_DEG is the baseline side. 90° vs 0° is decided by the
 * line family (very reliable); 0° vs 180° by baseline vs top line (reliable on mixed-case print, a close call
 * on some all-caps dot-matrix receipts, reported through `flipConfident`).
 * @param g glyph boxes at analysis scale
 * @param width analysis image width, for the scratch projection
 * @param allowFlip decide 180° too (else only 0/90 family; the top/bottom choice keeps the current side up)
 */
export function estimateOrientation(g: GlyphBoxes, width: number, height: number, allowFlip = true): OrientationEstimate {
  if (g.glyphs.length < MIN_GLYPHS) return { ...NONE, glyphs: g.glyphs.length };
  const bins = new Float64Array(2 * (width + height) + 8);
  const sides: Side[] = ['bottom', 'top', 'left', 'right'];
  const coarse = sides.map((side) => ({ side, ...toObj(bestAngle(g, side, -MAX_SKEW_DEG, MAX_SKEW_DEG, COARSE_STEP_DEG, bins)) }));
  const score = (s: Side) => coarse.find((c) => c.side === s)!.score;
  const horiz = Math.max(score('bottom'), score('top'));
  const vert = Math.max(score('left'), score('right'));
  // Three independent cues, multiplied: baseline alignment per family, nearest-neighbour direction of single
  // glyphs, and the direction of elongated blobs (words that blur or tight print merged into one component).
  const votes = neighbourVotes(g);
  const long = elongationVotes(g);
  const ratio = (v: NeighbourVotes) => (v.horizontal + VOTE_PRIOR) / (v.vertical + VOTE_PRIOR);
  const evidence = (horiz / Math.max(vert, 1e-12)) * ratio(votes) * ratio(long);
  let family: Side[];
  let familyMargin: number;
  if (evidence < 1 / FAMILY_MARGIN) {
    family = ['left', 'right'];
    familyMargin = 1 / evidence;
  } else {
    family = ['bottom', 'top'];
    familyMargin = evidence;
  }
  // Refine both sides of the family around their coarse optimum.
  const refined = family.map((side) => {
    const c = coarse.find((x) => x.side === side)!;
    return { side, ...toObj(bestAngle(g, side, c.deg - COARSE_STEP_DEG, c.deg + COARSE_STEP_DEG, FINE_STEP_DEG, bins)) };
  });
  refined.sort((a, b) => b.score - a.score);
  const [win, lose] = refined;
  const flipMargin = win.score / Math.max(lose.score, 1e-12);
  const flipConfident = flipMargin >= FLIP_MARGIN && g.glyphs.length >= MIN_FLIP_GLYPHS && (g.textHeight ?? MIN_FLIP_TEXT_PX) >= MIN_FLIP_TEXT_PX;
  let side = win.side;
  // Without a confident 0/180 call keep the natural reading of the family (bottom; left = 90° clockwise) when
  // flips are not ours to decide, otherwise follow the better side.
  if (!allowFlip || (!flipConfident && family[0] === 'bottom')) side = family[0];
  const skew = refined.find((r) => r.side === side)!.deg;
  return {
    rotation: SIDE_ROTATION[side],
    skewDeg: skew,
    familyMargin: round2(familyMargin),
    flipMargin: round2(side === win.side ? flipMargin : 1 / flipMargin),
    flipConfident,
    glyphs: g.glyphs.length,
  };
}

function toObj([score, deg]: [number, number]): { score: number; deg: number } {
  return { score, deg };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}


/** Horizontal and vertical nearest-neighbour votes of glyph centres (docstrum, O'Gorman 1993). */
export interface NeighbourVotes {
  horizontal: number;
  vertical: number;
}

/**
 * For every single-glyph-sized component, the direction to its nearest similar-sized neighbour.
 * Letters of a line sit closer together than lines do, so upright or upside-down text votes `horizontal`
 * and text turned by 90° votes `vertical`. Only near-square glyph boxes take part, so words merged into one
 * component (whose box shape depends on orientation) do not bias the vote.
 */
export function neighbourVotes(g: GlyphBoxes): NeighbourVotes {
  const { comps, glyphs } = g;
  const sizes: number[] = [];
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    sizes.push(Math.max(comps.x1[i] - comps.x0[i], comps.y1[i] - comps.y0[i]));
  }
  const sorted = [...sizes].sort((a, b) => a - b);
  const s = sorted[Math.floor(sorted.length * 0.75)] ?? 0;
  if (s < 3) return { horizontal: 0, vertical: 0 };
  const cx: number[] = [];
  const cy: number[] = [];
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    const w = comps.x1[i] - comps.x0[i];
    const h = comps.y1[i] - comps.y0[i];
    if (Math.max(w, h) > s * 1.5 || Math.max(w, h) < s * 0.4) continue;
    // Elongated blobs are words or strokes: their centres are not letter positions.
    if (Math.max(w, h) > 2.5 * Math.min(w, h)) continue;
    cx.push((comps.x0[i] + comps.x1[i]) / 2);
    cy.push((comps.y0[i] + comps.y1[i]) / 2);
  }
  const cell = s * 2;
  const grid = new Map<number, number[]>();
  const key = (gx: number, gy: number) => gy * 100_003 + gx;
  for (let j = 0; j < cx.length; j++) {
    const k = key(Math.floor(cx[j] / cell), Math.floor(cy[j] / cell));
    let list = grid.get(k);
    if (!list) grid.set(k, (list = []));
    list.push(j);
  }
  const maxD2 = cell * cell;
  let horizontal = 0;
  let vertical = 0;
  for (let j = 0; j < cx.length; j++) {
    const gx = Math.floor(cx[j] / cell);
    const gy = Math.floor(cy[j] / cell);
    let best = maxD2;
    let bdx = 0;
    let bdy = 0;
    for (let oy = -1; oy <= 1; oy++) {
      for (let ox = -1; ox <= 1; ox++) {
        const list = grid.get(key(gx + ox, gy + oy));
        if (!list) continue;
        for (const m of list) {
          if (m === j) continue;
          const dx = cx[m] - cx[j];
          const dy = cy[m] - cy[j];
          const d2 = dx * dx + dy * dy;
          if (d2 < best && d2 > 0) {
            best = d2;
            bdx = dx;
            bdy = dy;
          }
        }
      }
    }
    if (best >= maxD2) continue;
    const ax = Math.abs(bdx);
    const ay = Math.abs(bdy);
    // ±30° cones; diagonal neighbours say nothing.
    if (ay < ax * 0.577) horizontal++;
    else if (ax < ay * 0.577) vertical++;
  }
  return { horizontal, vertical };
}

/** A blob is "elongated" when its long side is at least this many times its short side … */
const ELONGATION = 3;
/** … and at least this many times the typical glyph thickness (so a lone `l` or `1` does not count), */
const ELONGATION_LENGTH = 2.5;
/** … and its short side at least this share of the typical thickness (strokes broken off letters are thinner). */
const MIN_THICKNESS = 0.6;

/**
 * Direction of elongated blobs: words merged into one component by blur, bold or tight print lie along the
 * text lines, so they are wide on an upright page and tall on a page turned by 90°. Single glyphs (a tall `l`)
 * are too short to vote, strokes broken off letters by noise too thin.
 */
export function elongationVotes(g: GlyphBoxes): NeighbourVotes {
  const { comps, glyphs } = g;
  const thin: number[] = [];
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    thin.push(Math.min(comps.x1[i] - comps.x0[i], comps.y1[i] - comps.y0[i]));
  }
  thin.sort((a, b) => a - b);
  // Upper-quartile thickness: a glyph's width or a merged word's height, not a stroke.
  const m = Math.max(2, thin[Math.floor(thin.length * 0.75)] ?? 0);
  let horizontal = 0;
  let vertical = 0;
  for (let k = 0; k < glyphs.length; k++) {
    const i = glyphs[k];
    const w = comps.x1[i] - comps.x0[i];
    const h = comps.y1[i] - comps.y0[i];
    // Thinner than the typical glyph: a stroke broken off a letter (noise, faint print), not a word.
    if (Math.min(w, h) < MIN_THICKNESS * m) continue;
    if (w >= ELONGATION * h && w >= ELONGATION_LENGTH * m) horizontal++;
    else if (h >= ELONGATION * w && h >= ELONGATION_LENGTH * m) vertical++;
  }
  return { horizontal, vertical };
}
