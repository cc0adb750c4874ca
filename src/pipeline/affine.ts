import type { Box, OcrLine, Quad } from '../core/types.js';
import type { Affine } from '../preprocess/affine.js';

function apply(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Maps an axis-aligned box through an affine transform; returns the bounding box of its corners. Pure. */
export function mapBox(box: Box, m: Affine): Box {
  const [x, y, w, h] = box;
  const pts = [apply(m, x, y), apply(m, x + w, y), apply(m, x + w, y + h), apply(m, x, y + h)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  return [Math.round(x0), Math.round(y0), Math.round(Math.max(...xs) - x0), Math.round(Math.max(...ys) - y0)];
}

function isIdentity(m: Affine): boolean {
  return m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 0 && m[4] === 1 && m[5] === 0;
}

/** Lines with boxes (and quads) mapped back to original image pixels. */
export function mapLines(lines: OcrLine[], m: Affine): OcrLine[] {
  if (isIdentity(m)) return lines;
  return lines.map((l) => ({
    ...l,
    box: mapBox(l.box, m),
    ...(l.quad ? { quad: l.quad.map(([x, y]) => apply(m, x, y).map(Math.round)) as Quad } : {}),
  }));
}
