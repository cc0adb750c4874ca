/**
 * Phrase grouping for the auto engine's re-reads: neighbouring boxes of a row joined into one crop. Pure.
 */
import type { Quad } from '../../core/types.js';

/** Neighbouring boxes of a row closer than this many box heights are one phrase (one crop for a re-read). */
export const PHRASE_GAP = 1.5;

/**
 * Joins neighbouring boxes of each row into phrase quads (TL/BL of the first box, TR/BR of the last), for engines
 * that read whole lines better than fragments (Tesseract's language model needs the context). Pure.
 * @returns rows of phrases in reading order; each phrase lists the segment indexes it covers
 */
export function phrases(quads: readonly Quad[], rows: readonly number[][], maxGap = PHRASE_GAP): { quad: Quad; members: number[] }[][] {
  return rows.map((row) => {
    const out: { quad: Quad; members: number[] }[] = [];
    for (const i of row) {
      const q = quads[i];
      const last = out[out.length - 1];
      if (last) {
        const prev = last.quad;
        const h = Math.max(Math.hypot(q[3][0] - q[0][0], q[3][1] - q[0][1]), Math.hypot(prev[2][0] - prev[1][0], prev[2][1] - prev[1][1]));
        const gap = Math.min(q[0][0], q[3][0]) - Math.max(prev[1][0], prev[2][0]);
        if (gap <= maxGap * h) {
          last.quad = [prev[0], q[1], q[2], prev[3]];
          last.members.push(i);
          continue;
        }
      }
      out.push({ quad: q, members: [i] });
    }
    return out;
  });
}
