/**
 * Shrinks the images pdf.js decodes before they are painted. pdf.js paints an image's pixels through a temporary
 * canvas of the image's own size (RGBA, 4 bytes a pixel) whatever size it is drawn at: a 14,000 × 14,000 px CCITT
 * scan takes 784 MB there, and a larger one fails outright ("Create skia surface failed"). An image is drawn into
 * the unit square of its transform, so one with fewer pixels paints the same page: images above the page raster's
 * pixel count are area-averaged down to it as they arrive, straight into a canvas pdf.js draws as it is (an image
 * `bitmap`), which loses nothing the raster could show and skips the temporary canvas. Image masks (1-bit stencils)
 * stay 1-bit masks, just smaller.
 */
import { fitPixels } from './budget.js';

/** pdf.js `ImageKind`: how `data` is packed. */
export const IMAGE_KIND = { GRAYSCALE_1BPP: 1, RGB_24BPP: 2, RGBA_32BPP: 3 } as const;

/** A decoded image or image mask as pdf.js hands it to the canvas (masks have no `kind`: 1 bit a pixel, 0 = paint). */
export interface PdfImage {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
  [extra: string]: unknown;
}
type ImageWithData = PdfImage & { data: Uint8Array | Uint8ClampedArray };

/** Whether an object pdf.js resolved is image data this module can shrink. */
export function isPdfImage(obj: unknown): obj is ImageWithData {
  if (!obj || typeof obj !== 'object') return false;
  const o = obj as Partial<PdfImage>;
  return typeof o.width === 'number' && typeof o.height === 'number' && (o.data instanceof Uint8Array || o.data instanceof Uint8ClampedArray);
}

/** Rows of a shrunk image written to its canvas at a time. */
const STRIP_ROWS = 64;
/** A 1-bit mask keeps a pixel painted when at least this share of the pixels it stands for were (thin strokes survive). */
const MASK_INK_SHARE = 1 / 3;

/** Channels of an image kind (1 for 1-bit images and masks), or 0 for a packing this module does not know. */
function channelsOf(img: PdfImage): number {
  if (img.kind === undefined || img.kind === IMAGE_KIND.GRAYSCALE_1BPP) return 1;
  return img.kind === IMAGE_KIND.RGB_24BPP ? 3 : img.kind === IMAGE_KIND.RGBA_32BPP ? 4 : 0;
}

/**
 * Area-averages `img` to `outW × outH`, one output row at a time: `row(y, sums, count)` gets, per output pixel and
 * channel, the sum of the source values (0/1 for 1-bit data) and the number of source pixels they came from.
 */
function averageRows(img: ImageWithData, outW: number, outH: number, row: (y: number, sums: Float64Array, counts: Float64Array) => void): void {
  const channels = channelsOf(img);
  const bits = channels === 1;
  const { width: w, height: h, data } = img;
  const rowBytes = bits ? (w + 7) >> 3 : w * channels;
  const column = new Int32Array(w);
  const perColumn = new Float64Array(outW);
  for (let x = 0; x < w; x++) {
    column[x] = Math.min(outW - 1, Math.floor((x * outW) / w));
    perColumn[column[x]]++;
  }
  const sums = new Float64Array(outW * channels);
  const counts = new Float64Array(outW);
  let y = 0;
  for (let oy = 0; oy < outH; oy++) {
    const yEnd = oy === outH - 1 ? h : Math.floor(((oy + 1) * h) / outH);
    sums.fill(0);
    const rows = Math.max(1, yEnd - y);
    for (; y < yEnd; y++) {
      const base = y * rowBytes;
      if (bits) {
        for (let x = 0; x < w; x++) if ((data[base + (x >> 3)] >> (7 - (x & 7))) & 1) sums[column[x]]++;
      } else {
        for (let x = 0, p = base; x < w; x++, p += channels) {
          const o = column[x] * channels;
          for (let c = 0; c < channels; c++) sums[o + c] += data[p + c];
        }
      }
    }
    for (let ox = 0; ox < outW; ox++) counts[ox] = perColumn[ox] * rows;
    row(oy, sums, counts);
  }
}

