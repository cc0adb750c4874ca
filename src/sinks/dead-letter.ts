import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { RunSummary, ZakRecord } from '../core/types.js';

export const DEAD_LETTER_NAME = 'zakocr-deadletter.jsonl';
export const DEAD_LETTER_SCHEMA = 'zakocr.deadletter/v1' as const;

/** One line of the dead-letter file: what a sink could not take, and why. */
export interface DeadLetterEntry {
  schema: typeof DEAD_LETTER_SCHEMA;
  sink: string;
  runId: string | null;
  at: string;
  /** Delivery attempts made before giving up (0: the sink's circuit was already open). */
  attempts: number;
  /** The last error, secrets redacted. */
  error: string;
  kind: 'record' | 'summary';
  record?: ZakRecord;
  summary?: RunSummary;
}

/** The configured path, else `zakocr-deadletter.jsonl` beside the first output file, else in the cwd. */
export function deadLetterPath(configured: string | null, outputs: string[], cwd = process.cwd()): string {
  if (configured) return path.resolve(cwd, configured);
  const firstFile = outputs.find((o) => o !== '-');
  return path.join(firstFile ? path.dirname(path.resolve(cwd, firstFile)) : cwd, DEAD_LETTER_NAME);
}

/**
 * The append-only dead-letter JSON Lines file shared by every sink of a run. Appends are serialised
 * and fsync'ed before they resolve: once a sink says "dead-lettered", the records are on disk.
 * The file is created only when something is written to it.
 */
export class DeadLetterFile {
  private chain: Promise<void> = Promise.resolve();
  private written = 0;

  constructor(readonly file: string, private readonly runId: string | null = null) {}

  /** Entries written by this process. */
  get count(): number {
    return this.written;
  }

  /** Appends one entry per record. @throws the file-system error when the file cannot be written. */
  appendRecords(sink: string, records: ZakRecord[], error: string, attempts: number): Promise<void> {
    return this.append(records.map((record) => this.entry(sink, error, attempts, { kind: 'record', record })));
  }

  appendSummary(sink: string, summary: RunSummary, error: string, attempts: number): Promise<void> {
    return this.append([this.entry(sink, error, attempts, { kind: 'summary', summary })]);
  }

  private entry(sink: string, error: string, attempts: number, body: Pick<DeadLetterEntry, 'kind' | 'record' | 'summary'>): DeadLetterEntry {
    return { schema: DEAD_LETTER_SCHEMA, sink, runId: this.runId, at: new Date().toISOString(), attempts, error, ...body };
  }

  private append(entries: DeadLetterEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const run = this.chain.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const fh = await open(this.file, 'a');
      try {
        await fh.writeFile(text, 'utf8');
        await fh.datasync();
      } finally {
        await fh.close();
      }
      this.written += entries.length;
    });
    // A failed append must not poison the ones after it.
    this.chain = run.catch(() => undefined);
    return run;
  }
}
