import type { PageImage } from '../../core/types.js';

/**
 * Encodes raw pixels as binary PNM (P5 grey / P6 RGB): Leptonica reads it directly and it costs
 * a header plus one copy, instead of a PNG deflate pass per page.
 */
export function encodePnm(page: PageImage): Buffer {
  const { width, height, channels, data } = page;
  if (channels === 1 || channels === 3) {
    const header = Buffer.from(`${channels === 1 ? 'P5' : 'P6'}\n${width} ${height}\n255\n`, 'ascii');
    return Buffer.concat([header, data.subarray(0, width * height * channels)]);
  }
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += channels, j += 3) {
    rgb[j] = data[i];
    rgb[j + 1] = data[i + 1];
    rgb[j + 2] = data[i + 2];
  }
  return Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`, 'ascii'), rgb]);
}