/** An image mask shrunk to at most `maxPixels` (itself when small enough). */
export function shrinkMask<T extends PdfImage>(img: T, maxPixels: number): T {
  if (!isPdfImage(img) || img.kind !== undefined || img.width * img.height <= maxPixels) return img;
  const out = fitPixels(img.width, img.height, maxPixels);
  const rowBytes = (out.width + 7) >> 3;
  const data = new Uint8ClampedArray(rowBytes * out.height);
  averageRows(img, out.width, out.height, (y, sums, counts) => {
    // Bit 1 leaves the pixel unpainted: it stays 1 only when fewer than MASK_INK_SHARE of its pixels were painted.
    for (let x = 0; x < out.width; x++) if (1 - sums[x] / counts[x] < MASK_INK_SHARE) data[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
  });
  return { ...img, width: out.width, height: out.height, data, ...('dataLen' in img ? { dataLen: data.length } : {}) };
}

/**
 * Area-averages `img` to `outW × outH` into RGBA strips of `strip.length / (4 · outW)` rows (alpha 255 unless the
 * image has alpha); `onRows(y0, rows)` is called when a strip is full (and for the last one). 1-bit images become
 * grey (anti-aliased, better for OCR than a thresholded copy). The one strip buffer is reused.
 */
export function shrinkImageRows(img: ImageWithData, outW: number, outH: number, strip: Uint8ClampedArray, onRows: (y0: number, rows: number) => void): void {
  const channels = channelsOf(img);
  const stripRows = Math.max(1, Math.floor(strip.length / (outW * 4)));
  let y0 = 0;
  averageRows(img, outW, outH, (y, sums, counts) => {
    const o = (y - y0) * outW * 4;
    for (let x = 0; x < outW; x++) {
      const p = o + x * 4;
      if (channels === 1) strip[p] = strip[p + 1] = strip[p + 2] = Math.round((255 * sums[x]) / counts[x]);
      else for (let c = 0; c < 3; c++) strip[p + c] = Math.round(sums[x * channels + c] / counts[x]);
      strip[p + 3] = channels === 4 ? Math.round(sums[x * 4 + 3] / counts[x]) : 255;
    }
    const rows = y - y0 + 1;
    if (rows === stripRows || y === outH - 1) {
      onRows(y0, rows);
      y0 = y + 1;
    }
  });
}

/** The canvas a shrunk image is drawn into (pdf.js's Node canvas factory). */
export interface BitmapCanvasFactory {
  create(width: number, height: number): {
    canvas: { width: number; height: number };
    context: { createImageData(w: number, h: number): { data: Uint8ClampedArray }; putImageData(d: unknown, x: number, y: number): void };
  };
}

/**
 * What pdf.js should keep for an arriving image: itself when it fits `maxPixels` (or is of an unknown packing),
 * a shrunk 1-bit mask, or a `bitmap` canvas holding the image area-averaged to `maxPixels`.
 */
export function shrinkForPage(img: unknown, maxPixels: number, factory: BitmapCanvasFactory): unknown {
  if (!isPdfImage(img) || img.width * img.height <= maxPixels || channelsOf(img) === 0) return img;
  if (img.kind === undefined) return shrinkMask(img, maxPixels);
  const out = fitPixels(img.width, img.height, maxPixels);
  const { canvas, context } = factory.create(out.width, out.height);
  const rows = Math.min(STRIP_ROWS, out.height);
  const strip = context.createImageData(out.width, rows);
  shrinkImageRows(img, out.width, out.height, strip.data, (y0, n) => {
    if (n === rows) context.putImageData(strip, 0, y0);
    else {
      const last = context.createImageData(out.width, n);
      last.data.set(strip.data.subarray(0, out.width * n * 4));
      context.putImageData(last, 0, y0);
    }
  });
  // pdf.js closes image bitmaps when it drops a page's objects: a canvas frees its pixels at size 0.
  const bitmap = Object.assign(canvas, {
    close() {
      canvas.width = 0;
      canvas.height = 0;
    },
  });
  return { width: out.width, height: out.height, bitmap, interpolate: img.interpolate };
}
