import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { FileError, errorMessage } from '../core/errors.js';
import { whileNativeBusy } from '../core/exit-cleanup.js';
import type { PageImage, SourceItem } from '../core/types.js';
import { downscaleStep, fitPixels } from './budget.js';
import { sniffFormat, type InputFormat } from './sniff.js';

export { sniffFormat, type InputFormat } from './sniff.js';

// An immediate exit (second Ctrl-C) waits until libvips has no operation in flight: see core/exit-cleanup.ts.
whileNativeBusy(() => {
  const { queue, process: running } = sharp.counters();
  return queue + running > 0;
});

/**
 * Opened non-blocking: a FIFO named like an image would otherwise block `open` until a writer appears, holding a
 * libuv thread that even `process.exit` waits for. Regular files ignore the flag; the fstat below rejects the rest.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Bytes of a file, read once (they are also hashed), with the size limit checked before reading. */
export async function readInput(item: SourceItem, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(item.absPath, OPEN_FLAGS);
  } catch (err) {
    throw new FileError('unreadable', 'read', `Cannot open ${item.path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : 'a device or special file';
      throw new FileError('unreadable', 'read', `${item.path} is ${kind}, not a regular file`);
    }
    if (st.size === 0) throw new FileError('empty_file', 'read', `${item.path} is empty (0 bytes)`);
    if (st.size > maxBytes) {
      throw new FileError('too_large', 'read', `${item.path} is ${st.size} bytes, over the limit of ${maxBytes} (limits.maxBytes)`);
    }
    return await handle.readFile();
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw new FileError('unreadable', 'read', `Cannot read ${item.path}: ${errorMessage(err)}`, { cause: err });
  } finally {
    await handle.close();
  }
}

export interface DecodeLimits {
  /** Largest input image (or image inside a PDF) in pixels: the decompression-bomb guard (→ too_large). */
  maxPixels: number;
  /** Largest page handed on, in pixels: bigger images are downscaled, PDF pages rasterised at a lower DPI. */
  maxPagePixels: number;
  maxPages: number;
  pdfDpi: number;
}

export interface DecodedInput {
  format: InputFormat;
  /** Pages, decoded one at a time (at most one in memory per file). */
  pages: AsyncGenerator<PageImage>;
}

const RASTER: ReadonlySet<InputFormat> = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'bmp', 'heif', 'avif']);

function sharpError(item: SourceItem, err: unknown, maxPixels: number): FileError {
  const msg = errorMessage(err);
  if (/pixel limit/i.test(msg)) {
    return new FileError('too_large', 'decode', `${item.path} exceeds the pixel limit of ${maxPixels} (limits.maxPixels): ${msg}`, { cause: err });
  }
  if (/unsupported image format|bad seek|no decoder/i.test(msg)) {
    return new FileError('unsupported_format', 'decode', `${item.path}: the decoder cannot read this image: ${msg}`, { cause: err });
  }
  return new FileError('corrupt_image', 'decode', `${item.path} is damaged or truncated: ${msg}`, { cause: err });
}

/**
 * Validates and decodes a file into raw 3-channel sRGB pages (EXIF orientation applied,
 * transparency flattened on white). Multi-page TIFFs give one page each; PDFs are handed to `decodePdf`.
 * @throws FileError unsupported_format | corrupt_image | too_large
 */
export async function decodeInput(bytes: Buffer, item: SourceItem, limits: DecodeLimits): Promise<DecodedInput> {
  const format = sniffFormat(bytes.subarray(0, 1024));
  if (format === 'pdf') {
    const { decodePdf } = await import('./pdf.js');
    return { format, pages: decodePdf(bytes, item, { maxPages: limits.maxPages, maxPixels: limits.maxPixels, maxPagePixels: limits.maxPagePixels, dpi: limits.pdfDpi }) };
  }
  if (!RASTER.has(format)) {
    throw new FileError('unsupported_format', 'decode', `${item.path} is not a supported image or PDF (no known signature in its first bytes)`);
  }
  let pageCount = 1;
  try {
    const meta = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' }).metadata();
    if (!meta.width || !meta.height) throw new Error('no image dimensions');
    if (meta.width * meta.height > limits.maxPixels) throw new Error('Input image exceeds pixel limit');
    if (format === 'tiff' && (meta.pages ?? 1) > 1) pageCount = meta.pages ?? 1;
  } catch (err) {
    throw sharpError(item, err, limits.maxPixels);
  }
  if (pageCount > limits.maxPages) {
    throw new FileError('too_large', 'decode', `${item.path} has ${pageCount} pages, over the limit of ${limits.maxPages} (limits.maxPages)`);
  }
  const multi = pageCount > 1;
  // Decode the first page eagerly so a damaged single image fails here, with its file named.
  const first = await decodeRasterPage(bytes, item, limits, multi ? 0 : null);
  async function* pages(): AsyncGenerator<PageImage> {
    yield first;
    for (let p = 1; p < pageCount; p++) yield await decodeRasterPage(bytes, item, limits, p);
  }
  return { format, pages: pages() };
}

async function decodeRasterPage(bytes: Buffer, item: SourceItem, limits: DecodeLimits, page: number | null): Promise<PageImage> {
  try {
    const input = () => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning', page: page ?? 0 });
    // A page over the budget (a 14,000 px poster, a 2,400 dpi scan) is shrunk while libvips streams it in, so its
    // full-size pixels are never held at once.
    const meta = await input().metadata();
    let [w, h] = [meta.width ?? 0, meta.height ?? 0];
    if ((meta.orientation ?? 1) >= 5) [w, h] = [h, w];
    const fit = fitPixels(w, h, limits.maxPagePixels);
    const steps: string[] = [];
    let image = input().rotate();
    if (w > 0 && h > 0 && (fit.width !== w || fit.height !== h)) {
      image = image.resize(fit.width, fit.height, { fit: 'fill' });
      steps.push(downscaleStep(`${w}x${h}`, `${fit.width}x${fit.height}`, limits.maxPagePixels));
    }
    const { data, info } = await image
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const out: PageImage = { data, width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4, page };
    if (steps.length) out.steps = steps;
    return out;
  } catch (err) {
    throw sharpError(item, err, limits.maxPixels);
  }
}
