/**
 * The development/check split of the labelled datasets: by a hash of the file name (not its path or content), so
 * the same file falls in the same half in every checkout and tool. Tune and calibrate on `dev`, report `check`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export type DatasetHalf = 'dev' | 'check';

/** `dev` when the first byte of SHA-256(base name) is even, else `check` (about half each). */
export function datasetHalf(file: string): DatasetHalf {
  return createHash('sha256').update(path.basename(file)).digest()[0] % 2 === 0 ? 'dev' : 'check';
}
