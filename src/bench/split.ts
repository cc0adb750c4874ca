/**
 * The development / check split of a labelled set: each file goes to one half by a hash of its base name, so the
 * split is the same on every machine and for every script, needs no list, and a new file lands in a half without
 * moving the others. Rules and thresholds are tuned on `dev` only; `check` shows whether they hold on files the
 * tuning never saw.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export type SplitHalf = 'dev' | 'check';

/** The half a file belongs to: first byte of SHA-256 of its base name (path and case kept as given), even = dev. */
export function splitHalf(file: string): SplitHalf {
  const base = path.basename(file.replaceAll('\\', '/'));
  return createHash('sha256').update(base, 'utf8').digest()[0] % 2 === 0 ? 'dev' : 'check';
}

/** The items of one half (all of them for 'all'), in their own order. */
export function inHalf<T>(items: readonly T[], half: SplitHalf | 'all', fileOf: (item: T) => string): T[] {
  return half === 'all' ? [...items] : items.filter((it) => splitHalf(fileOf(it)) === half);
}
