import type { PageImage } from '../../src/core/types.js';

/** A grey page with dark bars at the given row ranges [y0, y1) spanning columns 10..width-10 (or light bars on dark). */
export function barsPage(width: number, height: number, rows: Array<[number, number]>, inverted = false, channels: 1 | 3 = 1): PageImage {
  const paper = inverted ? 20 : 245;
  const ink = inverted ? 235 : 15;
  const data = Buffer.alloc(width * height * channels, paper);
  for (const [y0, y1] of rows) {
    for (let y = y0; y < y1; y++) for (let x = 10; x < width - 10; x += 2) data.fill(ink, (y * width + x) * channels, (y * width + x + 1) * channels);
  }
  return { data, width, height, channels, page: null };
}
