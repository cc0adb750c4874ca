import { describe, expect, it } from 'vitest';
import type { Components } from './components.js';
import { MIN_FLIP_GLYPHS, MIN_GLYPHS, alignmentScore, elongationVotes, estimateOrientation, neighbourVotes, type GlyphBoxes } from './orientation.js';

type B = [x0: number, y0: number, x1: number, y1: number];

/** Deterministic pseudo-random sequence. */
function rng(seed: number): () => number {
  let a = seed;
  return () => ((a = (a * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

/**
 * Boxes of mixed-case Latin text: 14 lines of 30 glyphs. Every glyph sits on the baseline except descenders;
 * tops vary (capitals/ascenders 12 px, x-height 8 px, dots 2 px).
 */
function textPage(): B[] {
  const r = rng(7);
  const boxes: B[] = [];
  for (let line = 0; line < 14; line++) {
    const base = 60 + line * 22;
    for (let i = 0; i < 30; i++) {
      const x = 40 + i * 9;
      const k = r();
      if (k < 0.1) boxes.push([x, base - 2, x + 2, base]); // period / comma
      else if (k < 0.2) boxes.push([x, base - 8, x + 7, base + 4]); // descender
      else if (k < 0.55) boxes.push([x, base - 12, x + 7, base]); // capital / ascender
      else boxes.push([x, base - 8, x + 7, base]); // x-height
    }
  }
  return boxes;
}

const W = 400;
const H = 400;

/** The boxes turned clockwise by `deg` about the page centre (each box: bounding box of its turned corners). */
function turn(boxes: B[], deg: number): B[] {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const cx = W / 2;
  const cy = H / 2;
  return boxes.map(([x0, y0, x1, y1]) => {
    const pts = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]].map(([x, y]) => [c * (x - cx) - s * (y - cy) + cx, s * (x - cx) + c * (y - cy) + cy]);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    return [Math.round(Math.min(...xs)), Math.round(Math.min(...ys)), Math.round(Math.max(...xs)), Math.round(Math.max(...ys))];
  });
}

function glyphs(boxes: B[]): GlyphBoxes {
  const n = boxes.length;
  const comps: Components = {
    count: n,
    x0: Int32Array.from(boxes.map((b) => b[0])),
    y0: Int32Array.from(boxes.map((b) => b[1])),
    x1: Int32Array.from(boxes.map((b) => b[2])),
    y1: Int32Array.from(boxes.map((b) => b[3])),
    area: Int32Array.from(boxes.map((b) => (b[2] - b[0]) * (b[3] - b[1]))),
  };
  return { comps, glyphs: Int32Array.from({ length: n }, (_, i) => i) };
}

describe('estimateOrientation', () => {
  it.each<[string, number, number, number]>([
    ['upright', 0, 0, 0],
    ['skewed 3° clockwise', 3, 0, 3],
    ['skewed 7° counter-clockwise', -7, 0, -7],
    ['skewed 15°', 15, 0, 15],
    ['turned 90° clockwise', 90, 90, 0],
    ['turned 180°', 180, 180, 0],
    ['turned 270° clockwise', 270, 270, 0],
    ['turned 90° and skewed 5°', 95, 90, 5],
  ])('%s', (_n, deg, rotation, skew) => {
    const e = estimateOrientation(glyphs(turn(textPage(), deg)), W, H);
    expect(e.rotation).toBe(rotation);
    expect(Math.abs(e.skewDeg - skew)).toBeLessThanOrEqual(0.5);
    expect(e.familyMargin).toBeGreaterThan(1.5);
  });

  it('reports a close 0/180 call as not confident and keeps the page as it is', () => {
    // All-caps without punctuation: top and bottom lines are equally straight.
    const caps = textPage().map(([x0, , x1, y1]) => [x0, y1 - 12, x1, y1] as B);
    const e = estimateOrientation(glyphs(turn(caps, 180)), W, H);
    expect(e.flipConfident).toBe(false);
    expect(e.rotation).toBe(0);
  });

  it('does not turn a page with too little text', () => {
    const few = textPage().slice(0, MIN_GLYPHS - 1);
    expect(estimateOrientation(glyphs(turn(few, 90)), W, H)).toMatchObject({ rotation: 0, skewDeg: 0, glyphs: MIN_GLYPHS - 1 });
  });

  it('with allowFlip off, never calls 180°', () => {
    expect(estimateOrientation(glyphs(turn(textPage(), 180)), W, H, false).rotation).toBe(0);
  });
});

describe('alignment cues', () => {
  it('the baseline side aligns best', () => {
    const g = glyphs(textPage());
    const bins = new Float64Array(2 * (W + H) + 8);
    const bottom = alignmentScore(g, 'bottom', 0, bins);
    expect(bottom).toBeGreaterThan(alignmentScore(g, 'top', 0, bins));
    expect(bottom).toBeGreaterThan(alignmentScore(g, 'left', 0, bins));
    expect(alignmentScore(glyphs([]), 'bottom', 0, bins)).toBe(0);
  });

  it.each<[string, number, 'horizontal' | 'vertical']>([
    ['upright letters neighbour sideways', 0, 'horizontal'],
    ['turned letters neighbour vertically', 90, 'vertical'],
  ])('%s', (_n, deg, winner) => {
    const v = neighbourVotes(glyphs(turn(textPage(), deg)));
    const loser = winner === 'horizontal' ? 'vertical' : 'horizontal';
    expect(v[winner]).toBeGreaterThan(3 * v[loser]);
  });
});

describe('elongationVotes', () => {
  /** Blurred print: each word one blob (height 10, 30-60 wide), plus a few single glyphs and thin broken stems. */
  function words(): B[] {
    const boxes: B[] = [];
    for (let line = 0; line < 10; line++) {
      for (let w = 0; w < 5; w++) boxes.push([40 + w * 70, 60 + line * 24, 40 + w * 70 + 30 + ((w * 7) % 30), 70 + line * 24]);
      boxes.push([20, 60 + line * 24, 27, 70 + line * 24]);
      boxes.push([400, 58 + line * 24, 402, 70 + line * 24]); // a stem broken off a letter: thin, does not vote
    }
    return boxes;
  }

  it.each<[string, number, 'horizontal' | 'vertical']>([
    ['merged words of an upright page lie along x', 0, 'horizontal'],
    ['merged words of a turned page lie along y', 90, 'vertical'],
  ])('%s', (_n, deg, winner) => {
    const v = elongationVotes(glyphs(turn(words(), deg)));
    expect(v[winner]).toBe(50);
    expect(v[winner === 'horizontal' ? 'vertical' : 'horizontal']).toBe(0);
  });

  it('turns a blurred page whose single glyphs are too few to vote', () => {
    expect(estimateOrientation(glyphs(turn(words(), 90)), W, H).rotation % 180).toBe(90);
    expect(estimateOrientation(glyphs(words()), W, H).rotation).toBe(0);
  });
});

describe('flip confidence', () => {
  it(`needs at least ${MIN_FLIP_GLYPHS} glyphs`, () => {
    const short = textPage().slice(0, MIN_FLIP_GLYPHS - 1);
    const e = estimateOrientation(glyphs(turn(short, 180)), W, H);
    expect(e.flipConfident).toBe(false);
    expect(e.rotation).toBe(0);
  });
});
