import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RunContext, Sink } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { AtomicFileSink, type FileFormat } from './atomic-file.js';
import { csvFormat } from './csv.js';
import { jsonFormat } from './json.js';
import { jsonlFormat, StdoutJsonlSink } from './jsonl.js';
import { createKafkaSink } from './kafka.js';
import { createPgSink } from './pg.js';
import { withDelivery } from './retry.js';

/** File formats by extension. */
const FILE_FORMATS: Record<string, FileFormat> = {
  '.jsonl': jsonlFormat,
  '.ndjson': jsonlFormat,
  '.json': jsonFormat,
  '.csv': csvFormat,
};

/**
 * The format of an `--out` file, by extension.
 * @throws UsageError for an unknown extension, listing the known ones.
 */
export function fileFormatOf(out: string): FileFormat {
  const format = FILE_FORMATS[path.extname(out).toLowerCase()];
  if (!format) throw new UsageError(`Cannot tell the output format of ${out}: use one of ${Object.keys(FILE_FORMATS).join(', ')} or - for stdout`);
  return format;
}

/**
 * A file sink for an `--out` value, chosen by extension (`-` = JSON Lines on stdout).
 * @throws UsageError for an unknown extension, listing the known ones.
 */
export function createFileSink(out: string, cwd = process.cwd()): Sink {
  if (out === '-') return new StdoutJsonlSink();
  return new AtomicFileSink(path.resolve(cwd, out), fileFormatOf(out));
}

/** The `--out` values as resolved paths, refusing one given twice (two writers would race on one file). */
export function outputPaths(outs: readonly string[], cwd: string): string[] {
  const seen = new Set<string>();
  for (const o of outs) {
    const key = o === '-' ? '-' : path.resolve(cwd, o);
    if (seen.has(key)) throw new UsageError(`--out ${o} is given twice: each output file can be written once per run`);
    seen.add(key);
  }
  return [...seen];
}

/**
 * Every sink of a run: the `--out` files, then PostgreSQL (`pg.url`) and Kafka (`kafka.brokers`) when
 * configured, each wrapped with retries, a circuit breaker and the shared dead-letter file.
 * `fileSink` replaces the by-extension choice for `--out` values (queue workers append to a per-worker file);
 * `fileSink: null` leaves the output files out (a scan writes them through its record journal, file-outputs.ts),
 * keeping stdout.
 * @param cwd where relative output and dead-letter paths are resolved (the scan's cwd)
 */
export async function createSinks(config: ZakConfig, ctx: RunContext, opts: { cwd?: string; fileSink?: ((out: string, cwd: string) => Sink) | null } = {}): Promise<Sink[]> {
  const cwd = opts.cwd ?? process.cwd();
  outputPaths(config.out, cwd);
  const fileSink = opts.fileSink === undefined ? createFileSink : opts.fileSink;
  const sinks: Sink[] = config.out.filter((o) => fileSink !== null || o === '-').map((o) => (fileSink ?? createFileSink)(o, cwd));
  if (config.pg.url) sinks.push(createPgSink(config.pg));
  if (config.kafka.brokers.length > 0) sinks.push(createKafkaSink(config.kafka));
  return withDelivery(sinks, config, ctx, cwd);
}
