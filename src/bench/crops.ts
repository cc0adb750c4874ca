/**
 * Small JPEG crops of the worst items for the HTML report, as data: URIs (the report must open
 * offline). White margins are trimmed first, so a one-line page (the Bengali set's 3600×4800 TIFFs)
 * shows its line, not a blank sheet.
 */
import sharp from 'sharp';
import type { Logger } from '../core/types.js';
import { errorMessage } from '../core/errors.js';
import type { VariantResult } from './types.js';
import type { CropMap } from './report-html.js';

/** Largest crop edge in pixels: enough to read a line, small enough to keep the report light. */
export const CROP_MAX_WIDTH = 900;
export const CROP_MAX_HEIGHT = 900;
const JPEG_QUALITY = 72;
/** Crops of inputs larger than this are skipped (decoding them would cost more than the report is worth). */
const CROP_MAX_INPUT_PIXELS = 60_000_000;

/** One image as a JPEG data URI, or null when it cannot be decoded (PDFs, damaged files). */
export async function cropDataUri(file: string, log?: Logger): Promise<string | null> {
  try {
    const img = sharp(file, { limitInputPixels: CROP_MAX_INPUT_PIXELS, failOn: 'none' }).flatten({ background: '#ffffff' });
    let buf: Buffer;
    try {
      buf = await img.clone().trim({ threshold: 30 }).resize({ width: CROP_MAX_WIDTH, height: CROP_MAX_HEIGHT, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: JPEG_QUALITY }).toBuffer();
    } catch {
      // trim fails on a uniform image: fall back to the whole page
      buf = await img.resize({ width: CROP_MAX_WIDTH, height: CROP_MAX_HEIGHT, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: JPEG_QUALITY }).toBuffer();
    }
    return `data:image/jpeg;base64,${buf.toString('base64')}`;
  } catch (err) {
    log?.debug(`no crop for ${file}: ${errorMessage(err)}`);
    return null;
  }
}

/** Crops for the first `max` worst items of every variant (each image decoded once). */
export async function makeCrops(variants: readonly VariantResult[], max: number, log?: Logger): Promise<CropMap> {
  const cache = new Map<string, string | null>();
  const out: Record<string, Record<string, string>> = {};
  for (const v of variants) {
    out[v.name] = {};
    for (const w of v.worst.slice(0, max)) {
      if (!w.image) continue;
      if (!cache.has(w.image)) cache.set(w.image, await cropDataUri(w.image, log));
      const uri = cache.get(w.image);
      if (uri) out[v.name]![w.id] = uri;
    }
  }
  return out;
}
