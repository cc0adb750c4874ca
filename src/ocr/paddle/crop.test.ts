import { describe, expect, it } from 'vitest';
import type { PageImage, Quad } from '../../core/types.js';
import { cropQuad, growQuad, resizeWidth, rotate180, rotateQuad180, type Crop } from './crop.js';

/** A grey page whose pixel value is 10·x + y (x < 20, y < 10). */
function rampPage(): PageImage {
  const width = 20, height = 10;
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = 10 * x + y;
  return { data, width, height, channels: 1, page: null };
}

const grey = (c: Crop) => Array.from({ length: c.width * c.height }, (_, i) => c.data[i * 3]);

describe('cropQuad', () => {
  it('samples an axis-aligned box 1:1 at pixel centres', () => {
    const c = cropQuad(rampPage(), [[2, 3], [6, 3], [6, 5], [2, 5]], 2);
    expect([c.width, c.height]).toEqual([4, 2]);
    expect(grey(c)).toEqual([23, 33, 43, 53, 24, 34, 44, 54]);
  });

  it('averages sub-samples when shrinking (2× → mean of 2×2 pixels)', () => {
    const c = cropQuad(rampPage(), [[2, 2], [6, 2], [6, 6], [2, 6]], 2);
    expect([c.width, c.height]).toEqual([2, 2]);
    // Top-left output pixel covers x 2..3, y 2..3: (22 + 32 + 23 + 33) / 4 = 27.5 → 28.
    expect(grey(c)).toEqual([28, 48, 30, 50]);
  });

  it('reads a box turned by 180° (corners relabelled) upside down', () => {
    const q: Quad = [[2, 3], [6, 3], [6, 5], [2, 5]];
    expect(grey(cropQuad(rampPage(), rotateQuad180(q), 2))).toEqual([54, 44, 34, 24, 53, 43, 33, 23]);
  });

  it('caps the width and clamps samples outside the page to the edge', () => {
    const c = cropQuad(rampPage(), [[-2, 0], [2, 0], [2, 1], [-2, 1]], 1, 3);
    expect(c.width).toBe(3);
    expect(grey(c)[0]).toBe(0);
  });
});

describe('crop helpers', () => {
  it('rotate180 reverses pixel order', () => {
    const c: Crop = { data: Uint8Array.from([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]), width: 2, height: 2 };
    expect(grey(rotate180(c))).toEqual([4, 3, 2, 1]);
  });

  it('resizeWidth averages the columns each output column covers', () => {
    const c: Crop = { data: Uint8Array.from([0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30]), width: 4, height: 1 };
    expect(grey(resizeWidth(c, 2))).toEqual([5, 25]);
    expect(resizeWidth(c, 4)).toBe(c);
  });

  it('growQuad extends along and across the text direction', () => {
    expect(growQuad([[0, 0], [10, 0], [10, 4], [0, 4]], 2, 1)).toEqual([[-2, -1], [12, -1], [12, 5], [-2, 5]]);
  });

});
