/**
 * One PDF page rasterised by pdf.js onto an @napi-rs/canvas within a pixel budget: the DPI is lowered so the
 * raster stays under `limits.maxPagePixels`, images pdf.js decodes are shrunk to the raster's size as they arrive
 * (`pdf-images.ts`), and the canvas is read back in strips, so a poster page costs about its raster, not its
 * images. Every canvas is freed on every path.
 */
import { FileError, errorMessage } from '../core/errors.js';
import type { SourceItem } from '../core/types.js';
import { type BitmapCanvasFactory, isPdfImage, shrinkForPage } from './pdf-images.js';

/** PDF user-space units per inch. */
export const POINTS_PER_INCH = 72;
/** Canvas rows converted to RGB at a time where the canvas has no `data()` (a full-page copy would double the page). */
const STRIP_ROWS = 64;
/** Most pixels painted in one pass (a 32 MB RGBA band); larger pages are painted band by band. */
const BAND_PIXELS = 8_000_000;

/** The part of pdf.js's Node canvas factory (backed by @napi-rs/canvas) used here. */
interface CanvasAndContext {
  /** @napi-rs/canvas's Canvas: `data()` hands over its RGBA pixel store (premultiplied) without a readback copy. */
  canvas: { data?: () => Uint8Array };
  context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
export interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(c: CanvasAndContext): void;
}

/** The slice of a pdf.js page this module renders. */
export interface RenderablePage {
  getViewport(o: { scale: number; offsetY?: number }): { width: number; height: number; transform: number[] };
  render(o: { canvasContext: never; canvas: never; viewport: never }): { promise: Promise<void>; cancel(): void };
  objs: { resolve(id: string, data?: unknown): void };
  commonObjs: { resolve(id: string, data?: unknown): void };
  /** Drops the page's decoded objects (images, their bitmaps). */
  cleanup(): boolean;
}

/** Scale (pixels per PDF unit) for a page: `dpi`, or lower when that would pass `maxPagePixels`. */
export function pageScale(widthPt: number, heightPt: number, limits: { dpi: number; maxPagePixels: number }): { scale: number; downscaled: boolean } {
  const scale = limits.dpi / POINTS_PER_INCH;
  const fit = Math.sqrt(limits.maxPagePixels / Math.max(1e-6, widthPt * heightPt));
  return scale > fit ? { scale: fit, downscaled: true } : { scale, downscaled: false };
}

/**
 * RGBA rows (canvas) → RGB over white, written into `out` at `offset`.
 * @param premultiplied colour already multiplied by alpha (a canvas's own pixel store, `canvas.data()`)
 */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array, out: Buffer, offset = 0, premultiplied = false): void {
  for (let i = 0, j = offset; i < rgba.length; i += 4, j += 3) {
    const a = rgba[i + 3];
    if (a === 255) {
      out[j] = rgba[i];
      out[j + 1] = rgba[i + 1];
      out[j + 2] = rgba[i + 2];
    } else if (premultiplied) {
      out[j] = Math.min(255, rgba[i] + 255 - a);
      out[j + 1] = Math.min(255, rgba[i + 1] + 255 - a);
      out[j + 2] = Math.min(255, rgba[i + 2] + 255 - a);
    } else {
      const k = 255 - a;
      out[j] = (rgba[i] * a + 255 * k + 127) / 255;
      out[j + 1] = (rgba[i + 1] * a + 255 * k + 127) / 255;
      out[j + 2] = (rgba[i + 2] * a + 255 * k + 127) / 255;
    }
  }
}

/**
 * Shrinks every image that arrives for this page (and the document-wide ones it uses) to at most `maxPixels`;
 * `onImage` hears of each. Returns the function that takes the hooks off again.
 */
function shrinkArrivingImages(page: RenderablePage, maxPixels: number, factory: CanvasFactory, onImage: () => void): () => void {
  const hooked = [page.objs, page.commonObjs].map((objs) => {
    const own = Object.prototype.hasOwnProperty.call(objs, 'resolve');
    const resolve = objs.resolve;
    objs.resolve = function (this: unknown, id: string, data?: unknown) {
      if (isPdfImage(data)) {
        onImage();
        data = shrinkForPage(data, maxPixels, factory as unknown as BitmapCanvasFactory);
      }
      return resolve.call(this, id, data);
    };
    return () => {
      if (own) objs.resolve = resolve;
      else delete (objs as { resolve?: unknown }).resolve;
    };
  });
  return () => hooked.forEach((undo) => undo());
}

export interface Raster {
  data: Buffer;
  width: number;
  height: number;
  /** Whether the page painted an image (a scan, a photo, a logo). */
  hasImages: boolean;
}

/**
 * Renders a page at `scale` onto a fresh canvas and reads it back as RGB.
 * @throws FileError `too_large` when no canvas of that size can be made, `corrupt_pdf` when pdf.js cannot render
 */
export async function renderRaster(page: RenderablePage, factory: CanvasFactory, scale: number, item: SourceItem, pageNumber: number): Promise<Raster> {
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  // A large page is painted in bands onto one band-sized canvas (pdf.js keeps the page's operators and images
  // between the passes), so the page's RGBA canvas never exists whole next to its RGB copy.
  const bandRows = Math.max(1, Math.min(height, Math.floor(BAND_PIXELS / width)));
  let hasImages = false;
  const unhook = shrinkArrivingImages(page, width * height, factory, () => (hasImages = true));
  let canvas: CanvasAndContext | null = null;
  try {
    try {
      canvas = factory.create(width, bandRows);
    } catch (err) {
      throw new FileError('too_large', 'decode', `${item.path} page ${pageNumber} cannot be rendered: no ${width} × ${bandRows} px canvas for its ${width} × ${height} px raster (${(width * height / 1e6).toFixed(1)} MP): ${errorMessage(err)} (lower limits.maxPagePixels or preprocess.pdfDpi)`, { cause: err });
    }
    const data = Buffer.allocUnsafe(width * height * 3);
    for (let y0 = 0; y0 < height; y0 += bandRows) {
      const rows = Math.min(bandRows, height - y0);
      try {
        const band = page.getViewport({ scale, offsetY: -y0 });
        await page.render({ canvasContext: canvas.context as never, canvas: canvas.canvas as never, viewport: band as never }).promise;
      } catch (err) {
        const msg = errorMessage(err);
        if (/skia surface|allocat|out of memory|invalid array length/i.test(msg)) {
          throw new FileError('too_large', 'decode', `${item.path} page ${pageNumber} (${width} × ${height} px) cannot be rendered: ${msg}`, { cause: err });
        }
        throw new FileError('corrupt_pdf', 'decode', `${item.path} page ${pageNumber} cannot be rendered: ${msg}`, { cause: err });
      }
      const pixels = typeof canvas.canvas.data === 'function' ? canvas.canvas.data() : null;
      if (pixels && pixels.length === width * bandRows * 4) rgbaToRgb(pixels.subarray(0, width * rows * 4), data, y0 * width * 3, true);
      else {
        for (let y = 0; y < rows; y += STRIP_ROWS) {
          const n = Math.min(STRIP_ROWS, rows - y);
          rgbaToRgb(canvas.context.getImageData(0, y, width, n).data, data, (y0 + y) * width * 3);
        }
      }
    }
    return { data, width, height, hasImages };
  } finally {
    unhook();
    if (canvas) factory.destroy(canvas);
    // The page's decoded images (shrunk bitmaps included) go with it.
    page.cleanup();
  }
}
