import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Analyzer } from '../pipeline/analyzer.js';

/** A small label-like image: the first real inference pays the runtime's allocations, not a customer's request. */
const WARMUP_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="96"><rect width="100%" height="100%" fill="#fff"/><text x="12" y="40" font-size="26" font-family="sans-serif">Basmati Rice 5kg</text><text x="12" y="80" font-size="26" font-family="sans-serif">Tk 450.00</text></svg>';

/** Runs one analysis of a generated image in `dir`; returns its milliseconds. Never throws (a warm-up is best effort). */
export async function warmUp(analyzer: Analyzer, dir: string): Promise<number | null> {
  const file = path.join(dir, 'warmup.png');
  try {
    await writeFile(file, await sharp(Buffer.from(WARMUP_SVG)).png().toBuffer());
    const t = performance.now();
    await analyzer.analyse({ path: 'warmup.png', absPath: file, size: -1 });
    return Math.round(performance.now() - t);
  } catch {
    return null;
  }
}
