import type { PageImage, Quality } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';

/** 2x3 affine matrix [a, b, c, d, e, f] mapping processed-page pixels to original pixels: x' = a*x + b*y + c, y' = d*x + e*y + f. */
export type Affine = [number, number, number, number, number, number];
export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

export interface PreprocessResult {
  /** The page handed to the OCR engine. */
  page: PageImage;
  quality: Quality | null;
  /** Steps that ran, in order (recorded in `record.preprocess`). */
  steps: string[];
  /** Maps boxes on `page` back to the original image. */
  toOriginal: Affine;
}

/**
 * Engine-agnostic page clean-up and quality assessment.
 * (Foundation version: passes the page through; the preprocessing issue fills this in.)
 */
export async function preprocessPage(page: PageImage, _opts: ZakConfig['preprocess']): Promise<PreprocessResult> {
  return { page, quality: null, steps: [], toOriginal: IDENTITY };
}
