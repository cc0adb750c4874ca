import type { Sink, ZakRecord } from '../core/types.js';
import type { FileFormat } from './atomic-file.js';

export const jsonlFormat: FileFormat = {
  kind: 'jsonl',
  header: () => '',
  serialise: (r) => JSON.stringify(r) + '\n',
  footer: () => '',
};


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
