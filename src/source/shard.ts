import { createHash } from 'node:crypto';
import path from 'node:path';
import { UsageError } from '../core/errors.js';

/** One slice of a split scan: shard `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** More shards than this is a typo, not a cluster. */
const MAX_SHARDS = 100_000;

const SHARD_USAGE = 'Give --shard as i/N with 0 ≤ i < N, e.g. --shard 0/4 … --shard 3/4 (Kubernetes Indexed Job: --shard "$JOB_COMPLETION_INDEX/4")';

/**
 * Parses `i/N` (`--shard`, `shard` config key, `ZAKOCR_SHARD`). Pure.
 * @throws UsageError naming the value and the expected form.
 */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index >= count) {
    throw new UsageError(`Expected i/N with 0 ≤ i < N ≤ ${MAX_SHARDS} for --shard, got ${JSON.stringify(value)}`, { hint: SHARD_USAGE });
  }
  return { index, count };
}

/**
 * The shard a file belongs to, from its path below the input it was found under (POSIX separators): the same
 * folder mounted at /mnt/a on one host and /data/b on another splits the same way, whatever each host's cwd.
 * The first 4 bytes of SHA-256 spread any naming scheme evenly. Pure.
 */
export function shardOf(key: string, count: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % count;
}

/**
 * The key a file is sharded by: its path relative to `root` (the folder input, the static part of a glob, or the
 * folder of a single-file input), with `/` separators. Pure.
 */
export function shardKey(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}

/** The folder a glob pattern starts from: its segments before the first one with a glob character. Pure. */
export function globBase(pattern: string, cwd: string, globChars: RegExp): string {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  for (const p of parts) {
    if (globChars.test(p)) break;
    fixed.push(p);
  }
  return path.resolve(cwd, fixed.join('/') || '.');
}
