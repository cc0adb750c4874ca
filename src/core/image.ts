import type { PageImage } from './types.js';

/** ITU-R BT.601 luma of an interleaved page; returns a 1-channel page (the same object if already grey). */
export function toGray(page: PageImage): PageImage {
  if (page.channels === 1) return page;
  const { width, height, channels, data } = page;
  const out = Buffer.allocUnsafe(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += channels) {
    out[i] = (data[j] * 299 + data[j + 1] * 587 + data[j + 2] * 114 + 500) / 1000;
  }
  return { ...page, data: out, channels: 1 };
}

/**
 * Pages at most this tall may be a single text line (line datasets, cut-out labels, re-read crops): the engines
 * consider line mode only for them.
 */
export const LINE_IMAGE_MAX_HEIGHT_PX = 160;
