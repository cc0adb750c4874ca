import { createHash } from 'node:crypto';

/**
 * Deterministic train/val/test assignment by hash ("hash bucketing"): each item's split depends
 * only on its own key and the seed, never on the other items, so re-exporting a grown dataset
 * keeps every old line in the split it was in. Ratios hold in expectation (binomially).
 */

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

/** Resolution of the hash bucket: ratios are honoured to 1/BUCKETS. */
const BUCKETS = 2 ** 32;

/**
 * Checks ratios: each in 0..1 and summing to 1 (within 1e-6).
 * @throws Error naming the offending value.
 */
export function checkRatios(r: SplitRatios): SplitRatios {
  for (const s of SPLITS) {
    if (!Number.isFinite(r[s]) || r[s] < 0 || r[s] > 1) throw new Error(`Expected a ratio in 0..1 for ${s}, got ${JSON.stringify(r[s])}`);
  }
  const sum = r.train + r.val + r.test;
  if (Math.abs(sum - 1) > 1e-6) throw new Error(`Expected split ratios that sum to 1, got ${r.train} + ${r.val} + ${r.test} = ${+sum.toFixed(6)}`);
  return r;
}

/**
 * Parses `--split 0.8,0.1,0.1` (train,val,test; fractions or percentages, normalised to sum 1).
 * @throws Error when the list does not hold three non-negative numbers with a positive sum.
 */
export function parseRatios(text: string): SplitRatios {
  const parts = text.split(/[,:/]/).map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 3 || nums.some((n, i) => parts[i] === '' || !Number.isFinite(n) || n < 0)) {
    throw new Error(`Expected three non-negative numbers train,val,test (e.g. 0.8,0.1,0.1), got ${JSON.stringify(text)}`);
  }
  const sum = nums[0] + nums[1] + nums[2];
  if (sum <= 0) throw new Error(`Expected split ratios with a positive sum, got ${JSON.stringify(text)}`);
  return { train: nums[0] / sum, val: nums[1] / sum, test: nums[2] / sum };
}

/** Uniform number in [0, 1) from SHA-256(seed, key). */
export function hashUnit(key: string, seed: string): number {
  const h = createHash('sha256').update(seed).update('\u0000').update(key).digest();
  return h.readUInt32BE(0) / BUCKETS;
}

/** The split of one item. */
export function assignSplit(key: string, seed: string, ratios: SplitRatios): Split {
  const u = hashUnit(key, seed);
  if (u < ratios.train) return 'train';
  if (u < ratios.train + ratios.val) return 'val';
  return ratios.test > 0 ? 'test' : ratios.val > 0 ? 'val' : 'train';
}
