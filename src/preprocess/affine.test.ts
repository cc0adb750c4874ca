import { describe, expect, it } from 'vitest';
import { IDENTITY, applyPoint, compose, invert, isIdentity, mapBox, type Affine } from '../core/geometry.js';
import { cropToInput, rotationToInput, scaleToInput } from './affine.js';

const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));

describe('affine maps (processed → original)', () => {
  it.each<[string, Affine, [number, number], [number, number]]>([
    ['identity', IDENTITY, [12, 34], [12, 34]],
    ['crop at (40, 15)', cropToInput(40, 15), [0, 0], [40, 15]],
    ['upscale ×2', scaleToInput(2), [100, 50], [50, 25]],
    ['anisotropic scale', scaleToInput(2, 4), [100, 100], [50, 25]],
    // sharp rotate(90) of a 200×100 image gives 100×200; pixel (79, 30) came from pixel (30, 20): centres at +0.5.
    ['rotate 90° cw, canvas swapped', rotationToInput(90, 200, 100, 100, 200), [79.5, 30.5], [30.5, 20.5]],
    ['rotate 180°: corner to corner', rotationToInput(180, 200, 100, 200, 100), [0, 0], [200, 100]],
    ['rotate -90°', rotationToInput(-90, 200, 100, 100, 200), [20.5, 169.5], [30.5, 20.5]],
  ])('%s', (_n, m, p, expected) => {
    close(applyPoint(m, p[0], p[1]), expected);
  });

  it('matches where sharp put a dot after rotate(7) (211×124 canvas from 200×100)', () => {
    // Measured with sharp 0.35: the dot at input pixel (30, 20) lands on output pixels (39, 23..24).
    const [x, y] = applyPoint(rotationToInput(7, 200, 100, 211, 124), 39.5, 24);
    // libvips resamples with its own half-pixel convention: agreement within a pixel is what boxes need.
    expect(Math.abs(x - 30.5)).toBeLessThan(1);
    expect(Math.abs(y - 20.5)).toBeLessThan(1);
  });

  it('composes inner first, then outer', () => {
    // Page was rotated (inner map: rotated → original), then cropped (crop → rotated).
    const rot = rotationToInput(90, 200, 100, 100, 200);
    const total = compose(rot, cropToInput(50, 10));
    close(applyPoint(total, 29, 20), applyPoint(rot, 79, 30));
    close(applyPoint(total, 29.5, 20.5), [30.5, 20.5]);
  });

  it('inverts', () => {
    const m = compose(rotationToInput(-7.5, 640, 480, 697, 559), compose(cropToInput(12, 30), scaleToInput(1.8)));
    const back = compose(invert(m), m);
    close(back, IDENTITY);
    expect(isIdentity(back.map((v) => Math.round(v * 1e9) / 1e9) as Affine)).toBe(true);
  });

  it('refuses a singular matrix', () => {
    expect(() => invert([0, 0, 1, 0, 0, 1])).toThrow('singular affine matrix');
  });

  it.each<[string, Affine, [number, number, number, number], [number, number, number, number]]>([
    ['crop shifts', cropToInput(5, 7), [1, 2, 3, 4], [6, 9, 3, 4]],
    ['upscale shrinks back', scaleToInput(2), [10, 10, 20, 8], [5, 5, 10, 4]],
    ['quarter turn swaps sides', rotationToInput(90, 200, 100, 100, 200), [10, 20, 30, 40], [20, 60, 40, 30]],
  ])('mapBox: %s', (_n, m, box, expected) => {
    close(mapBox(m, box), expected);
  });
});
