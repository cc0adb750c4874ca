import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../core/errors.js';
import type { Logger, RecordStatus, ZakRecord } from '../../core/types.js';
import type { Variant } from '../analyzers.js';
import type { JobEvent, JobSummary, JobView } from './types.js';

/** Expired jobs are swept at most this often. */
const SWEEP_EVERY_MS = 60_000;

const EMPTY_COUNTS = (): Record<RecordStatus, number> => ({ ok: 0, needs_review: 0, failed: 0, skipped: 0 });

/** One job in the book. Backends read it; only the book's methods change it. */
export interface BookedJob {
  readonly summary: JobSummary;
  readonly owner: string;
  readonly records: ZakRecord[];
  readonly listeners: Set<(e: JobEvent) => void>;
  finishedAtMs: number | null;
}

/** What became of one file of a job. */
export interface FileOutcome {
  /** The file's path as records show it (the `progress` event's `file`). */
  file: string;
  records: ZakRecord[];
  /** False when a sink gave up on the records (they are in the dead-letter file, or a queue job failed). */
  delivered?: boolean;
  /** Why the file was not (fully) handled: sink errors, an engine that could not start, a failed queue job. */
  errors?: readonly string[];
}

export interface JobBookOptions {
  /** How long a finished job stays readable (ms). */
  retainMs: number;
  log?: Logger;
  now?: () => number;
}

/**
 * The bookkeeping every job backend shares: job ids, owners, per-job state and counts, the records so far, and
 * the progress events of `GET /v1/jobs/:id/events`. A backend decides where files run and reports each finished
 * file here; one book may serve several backends (the queue backend runs uploads in-process on the same book).
 * In memory: jobs are lost on restart (queued files still run on the queue's workers and reach their sinks).
 */
export class JobBook {
  private readonly jobs = new Map<string, BookedJob>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly opts: JobBookOptions) {
    this.now = opts.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(SWEEP_EVERY_MS, opts.retainMs));
    this.sweeper.unref();
  }

  /** A new queued job of `total` files; a job of no files is done at once. */
  create(backend: string, owner: string, options: Variant, total: number): BookedJob {
    const summary: JobSummary = {
      id: randomUUID(),
      state: 'queued',
      backend,
      createdAt: new Date(this.now()).toISOString(),
      startedAt: null,
      finishedAt: null,
      total,
      done: 0,
      counts: EMPTY_COUNTS(),
      delivered: true,
      sinkErrors: [],
      options,
    };
    const job: BookedJob = { summary, owner, records: [], listeners: new Set(), finishedAtMs: null };
    this.jobs.set(summary.id, job);
    if (total === 0) this.finish(job, 'done');
    return job;
  }

  get(id: string, owner: string): JobView | null {
    const job = this.find(id, owner);
    return job ? { ...this.snapshot(job), records: [...job.records] } : null;
  }

  /** See JobBackend.subscribe. */
  subscribe(id: string, owner: string, listener: (event: JobEvent) => void): (() => void) | null {
    const job = this.find(id, owner);
    if (!job) return null;
    listener({ type: 'progress', job: this.snapshot(job) });
    if (job.finishedAtMs !== null) {
      listener({ type: 'done', job: this.snapshot(job) });
      return () => undefined;
    }
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  snapshot(job: BookedJob): JobSummary {
    return { ...job.summary, counts: { ...job.summary.counts }, sinkErrors: [...job.summary.sinkErrors] };
  }

  /** The first file of the job is being analysed (queued → running). */
  started(job: BookedJob): void {
    if (job.summary.state !== 'queued') return;
    job.summary.state = 'running';
    job.summary.startedAt = new Date(this.now()).toISOString();
  }

  /** One file finished: its records, `record` and `progress` events, and `done` after the last file. */
  fileDone(job: BookedJob, outcome: FileOutcome): void {
    if (job.finishedAtMs !== null) return; // cancelled meanwhile (shutdown): the late file is not counted
    this.started(job);
    if (outcome.delivered === false) job.summary.delivered = false;
    for (const e of outcome.errors ?? []) if (!job.summary.sinkErrors.includes(e)) job.summary.sinkErrors.push(e);
    job.records.push(...outcome.records);
    for (const r of outcome.records) {
      job.summary.counts[r.status]++;
      this.emit(job, { type: 'record', record: r });
    }
    job.summary.done++;
    this.emit(job, { type: 'progress', job: this.snapshot(job), file: outcome.file });
    if (job.summary.done === job.summary.total) this.finish(job, 'done');
  }

  finish(job: BookedJob, state: 'done' | 'cancelled'): void {
    if (job.finishedAtMs !== null) return;
    job.summary.state = state;
    job.finishedAtMs = this.now();
    job.summary.finishedAt = new Date(job.finishedAtMs).toISOString();
    this.emit(job, { type: 'done', job: this.snapshot(job) });
    job.listeners.clear();
  }

  /** Cancels every unfinished job of `backend` (shutdown). */
  cancelUnfinished(backend: string): void {
    for (const job of this.jobs.values()) if (job.summary.backend === backend && job.finishedAtMs === null) this.finish(job, 'cancelled');
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private find(id: string, owner: string): BookedJob | null {
    const job = this.jobs.get(id);
    return job && job.owner === owner ? job : null;
  }

  private emit(job: BookedJob, event: JobEvent): void {
    for (const l of job.listeners) {
      try {
        l(event);
      } catch (err) {
        this.opts.log?.warn(`job ${job.summary.id}: a progress listener failed: ${errorMessage(err)}`);
      }
    }
  }

  private sweep(): void {
    const cutoff = this.now() - this.opts.retainMs;
    for (const [id, job] of this.jobs) if (job.finishedAtMs !== null && job.finishedAtMs < cutoff) this.jobs.delete(id);
  }
}
