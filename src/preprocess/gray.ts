import type { PageImage } from '../core/types.js';
import { toGray } from '../core/image.js';

/** A single-channel 8-bit image (0 = black, 255 = white), row-major, no padding. */
export interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Luma of a page as a `Gray` (shares the buffer when the page is already 1-channel). */
export function pageToGray(page: PageImage): Gray {
  const g = toGray(page);
  return { data: new Uint8Array(g.data.buffer, g.data.byteOffset, g.width * g.height), width: g.width, height: g.height };
}
