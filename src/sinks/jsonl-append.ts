import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Sink, ZakRecord } from '../core/types.js';

/**
 * JSON Lines appended to a file and synced to disk on every write, so `write` resolving means the records
 * survive a `kill -9` (queue workers acknowledge a job only then). Reopening the same file appends to it.
 * Unlike the scan's atomic file sinks there is no temp file: a worker has no end at which to rename one.
 */
export class AppendJsonlSink implements Sink {
  readonly name: string;
  private fh: FileHandle | null = null;

  constructor(readonly file: string) {
    this.name = `jsonl:${file}`;
  }

  async open(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    this.fh = await open(this.file, 'a');
  }

  async write(records: ZakRecord[]): Promise<void> {
    if (!this.fh || records.length === 0) return;
    await this.fh.appendFile(records.map((r) => JSON.stringify(r) + '\n').join(''), 'utf8');
    await this.fh.datasync();
  }

  async flush(): Promise<void> {
    await this.fh?.datasync();
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    await fh?.close();
  }
}

/**
 * The file one worker appends to: `{worker}` in the name is replaced by the worker id, else the id goes before
 * the extension (`results.jsonl` → `results.host-1234.jsonl`), so workers sharing a folder never share a file. Pure.
 */
export function perWorkerFile(out: string, workerId: string): string {
  if (out.includes('{worker}')) return out.replaceAll('{worker}', workerId);
  const ext = path.extname(out);
  return `${out.slice(0, out.length - ext.length)}.${workerId}${ext}`;
}
