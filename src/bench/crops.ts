/**
 * Small JPEG crops of the worst items for the HTML report, as data: URIs (the report must open offline). Page items
 * with recognised lines get a crop of each of their worst lines (with a margin of context); other items one picture
 * of the image with its white margins trimmed, so a one-line page (the Bengali set's 3600×4800 TIFFs) shows its line,
 * not a blank sheet.
 */
import sharp from 'sharp';
import type { Box, Logger } from '../core/types.js';
import { errorMessage } from '../core/errors.js';
import type { VariantResult } from './types.js';
import type { CropMap, ItemCrops } from './report-html.js';

/** Largest crop edge in pixels: enough to read a line, small enough to keep the report light. */
export const CROP_MAX_WIDTH = 900;
export const CROP_MAX_HEIGHT = 900;
/** Line crops are short: at most this tall after scaling. */
const LINE_CROP_MAX_HEIGHT = 160;
/** Context around a line box, as a fraction of the line's height (at least 4 px). */
const LINE_MARGIN = 0.35;
const JPEG_QUALITY = 72;
/** Crops of inputs larger than this are skipped (decoding them would cost more than the report is worth). */
const CROP_MAX_INPUT_PIXELS = 60_000_000;

const open = (file: string) => sharp(file, { limitInputPixels: CROP_MAX_INPUT_PIXELS, failOn: 'none' });
const dataUri = (buf: Buffer) => `data:image/jpeg;base64,${buf.toString('base64')}`;

/** One image as a JPEG data URI, or null when it cannot be decoded (PDFs, damaged files). */
export async function cropDataUri(file: string, log?: Logger): Promise<string | null> {
  try {
    const img = open(file).flatten({ background: '#ffffff' });
    let buf: Buffer;
    try {
      buf = await img.clone().trim({ threshold: 30 }).resize({ width: CROP_MAX_WIDTH, height: CROP_MAX_HEIGHT, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: JPEG_QUALITY }).toBuffer();
    } catch {
      // trim fails on a uniform image: fall back to the whole page
      buf = await img.resize({ width: CROP_MAX_WIDTH, height: CROP_MAX_HEIGHT, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: JPEG_QUALITY }).toBuffer();
    }
    return dataUri(buf);
  } catch (err) {
    log?.debug(`no crop for ${file}: ${errorMessage(err)}`);
    return null;
  }
}

/** The box grown by a margin and clipped to a width × height image, in whole pixels; null when nothing is left. */
export function lineCropRegion(box: Box, width: number, height: number): { left: number; top: number; width: number; height: number } | null {
  const [x, y, w, h] = box;
  const m = Math.max(4, h * LINE_MARGIN);
  const left = Math.max(0, Math.floor(x - m));
  const top = Math.max(0, Math.floor(y - m));
  const right = Math.min(width, Math.ceil(x + w + m));
  const bottom = Math.min(height, Math.ceil(y + h + m));
  return right - left >= 2 && bottom - top >= 2 ? { left, top, width: right - left, height: bottom - top } : null;
}

/** Crops of line boxes (record pixels: the image after its EXIF orientation) as data URIs; null for a box it cannot cut. */
export async function lineCropDataUris(file: string, boxes: readonly Box[], log?: Logger): Promise<Array<string | null>> {
  try {
    const meta = await open(file).metadata();
    const turned = (meta.orientation ?? 1) >= 5; // EXIF 5-8 swap width and height
    const width = (turned ? meta.height : meta.width) ?? 0;
    const height = (turned ? meta.width : meta.height) ?? 0;
    return await Promise.all(boxes.map(async (box) => {
      const region = lineCropRegion(box, width, height);
      if (!region) return null;
      const buf = await open(file).rotate().extract(region).flatten({ background: '#ffffff' })
        .resize({ width: CROP_MAX_WIDTH, height: LINE_CROP_MAX_HEIGHT, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: JPEG_QUALITY }).toBuffer();
      return dataUri(buf);
    }));
  } catch (err) {
    log?.debug(`no line crops for ${file}: ${errorMessage(err)}`);
    return boxes.map(() => null);
  }
}

/** Crops for the first `max` worst items of every variant (each page picture made once). */
export async function makeCrops(variants: readonly VariantResult[], max: number, log?: Logger): Promise<CropMap> {
  const pages = new Map<string, string | null>();
  const out: Record<string, Record<string, ItemCrops>> = {};
  for (const v of variants) {
    out[v.name] = {};
    for (const w of v.worst.slice(0, max)) {
      if (!w.image) continue;
      const lines = w.lines?.length ? await lineCropDataUris(w.image, w.lines.map((l) => l.box), log) : [];
      if (lines.some((l) => l !== null)) {
        out[v.name]![w.id] = { lines };
        continue;
      }
      if (!pages.has(w.image)) pages.set(w.image, await cropDataUri(w.image, log));
      const page = pages.get(w.image);
      if (page) out[v.name]![w.id] = { page };
    }
  }
  return out;
}
