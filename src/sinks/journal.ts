/**
 * The record journal of a scan's file outputs: one JSON line per delivered input file, `{ key, sha256,
 * pipelineVersion, records }`, appended and fdatasync'd before the file counts as delivered. The final JSONL/JSON/CSV
 * files are rebuilt from it (file-outputs.ts), so a crash at any moment loses at most the files in flight, and a
 * later line for the same key (a retried file) replaces the earlier one.
 * Only an index (key → offset, length, sha256, version) is held in memory; the records stay on disk.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ZakRecord } from '../core/types.js';

export interface JournalGroup {
  /** The input's absolute path. */
  key: string;
  records: ZakRecord[];
}

interface JournalLine {
  key: string;
  sha256: string;
  pipelineVersion: string;
  records: ZakRecord[];
}

interface Slot {
  offset: number;
  length: number;
  sha256: string;
  pipelineVersion: string;
}

const READ_CHUNK = 1 << 20;

export class RecordJournal {
  private readonly index = new Map<string, Slot>();
  /** Keys in the order they were first written (where the records of inputs this run does not see go). */
  readonly order: string[] = [];
  private size = 0;
  private superseded = 0;

  private constructor(readonly file: string, private fh: FileHandle) {}

  /**
   * Opens the journal: with `keep`, loads the index of what is there (a torn last line from a crash is cut off);
   * without, starts it empty.
   */
  static async open(file: string, keep: boolean): Promise<RecordJournal> {
    const fh = await open(file, keep ? 'a+' : 'w+');
    const j = new RecordJournal(file, fh);
    if (keep) await j.load();
    return j;
  }

  private async load(): Promise<void> {
    const { size } = await this.fh.stat();
    const buf = Buffer.alloc(READ_CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    let pos = 0;
    let lineStart = 0;
    while (pos < size) {
      const { bytesRead } = await this.fh.read(buf, 0, Math.min(READ_CHUNK, size - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      let chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let nl: number;
      while ((nl = chunk.indexOf(0x0a)) !== -1) {
        this.indexLine(chunk.subarray(0, nl), lineStart);
        lineStart += nl + 1;
        chunk = chunk.subarray(nl + 1);
      }
      carry = Buffer.from(chunk);
    }
    // A torn last line (a crash mid-append) is not a delivery: cut it so the next append starts clean.
    if (lineStart < size) await this.fh.truncate(lineStart);
    this.size = lineStart;
  }

  private indexLine(line: Buffer, offset: number): void {
    try {
      const e = JSON.parse(line.toString('utf8')) as Partial<JournalLine>;
      if (typeof e.key !== 'string' || !Array.isArray(e.records)) return;
      this.put(e.key, { offset, length: line.length, sha256: e.sha256 ?? '', pipelineVersion: e.pipelineVersion ?? '' });
    } catch {
      /* a damaged line: that file is processed again */
    }
  }

  private put(key: string, slot: Slot): void {
    if (this.index.has(key)) this.superseded++;
    else this.order.push(key);
    this.index.set(key, slot);
  }

  /** Whether the journal holds `key`'s records for this content and pipeline version. */
  has(key: string, sha256: string, pipelineVersion: string): boolean {
    const slot = this.index.get(key);
    return slot !== undefined && slot.sha256 === sha256 && slot.pipelineVersion === pipelineVersion;
  }

  get files(): number {
    return this.index.size;
  }

  /** Lines replaced by later ones (retried files). */
  get supersededLines(): number {
    return this.superseded;
  }

  /** Appends the groups in one write and syncs it to disk: when this resolves, they survive a crash. */
  async append(groups: readonly JournalGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const lines = groups.map((g): JournalLine => ({ key: g.key, sha256: g.records[0]?.sha256 ?? '', pipelineVersion: g.records[0]?.pipelineVersion ?? '', records: g.records }));
    const bytes = lines.map((line) => Buffer.from(JSON.stringify(line) + '\n', 'utf8'));
    const all = Buffer.concat(bytes);
    const { bytesWritten } = await this.fh.write(all, 0, all.length, this.size);
    if (bytesWritten !== all.length) throw Object.assign(new Error('short write to the record journal'), { code: 'EIO' });
    await this.fh.datasync();
    let offset = this.size;
    for (const [i, line] of lines.entries()) {
      this.put(line.key, { offset, length: bytes[i].length - 1, sha256: line.sha256, pipelineVersion: line.pipelineVersion });
      offset += bytes[i].length;
    }
    this.size = offset;
  }

  /** The records of `key` (its latest line), or null when the journal has none. */
  async records(key: string): Promise<ZakRecord[] | null> {
    const slot = this.index.get(key);
    if (!slot) return null;
    const buf = Buffer.alloc(slot.length);
    await this.fh.read(buf, 0, slot.length, slot.offset);
    return (JSON.parse(buf.toString('utf8')) as JournalLine).records;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
