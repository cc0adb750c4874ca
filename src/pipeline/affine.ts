import { isIdentity, mapBox, mapQuad, type Affine } from '../core/geometry.js';
import type { OcrLine } from '../core/types.js';

/** Lines with boxes (and quads) mapped back to original image pixels, in whole pixels. Pure. */
export function mapLines(lines: OcrLine[], m: Affine): OcrLine[] {
  if (isIdentity(m)) return lines;
  return lines.map((l) => ({
    ...l,
    box: mapBox(m, l.box, 0),
    ...(l.quad ? { quad: mapQuad(m, l.quad, 0) } : {}),
  }));
}
