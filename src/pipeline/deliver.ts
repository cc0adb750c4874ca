/**
 * Delivery of a scan's records: batches go to the file outputs' journal and every sink at once, and a file is marked
 * done in the run manifest only after all of them acknowledged all its records (so `--resume` delivers anything
 * unacknowledged again). Group commit: a batch is written as soon as the previous write finished, so a slow run
 * makes each file durable at once and a fast one amortises the sync over many files. At the end the sinks get the
 * run summary and are closed. Sink failures never throw out of here: they are collected (`errors`) and reported
 * once per sink; a failure of the file outputs (disk full) also stops the run (`onFatal`).
 */
import { SinkError, errorMessage } from '../core/errors.js';
import { fileStatus } from '../core/record.js';
import { isRetriedOnResume, parseReviewReason } from '../core/review-reason.js';
import type { Logger, RunSummary, Sink, SourceItem, ZakRecord } from '../core/types.js';
import type { FileOutputs } from '../sinks/file-outputs.js';
import type { ManifestEntry, RunManifest } from './manifest.js';

/** Codes after which a file is worth retrying on `--resume` (the file itself may be fine): never marked done. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(['timeout', 'engine_failed', 'unreadable', 'internal']);

/** Records queued while a write is in progress beyond which `add` waits for it (backpressure). */
export const DELIVERY_BATCH = 32;

export interface DeliveryOptions {
  sinks: Sink[];
  /** The scan's output files (journaled); null when there are none (stdout, databases only). */
  files?: FileOutputs | null;
  manifest: RunManifest;
  runId: string;
  pipelineVersion: string;
  log: Logger;
  /** Called the first time a sink fails (the UI says so at once). */
  onSinkError?: (sink: string, message: string) => void;
  /** Called once when the file outputs fail: the run stops (every later write would fail the same way). */
  onFatal?: () => void;
  /** Queued records beyond which `add` waits (default DELIVERY_BATCH). */
  batch?: number;
}

/**
 * The manifest entry of a delivered file, or null when it must be processed again (no hash, a retryable failure, or a
 * lookup still to make: `isRetriedOnResume`).
 */
export function manifestEntry(item: SourceItem, records: readonly ZakRecord[], run: { runId: string; pipelineVersion: string }): ManifestEntry | null {
  const first = records[0];
  if (!first?.sha256) return null;
  if (records.some((r) => r.status === 'failed' && RETRYABLE_CODES.has(r.error?.code ?? ''))) return null;
  // A lookup that could not be made (catalog_unavailable) is asked again on --resume.
  if (records.some((r) => r.review.some((x) => isRetriedOnResume(parseReviewReason(x))))) return null;
  return {
    sha256: first.sha256,
    pipelineVersion: run.pipelineVersion,
    file: first.file,
    pages: records.length,
    status: fileStatus(records),
    runId: run.runId,
    at: new Date().toISOString(),
    absPath: item.absPath,
  };
}

export class Delivery {
  private pending: Array<{ item: SourceItem; records: ZakRecord[] }> = [];
  private pendingRecords = 0;
  private writing: Promise<void> | null = null;
  private readonly failures = new Map<string, SinkError>();

  constructor(private readonly opts: DeliveryOptions) {}

  /** Every sink that failed (its last error), for the exit code and the summary. */
  get errors(): SinkError[] {
    return [...this.failures.values()];
  }

  /** Queues one file's records (in input order) and starts a write unless one is running. */
  async add(item: SourceItem, records: ZakRecord[]): Promise<void> {
    this.opts.files?.place(item.absPath);
    this.pending.push({ item, records });
    this.pendingRecords += records.length;
    const running = this.kick();
    // Backpressure: a slow sink must not let finished records pile up in memory.
    if (this.pendingRecords >= (this.opts.batch ?? DELIVERY_BATCH)) await running;
  }

  /** An input `--resume` skipped: its journaled records keep their place in the rebuilt outputs. */
  skip(item: SourceItem): void {
    this.opts.files?.place(item.absPath);
  }

  /** Writes everything queued (waits for a write in progress first). */
  async flush(): Promise<void> {
    await this.kick();
  }

  /** Starts the writer unless it runs; it writes batch after batch until nothing is queued. */
  private kick(): Promise<void> {
    if (!this.writing && this.pending.length > 0) {
      this.writing = (async () => {
        while (this.pending.length > 0) {
          try {
            await this.writeQueued();
          } catch (err) {
            // The manifest itself cannot be written (disk full): nothing more can be marked done.
            const first = !this.failures.has('manifest');
            this.fail({ name: 'manifest' }, err, 'cannot append: ');
            if (first) this.opts.onFatal?.();
          }
        }
      })().finally(() => {
        this.writing = null;
      });
    }
    return this.writing ?? Promise.resolve();
  }

  /** Writes what is queued to the journal and every sink, then marks the files done when all accepted them. */
  private async writeQueued(): Promise<void> {
    const groups = this.pending;
    this.pending = [];
    this.pendingRecords = 0;
    const batch = groups.flatMap((g) => g.records);
    const { sinks, files } = this.opts;
    // Sinks are independent: deliver to all at once so a slow database does not wait behind Kafka.
    const journaled = files ? files.append(groups.map((g) => ({ key: g.item.absPath, records: g.records }))) : Promise.resolve();
    const [journal, ...outcomes] = await Promise.allSettled([journaled, ...sinks.map((sink) => sink.write(batch))]);
    let allAccepted = true;
    if (journal.status === 'rejected' && files) {
      allAccepted = false;
      const first = !this.failures.has(files.name);
      this.fail({ name: files.name }, journal.reason, '');
      if (first) this.opts.onFatal?.();
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return;
      allAccepted = false;
      this.fail(sinks[i], outcome.reason, '');
    });
    if (!allAccepted) return; // not marked done: `--resume` delivers these files again
    const entries = groups.map((g) => manifestEntry(g.item, g.records, this.opts)).filter((e): e is ManifestEntry => e !== null);
    await this.opts.manifest.append(entries);
  }

  /**
   * Ends delivery: what is still queued is written (also after Ctrl-C), every sink gets the run summary, then every
   * sink is closed (`interrupted` after Ctrl-C) and the output files are rebuilt from the journal.
   */
  async close(summary: () => RunSummary, interrupted: boolean): Promise<RunSummary> {
    const { sinks, files, log } = this.opts;
    await this.flush().catch((err: unknown) => log.error(`final delivery failed: ${errorMessage(err)}`));
    const s = summary();
    for (const sink of sinks) {
      try {
        await sink.summarize?.(s);
      } catch (err) {
        log.warn(`${sink.name}: could not write run metrics: ${errorMessage(err)}`);
      }
    }
    for (const sink of sinks) {
      try {
        await sink.close({ interrupted });
      } catch (err) {
        this.fail(sink, err, 'close failed: ', false);
      }
    }
    if (files) {
      try {
        await files.close();
      } catch (err) {
        this.fail({ name: files.name }, err, '', false);
      }
    }
    return s;
  }

  /** Records a sink's failure; `announce`: tell the UI the first time (a failed close shows in the summary only). */
  private fail(sink: { name: string }, err: unknown, what: string, announce = true): void {
    const se = err instanceof SinkError ? err : new SinkError(sink.name, `${sink.name}: ${what}${errorMessage(err)}`, { cause: err });
    if (announce && !this.failures.has(sink.name)) this.opts.onSinkError?.(sink.name, se.message);
    this.failures.set(sink.name, se);
  }
}
