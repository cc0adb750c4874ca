import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { readRecords } from '../core/record-io.js';
import type { RunContext, Sink, ZakRecord } from '../core/types.js';

/** How one file format serialises records. */
export interface FileFormat {
  readonly kind: string;
  /** Text written before the first record (e.g. a CSV header, `[`). */
  header(): string;
  /** One record's text; `index` is its position in the file (0-based). */
  serialise(record: ZakRecord, index: number): string;
  footer(recordCount: number): string;
}

/**
 * Walk order of two record paths: segment by segment, code-unit order (what `source/walk.ts` yields for a folder).
 * Pure.
 */
export function comparePaths(a: string, b: string): number {
  const pa = a.split(/[\\/]/);
  const pb = b.split(/[\\/]/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * A sink that writes to a hidden temp file beside the target and renames it into place on close,
 * so a crash never leaves a half-written output. Respects stream backpressure.
 * With `--resume`, the records kept from the earlier file are merged in path order with the new ones as they
 * arrive (streamed from the old file, never held in memory), so a resumed folder scan ends in sorted order too.
 */
export class AtomicFileSink implements Sink {
  readonly name: string;
  private stream: WriteStream | null = null;
  private tmpPath: string;
  private count = 0;
  /** Kept records from the earlier run's file, read lazily; `nextKept` is the one waiting for its turn. */
  private kept: AsyncIterator<ZakRecord> | null = null;
  private nextKept: ZakRecord | null = null;

  constructor(readonly finalPath: string, private readonly format: FileFormat) {
    this.name = `${format.kind}:${finalPath}`;
    this.tmpPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}.${Date.now()}.tmp`);
  }

  async open(ctx: RunContext): Promise<void> {
    await mkdir(path.dirname(this.finalPath), { recursive: true });
    this.stream = createWriteStream(this.tmpPath, { encoding: 'utf8' });
    await once(this.stream, 'open');
    await this.put(this.format.header());
    if (ctx.resume && existsSync(this.finalPath)) {
      this.kept = this.keptRecords(ctx)[Symbol.asyncIterator]();
      await this.advanceKept();
    }
  }

  /**
   * With `--resume`: the records already in the final file that the earlier run fully delivered, re-serialised in
   * order (so the finished file holds every record once). A damaged row is dropped: its file is processed again.
   */
  private async *keptRecords(ctx: RunContext): AsyncGenerator<ZakRecord> {
    for await (const rec of readRecords(this.finalPath, { onInvalid: 'skip' })) {
      if (!rec.sha256 || !ctx.isDone?.(rec.sha256, rec.pipelineVersion)) continue;
      // A record from another pipeline version (engine or settings changed) is redone by this run: keeping it would duplicate the file.
      if (rec.pipelineVersion !== ctx.pipelineVersion) continue;
      // Only records whose own path was delivered (an identical copy under another name is redone by this run).
      if (ctx.isDone && !ctx.isDone(rec.sha256, ctx.pipelineVersion, rec.file)) continue;
      yield rec;
    }
  }

  private async advanceKept(): Promise<void> {
    const next = this.kept ? await this.kept.next() : { done: true as const, value: undefined };
    this.nextKept = next.done ? null : next.value;
    if (next.done) this.kept = null;
  }

  /** Writes the kept records that come before `file` in path order (all of them with null). */
  private async putKeptBefore(file: string | null, stream = this.stream): Promise<void> {
    while (this.nextKept && stream && (file === null || comparePaths(this.nextKept.file, file) < 0)) {
      const text = this.format.serialise(this.nextKept, this.count++);
      if (!stream.write(text)) await once(stream, 'drain');
      await this.advanceKept();
    }
  }

  private async put(text: string): Promise<void> {
    if (!text || !this.stream) return;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async write(records: ZakRecord[]): Promise<void> {
    for (const r of records) {
      await this.putKeptBefore(r.file);
      await this.put(this.format.serialise(r, this.count++));
    }
  }

  async flush(): Promise<void> {
    /* the stream flushes on its own; close() makes it durable */
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    const stream = this.stream;
    await this.putKeptBefore(null, stream); // also after Ctrl-C: kept records are never dropped
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
