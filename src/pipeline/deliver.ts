/**
 * Delivery of a scan's records: batches go to every sink at once, and a file is marked done in the run manifest
 * only after every sink acknowledged all its records (so `--resume` delivers anything unacknowledged again).
 * At the end the sinks get the run summary and are closed. Sink failures never throw out of here: they are
 * collected (`errors`) and reported once per sink.
 */
import { SinkError, errorMessage } from '../core/errors.js';
import { fileStatus } from '../core/record.js';
import type { Logger, RunSummary, Sink, SourceItem, ZakRecord } from '../core/types.js';
import type { ManifestEntry, RunManifest } from './manifest.js';

/** Codes after which a file is worth retrying on `--resume` (the file itself may be fine): never marked done. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(['timeout', 'engine_failed', 'unreadable', 'internal']);

/** Records delivered to the sinks per write. */
export const DELIVERY_BATCH = 32;

export interface DeliveryOptions {
  sinks: Sink[];
  manifest: RunManifest;
  runId: string;
  pipelineVersion: string;
  log: Logger;
  /** Called the first time a sink fails (the UI says so at once). */
  onSinkError?: (sink: string, message: string) => void;
  /** Records per write (default DELIVERY_BATCH). */
  batch?: number;
}

/** The manifest entry of a delivered file, or null when it must be processed again (no hash, or a retryable failure). */
export function manifestEntry(item: SourceItem, records: readonly ZakRecord[], run: { runId: string; pipelineVersion: string }): ManifestEntry | null {
  const first = records[0];
  if (!first?.sha256) return null;
  if (records.some((r) => r.status === 'failed' && RETRYABLE_CODES.has(r.error?.code ?? ''))) return null;
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
  private readonly failures = new Map<string, SinkError>();

  constructor(private readonly opts: DeliveryOptions) {}

  /** Every sink that failed (its last error), for the exit code and the summary. */
  get errors(): SinkError[] {
    return [...this.failures.values()];
  }

  /** Queues one file's records (in input order); writes once a batch is full. */
  async add(item: SourceItem, records: ZakRecord[]): Promise<void> {
    this.pending.push({ item, records });
    this.pendingRecords += records.length;
    if (this.pendingRecords >= (this.opts.batch ?? DELIVERY_BATCH)) await this.flush();
  }

  /** Writes what is queued to every sink, then marks the files done when all sinks accepted them. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const groups = this.pending;
    this.pending = [];
    this.pendingRecords = 0;
    const batch = groups.flatMap((g) => g.records);
    const { sinks } = this.opts;
    // Sinks are independent: deliver to all at once so a slow database does not wait behind Kafka.
    const outcomes = await Promise.allSettled(sinks.map((sink) => sink.write(batch)));
    let allAccepted = true;
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
   * sink is closed (`interrupted` after Ctrl-C).
   */
  async close(summary: () => RunSummary, interrupted: boolean): Promise<RunSummary> {
    const { sinks, log } = this.opts;
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
    return s;
  }

  /** Records a sink's failure; `announce`: tell the UI the first time (a failed close shows in the summary only). */
  private fail(sink: Sink, err: unknown, what: string, announce = true): void {
    const se = err instanceof SinkError ? err : new SinkError(sink.name, `${sink.name}: ${what}${errorMessage(err)}`, { cause: err });
    if (announce && !this.failures.has(sink.name)) this.opts.onSinkError?.(sink.name, se.message);
    this.failures.set(sink.name, se);
  }
}
