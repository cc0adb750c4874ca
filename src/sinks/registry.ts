import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RunContext, Sink } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { createCsvSink } from './csv.js';
import { createJsonSink } from './json.js';
import { createJsonlSink, StdoutJsonlSink } from './jsonl.js';
import { createKafkaSink } from './kafka.js';
import { createPgSink } from './pg.js';
import { withDelivery } from './retry.js';

/** File sinks by extension. */
const FILE_SINKS: Record<string, (file: string) => Sink> = {
  '.jsonl': createJsonlSink,
  '.ndjson': createJsonlSink,
  '.json': createJsonSink,
  '.csv': createCsvSink,
};

/**
 * A file sink for an `--out` value, chosen by extension (`-` = JSON Lines on stdout).
 * @throws UsageError for an unknown extension, listing the known ones.
 */
export function createFileSink(out: string, cwd = process.cwd()): Sink {
  if (out === '-') return new StdoutJsonlSink();
  const ext = path.extname(out).toLowerCase();
  const factory = FILE_SINKS[ext];
  if (!factory) throw new UsageError(`Cannot tell the output format of ${out}: use one of ${Object.keys(FILE_SINKS).join(', ')} or - for stdout`);
  return factory(path.resolve(cwd, out));
}

/**
 * Every sink of a run: the `--out` files, then PostgreSQL (`pg.url`) and Kafka (`kafka.brokers`) when
 * configured, each wrapped with retries, a circuit breaker and the shared dead-letter file.
 * `fileSink` replaces the by-extension choice for `--out` values (queue workers append to a per-worker file).
 * @param cwd where relative output and dead-letter paths are resolved (the scan's cwd)
 */
export async function createSinks(config: ZakConfig, ctx: RunContext, opts: { cwd?: string; fileSink?: (out: string, cwd: string) => Sink } = {}): Promise<Sink[]> {
  const cwd = opts.cwd ?? process.cwd();
  const seen = new Set<string>();
  for (const o of config.out) {
    const key = o === '-' ? '-' : path.resolve(cwd, o);
    // Two sinks on one file would race on the same temp file and rename; say so instead.
    if (seen.has(key)) throw new UsageError(`--out ${o} is given twice: each output file can be written once per run`);
    seen.add(key);
  }
  const sinks: Sink[] = config.out.map((o) => (opts.fileSink ?? createFileSink)(o, cwd));
  if (config.pg.url) sinks.push(createPgSink(config.pg));
  if (config.kafka.brokers.length > 0) sinks.push(createKafkaSink(config.kafka));
  return withDelivery(sinks, config, ctx, cwd);
}
