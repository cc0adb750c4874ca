import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { RunContext, Sink, ZakRecord } from '../core/types.js';

/** How one file format serialises records. */
export interface FileFormat {
  readonly kind: string;
  /** Text written before the first record (e.g. a CSV header, `[`). */
  header(): string;
  /** One record's text; `index` is its position in the file (0-based). */
  serialise(record: ZakRecord, index: number): string;
  footer(recordCount: number): string;
  /**
   * With `--resume`: the records already in the final file that the earlier run fully delivered,
   * re-serialised in order (so the finished file holds every record once).
   */
  carryOver?(finalPath: string, ctx: RunContext): AsyncIterable<ZakRecord>;
}

/**
 * A sink that writes to a hidden temp file beside the target and renames it into place on close,
 * so a crash never leaves a half-written output. Respects stream backpressure.
 */
export class AtomicFileSink implements Sink {
  readonly name: string;
  private stream: WriteStream | null = null;
  private tmpPath: string;
  private count = 0;

  constructor(readonly finalPath: string, private readonly format: FileFormat) {
    this.name = `${format.kind}:${finalPath}`;
    this.tmpPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}.${Date.now()}.tmp`);
  }

  async open(ctx: RunContext): Promise<void> {
    await mkdir(path.dirname(this.finalPath), { recursive: true });
    this.stream = createWriteStream(this.tmpPath, { encoding: 'utf8' });
    await once(this.stream, 'open');
    await this.put(this.format.header());
    if (ctx.resume && this.format.carryOver && existsSync(this.finalPath)) {
      for await (const rec of this.format.carryOver(this.finalPath, ctx)) {
        // A record from another pipeline version (engine or settings changed) is redone by this run: keeping it would duplicate the file.
        if (rec.pipelineVersion !== ctx.pipelineVersion) continue;
        // Only records whose own path was delivered (an identical copy under another name is redone by this run).
        if (ctx.isDone && !ctx.isDone(rec.sha256, ctx.pipelineVersion, rec.file)) continue;
        await this.put(this.format.serialise(rec, this.count++));
      }
    }
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
    const stream = this.stream;
    this.stream = null;
    await this.putOn(stream, this.format.footer(this.count));
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    try {
      await rename(this.tmpPath, this.finalPath);
    } catch (err) {
      await rm(this.tmpPath, { force: true });
      throw err;
    }
  }

  private async putOn(stream: WriteStream, text: string): Promise<void> {
    if (text && !stream.write(text)) await once(stream, 'drain');
  }
}
