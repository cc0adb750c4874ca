/**
 * A scan's file outputs (JSONL, JSON, CSV), crash-safe: every delivered input's records go to the record journal
 * (journal.ts, fdatasync'd) and count as delivered only then; at the end of the run — and of every resumed run —
 * each output is rebuilt from the journal in input order into a temp file that is synced and renamed over it.
 * A crash at any moment leaves the old outputs untouched and the journal holding every finished file, so
 * `--resume` redoes only the files that were in flight and ends with each input exactly once in every output.
 */
import { rmSync } from 'node:fs';
import { access, constants, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { SinkError, UsageError, fsProblem } from '../core/errors.js';
import { onExitNow } from '../core/exit-cleanup.js';
import type { Logger, ZakRecord } from '../core/types.js';
import { isTempOf, tempPathOf, type FileFormat } from './atomic-file.js';
import { RecordJournal, type JournalGroup } from './journal.js';

export interface FileOutput {
  /** Absolute path of the final file. */
  path: string;
  format: FileFormat;
}

/** The journal of a set of outputs: hidden, beside the first one (`.r.jsonl.journal`). Pure. */
export function journalPathOf(firstOutput: string): string {
  return path.join(path.dirname(firstOutput), `.${path.basename(firstOutput)}.journal`);
}

/** Bytes gathered per output before a write while rebuilding. */
const WRITE_CHUNK = 256 * 1024;

const WRITE_HINT = 'choose an output folder you can write to (--out)';

/** Checks that `out` can be written (exit 2 at start-up, not a failure at the end of a long run). */
async function checkWritable(out: string): Promise<void> {
  const dir = path.dirname(out);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const st = await stat(out).catch(() => null);
    if (st?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    throw new UsageError(`Cannot write ${out}: ${fsProblem(err)}`, { cause: err, hint: WRITE_HINT });
  }
}

export class FileOutputs {
  readonly name: string;
  /** This run's inputs in input order (delivered or skipped as already done): the order of the rebuilt files. */
  private readonly placed: string[] = [];
  private readonly placedSet = new Set<string>();
  /** Temp files being written by the rebuild (removed on an immediate exit). */
  private temps: string[] = [];
  private readonly unregister: () => void;

  private constructor(readonly outputs: FileOutput[], private readonly journal: RecordJournal) {
    this.name = outputs.map((o) => `${o.format.kind}:${o.path}`).join(', ');
    this.unregister = onExitNow(() => this.removeTempsSync());
  }

  /**
   * Checks every output can be written, removes temp files left by dead runs (the caller holds the outputs' lock,
   * so no live run owns them) and opens the journal: kept with `resume`, else started empty.
   * @throws UsageError (exit 2) when an output cannot be written
   */
  static async open(outputs: FileOutput[], opts: { resume: boolean; log: Logger }): Promise<FileOutputs> {
    for (const o of outputs) await checkWritable(o.path);
    for (const o of outputs) await removeStaleTemps(o.path, opts.log);
    const file = journalPathOf(outputs[0].path);
    let journal: RecordJournal;
    try {
      journal = await RecordJournal.open(file, opts.resume);
    } catch (err) {
      throw new UsageError(`Cannot open the record journal ${file}: ${fsProblem(err)}`, { cause: err, hint: WRITE_HINT });
    }
    return new FileOutputs(outputs, journal);
  }

  /** Notes an input's place in the run's order (call in input order, for delivered and skipped inputs alike). */
  place(key: string): void {
    if (this.placedSet.has(key)) return;
    this.placedSet.add(key);
    this.placed.push(key);
  }

  /** Whether the journal holds this input's records for this content and version (`--resume` may skip it). */
  has(key: string, sha256: string, pipelineVersion: string): boolean {
    return this.journal.has(key, sha256, pipelineVersion);
  }

  /**
   * Makes the groups durable. A failure here (disk full, device gone) is not transient.
   * @throws SinkError naming the problem
   */
  async append(groups: readonly JournalGroup[]): Promise<void> {
    try {
      await this.journal.append(groups);
    } catch (err) {
      throw new SinkError(this.name, `Cannot write ${this.journal.file}: ${fsProblem(err)}`, { cause: err, hint: 'free space or fix the output device, then run again with --resume' });
    }
  }

  /**
   * Rebuilds every output from the journal: this run's inputs in input order, then what the journal holds for
   * inputs this run did not see (an earlier run's). Also after Ctrl-C and after a failed delivery.
   * @throws SinkError when an output cannot be written (its temp file is removed, the old output stays)
   */
  async close(): Promise<void> {
    try {
      await this.rebuild();
    } finally {
      this.unregister();
      await this.journal.close().catch(() => undefined);
    }
  }

  private async rebuild(): Promise<void> {
    this.temps = this.outputs.map((o) => tempPathOf(o.path));
    const handles: FileHandle[] = [];
    try {
      for (const t of this.temps) handles.push(await open(t, 'w'));
      const writers = this.outputs.map((o, i) => new ChunkWriter(handles[i], o.format));
      for (const w of writers) w.put(w.format.header());
      const unseen = this.journal.order.filter((k) => !this.placedSet.has(k));
      for (const key of [...this.placed, ...unseen]) {
        const records = await this.journal.records(key);
        if (!records) continue;
        for (const w of writers) await w.add(records);
      }
      for (const w of writers) await w.end();
      for (const h of handles) await h.datasync();
      for (const h of handles.splice(0)) await h.close();
      for (const [i, o] of this.outputs.entries()) await rename(this.temps[i], o.path);
      this.temps = [];
    } catch (err) {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
      await Promise.all(this.temps.map((t) => rm(t, { force: true })));
      this.temps = [];
      throw new SinkError(this.name, `Cannot write the output files: ${fsProblem(err)}`, { cause: err, hint: 'free space or fix the output folder, then run again with --resume (the finished records are kept)' });
    }
  }

  /** Idempotent: an immediate exit calls it twice (a temp file being opened appears between the two). */
  private removeTempsSync(): void {
    for (const t of this.temps) rmSync(t, { force: true });
  }
}

/** One output being rebuilt: records serialised in its format, written in chunks. */
class ChunkWriter {
  private buffered = '';
  private count = 0;

  constructor(private readonly fh: FileHandle, readonly format: FileFormat) {}

  async add(records: readonly ZakRecord[]): Promise<void> {
    for (const r of records) this.buffered += this.format.serialise(r, this.count++);
    if (this.buffered.length >= WRITE_CHUNK) await this.drain();
  }

  put(text: string): void {
    this.buffered += text;
  }

  async end(): Promise<void> {
    this.buffered += this.format.footer(this.count);
    await this.drain();
  }

  private async drain(): Promise<void> {
    if (!this.buffered) return;
    const text = this.buffered;
    this.buffered = '';
    await this.fh.writeFile(text, 'utf8');
  }
}

/** Removes the temp files of `out` that earlier runs left behind (killed mid-rename, or older versions). */
async function removeStaleTemps(out: string, log: Logger): Promise<void> {
  const dir = path.dirname(out);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!isTempOf(name, out)) continue;
    await rm(path.join(dir, name), { force: true });
    log.debug(`removed ${path.join(dir, name)}, a temp file left by an earlier run`);
  }
}
