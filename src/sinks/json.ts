import { readFile } from 'node:fs/promises';
import type { RunContext, Sink, ZakRecord } from '../core/types.js';
import { AtomicFileSink, type FileFormat } from './atomic-file.js';

async function* doneRecordsFromJson(file: string, ctx: RunContext): AsyncIterable<ZakRecord> {
  let list: unknown;
  try {
    list = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return;
  }
  if (!Array.isArray(list)) return;
  for (const rec of list as ZakRecord[]) {
    if (rec?.sha256 && ctx.isDone?.(rec.sha256, rec.pipelineVersion)) yield rec;
  }
}

export const jsonFormat: FileFormat = {
  kind: 'json',
  header: () => '[\n',
  serialise: (r, i) => (i === 0 ? '' : ',\n') + JSON.stringify(r),
  footer: () => '\n]\n',
  carryOver: doneRecordsFromJson,
};

/** A JSON array file (streamed, so memory stays flat). */
export function createJsonSink(file: string): Sink {
  return new AtomicFileSink(file, jsonFormat);
}
