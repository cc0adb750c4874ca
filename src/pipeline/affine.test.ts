import { describe, expect, it } from 'vitest';
import type { Affine } from '../core/geometry.js';
import type { OcrLine } from '../core/types.js';
import { mapLines } from './affine.js';

const I: Affine = [1, 0, 0, 0, 1, 0];
const SCALE_HALF: Affine = [0.5, 0, 0, 0, 0.5, 0]; // processed page was upscaled 2x
const SHIFT: Affine = [1, 0, 40, 0, 1, 15]; // processed page was cropped at (40, 15)
// Processed page = original rotated 90° clockwise; original height H = 100: x' = y, y' = H - x.
const ROT90: Affine = [0, 1, 0, -1, 0, 100];

describe('mapLines', () => {
  const line: OcrLine = { text: 'Tk 450', confidence: 0.9, engine: 'tesseract', box: [10, 20, 30, 40], quad: [[10, 20], [40, 20], [40, 60], [10, 60]] };

  it('returns the same array for the identity (no copy per page)', () => {
    const lines = [line];
    expect(mapLines(lines, I)).toBe(lines);
  });

  it('maps boxes and quads, keeping every other property', () => {
    const [out] = mapLines([line], SHIFT);
    expect(out).toEqual({ ...line, box: [50, 35, 30, 40], quad: [[50, 35], [80, 35], [80, 75], [50, 75]] });
    expect(line.box).toEqual([10, 20, 30, 40]); // input untouched
  });

  it('adds no quad to lines without one', () => {
    const [out] = mapLines([{ text: 'a', confidence: 1, engine: 'x', box: [0, 0, 4, 4] }], SCALE_HALF);
    expect(out).toEqual({ text: 'a', confidence: 1, engine: 'x', box: [0, 0, 2, 2] });
    expect('quad' in out).toBe(false);
  });
});
