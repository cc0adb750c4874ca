import type { Sink } from '../core/types.js';
import { AtomicFileSink, type FileFormat } from './atomic-file.js';

export const jsonFormat: FileFormat = {
  kind: 'json',
  header: () => '[\n',
  serialise: (r, i) => (i === 0 ? '' : ',\n') + JSON.stringify(r),
  footer: () => '\n]\n',
};

/** A JSON array file (streamed, so memory stays flat), one record per line: `core/record-io.ts` reads it back line by line. */
export function createJsonSink(file: string): Sink {
  return new AtomicFileSink(file, jsonFormat);
}
