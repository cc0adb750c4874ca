import { discover, STDIN_INPUT, type DiscoverOptions } from './walk.js';
import { splitNegations } from './ignore.js';

export interface CountOptions extends Pick<DiscoverOptions, 'cwd' | 'ignore' | 'signal' | 'shard'> {
  /** Told the running count every `every` files (default 200), so a long walk shows progress. */
  onProgress?: (count: number) => void;
  every?: number;
}

/**
 * How many files a scan of `inputs` reads: the same walk as `discover` (names, ignore rules, symlink handling), run
 * ahead of the scan so the display knows the total from the start. It holds no list of paths (a single input's walk
 * keeps only its folders), costing one stat per file. Null when the number cannot be known ahead (paths from standard
 * input can be read only once), when `signal` aborts, or when the walk fails (the scan reports that itself).
 */
export async function countInputs(inputs: string[], opts: CountOptions = {}): Promise<number | null> {
  if (splitNegations(inputs).inputs.includes(STDIN_INPUT)) return null;
  const every = opts.every ?? 200;
  let count = 0;
  try {
    for await (const _item of discover(inputs, { cwd: opts.cwd, ignore: opts.ignore, signal: opts.signal, shard: opts.shard })) {
      count++;
      if (count % every === 0) opts.onProgress?.(count);
    }
  } catch {
    return null;
  }
  return opts.signal?.aborted ? null : count;
}
