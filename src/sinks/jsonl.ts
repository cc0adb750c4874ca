import { createReadStream } from 'node:fs';
import readline from 'node:readline';
import type { RunContext, Sink, ZakRecord } from '../core/types.js';
import { AtomicFileSink, type FileFormat } from './atomic-file.js';

/** Records kept from an earlier run's JSON Lines file: those whose file the manifest marks done. */
export async function* doneRecordsFromJsonl(file: string, ctx: RunContext): AsyncIterable<ZakRecord> {
  const rl = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let rec: ZakRecord;
    try {
      rec = JSON.parse(line) as ZakRecord;
    } catch {
      continue;
    }
    if (rec.sha256 && ctx.isDone?.(rec.sha256, rec.pipelineVersion)) yield rec;
  }
}

export const jsonlFormat: FileFormat = {
  kind: 'jsonl',
  header: () => '',
  serialise: (r) => JSON.stringify(r) + '\n',
  footer: () => '',
  carryOver: doneRecordsFromJsonl,
};

/** JSON Lines file sink: the canonical output, one record per line. */
export function createJsonlSink(file: string): Sink {
  return new AtomicFileSink(file, jsonlFormat);
}

/** JSON Lines on stdout (`--out -`), for piping; progress goes to stderr. */
export class StdoutJsonlSink implements Sink {
  readonly name = 'stdout';
  async open(): Promise<void> {}
  async write(records: ZakRecord[]): Promise<void> {
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}
