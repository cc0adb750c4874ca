/** Helpers shared by the dataset adapters (no adapter imports another). */
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { BenchItem } from '../datasets.js';
import type { TextCompareOptions } from '../metrics.js';

/** What an adapter returns; `loadDataset` adds name, format and the subset. */
export interface AdapterResult {
  items: BenchItem[];
  compare?: TextCompareOptions;
  lang?: 'eng' | 'ben';
  /** Label files skipped (no image, unreadable), for the run's warnings. */
  warnings?: string[];
}

/** Image extensions the adapters pair with label files, in order of preference. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.bmp', '.gif', '.pdf'] as const;

export function isImageName(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
}

/**
 * Resolves a path from a label file against its dataset folder.
 * @throws UsageError when it escapes the folder (`..`, absolute elsewhere).
 */
export function insideRoot(root: string, rel: string, where: string): string {
  const abs = path.resolve(root, rel);
  const back = path.relative(root, abs);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) {
    throw new UsageError(`${where}: path ${JSON.stringify(rel)} resolves outside the dataset folder ${root}`);
  }
  return abs;
}

/** Strips one final line break (label files end with one or not, inconsistently). */
export function stripFinalNewline(s: string): string {
  return s.replace(/\r?\n$/u, '');
}

/** Natural order: "2.png" before "10.png". */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
