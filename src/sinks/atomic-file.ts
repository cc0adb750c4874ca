import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Sink, ZakRecord } from '../core/types.js';

/** How one file format serialises records. */
export interface FileFormat {
  readonly kind: string;
  /** Text written before the first record (e.g. a CSV header, `[`). */
  header(): string;
  /** One record's text; `index` is its position in the file (0-based). */
  serialise(record: ZakRecord, index: number): string;
  footer(recordCount: number): string;
}

/** The hidden temp file an output is written to before it is renamed into place: `.r.jsonl.<pid>.<ms>.tmp`. */
export function tempPathOf(finalPath: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}.${Date.now()}.tmp`);
}

/** Whether `name` (in the output's folder) is a temp file of `finalPath` written by some run. Pure. */
export function isTempOf(name: string, finalPath: string): boolean {
  const prefix = `.${path.basename(finalPath)}.`;
  return name.startsWith(prefix) && /^\d+\.\d+\.tmp$/.test(name.slice(prefix.length));
}

/**
 * A sink that streams to a hidden temp file beside the target and renames it into place on close, so a reader
 * never sees a half-written output (`zakocr serve`'s files). Respects stream backpressure. A scan's outputs are
 * rebuilt from their record journal instead (file-outputs.ts), which also survives a crash.
 */
export class AtomicFileSink implements Sink {
  readonly name: string;
  private stream: WriteStream | null = null;
  private readonly tmpPath: string;
  private count = 0;

  constructor(readonly finalPath: string, private readonly format: FileFormat) {
    this.name = `${format.kind}:${finalPath}`;
    this.tmpPath = tempPathOf(finalPath);
  }

  async open(): Promise<void> {
    await mkdir(path.dirname(this.finalPath), { recursive: true });
    this.stream = createWriteStream(this.tmpPath, { encoding: 'utf8' });
    await once(this.stream, 'open');
    await this.put(this.format.header());
  }

  private async put(text: string): Promise<void> {
    if (!text || !this.stream) return;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async write(records: ZakRecord[]): Promise<void> {
    for (const r of records) await this.put(this.format.serialise(r, this.count++));
  }

  async flush(): Promise<void> {
    /* the stream flushes on its own; close() makes it durable */
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    await this.put(this.format.footer(this.count));
    const stream = this.stream;
    this.stream = null;
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    try {
      await rename(this.tmpPath, this.finalPath);
    } catch (err) {
      await rm(this.tmpPath, { force: true });
      throw err;
    }
  }
}
