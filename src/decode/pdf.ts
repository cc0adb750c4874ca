import { FileError } from '../core/errors.js';
import type { PageImage, SourceItem } from '../core/types.js';

/**
 * PDF pages, one at a time. (Foundation version: PDFs are not read yet; the preprocessing issue
 * replaces this with text-layer extraction and rasterisation.)
 */
// eslint-disable-next-line require-yield
export async function* decodePdf(
  _bytes: Buffer,
  item: SourceItem,
  _limits: { maxPixels: number; maxPages: number; dpi: number },
): AsyncGenerator<PageImage> {
  throw new FileError('unsupported_format', 'decode', `${item.path}: PDF input is not supported yet`);
}
