/**
 * The page pixel budget (`limits.maxPagePixels`): the size a page is brought down to, and how the record says so.
 * Pure.
 */

/** Size that fits `maxPixels` with the same aspect ratio (each side at least 1 px). */
export function fitPixels(width: number, height: number, maxPixels: number): { width: number; height: number } {
  if (width * height <= maxPixels) return { width, height };
  const s = Math.sqrt(maxPixels / (width * height));
  return { width: Math.max(1, Math.floor(width * s)), height: Math.max(1, Math.floor(height * s)) };
}

/** The `preprocess[]` entry of a downscaled page, e.g. `downscaled:14000x14000->6324x6324:limits.maxPagePixels=40000000`. */
export function downscaleStep(from: string, to: string, maxPagePixels: number): string {
  return `downscaled:${from}->${to}:limits.maxPagePixels=${maxPagePixels}`;
}
