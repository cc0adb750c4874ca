import { createHash } from 'node:crypto';
import type { RawImage } from '../crop/warp.js';

/** SHA-256 of a crop's pixels and shape (hex): identical crops have identical hashes (exact de-duplication key). */
export function pixelHash(img: RawImage): string {
  const h = createHash('sha256');
  h.update(`${img.width}x${img.height}x${img.channels}:`);
  h.update(img.data);
  return h.digest('hex');
}
