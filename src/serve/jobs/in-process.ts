import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../core/errors.js';
import type { Logger, RecordStatus, SourceItem, ZakRecord } from '../../core/types.js';
import type { Variant } from '../analyzers.js';
import type { DeliveryOutcome } from '../delivery.js';
import { ServeError } from '../errors.js';
import type { JobBackend, JobEvent, JobFile, JobRequest, JobSummary, JobView } from './types.js';

export interface InProcessJobsOptions {
  /** Analyses one file (through the service's admission window, below interactive scans). */
  analyse(variant: Variant, item: SourceItem): Promise<ZakRecord[]>;
  /** Sends records to the sinks. */
  deliver(records: ZakRecord[]): Promise<DeliveryOutcome>;
  /** Job files handed to `analyse` at once (the admission window queues them behind interactive scans). */
  concurrency: number;
  /** Files waiting in all jobs together before `submit` answers 503. */
  maxQueuedFiles: number;
  /** How long a finished job stays readable (ms). */
  retainMs: number;
  retryAfterS: number;
  log?: Logger;
  now?: () => number;
}

interface Job {
  summary: JobSummary;
  owner: string;
  records: ZakRecord[];
  listeners: Set<(e: JobEvent) => void>;
  finishedAtMs: number | null;
}

const EMPTY_COUNTS = (): Record<RecordStatus, number> => ({ ok: 0, needs_review: 0, failed: 0, skipped: 0 });
/** Expired jobs are swept at most this often. */
const SWEEP_EVERY_MS = 60_000;

/** Jobs run on this server's own engines, in memory: lost on restart (the queue backend is the durable one). */
export class InProcessJobs implements JobBackend {
  readonly name = 'in-process';
  readonly acceptsUploads = true;
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Array<{ job: Job; file: JobFile }> = [];
  private readonly active = new Set<Promise<void>>();
  private closed = false;
  private readonly sweeper: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly opts: InProcessJobsOptions) {
    this.now = opts.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(SWEEP_EVERY_MS, opts.retainMs));
    this.sweeper.unref();
  }

  async submit(req: JobRequest): Promise<JobSummary> {
    if (this.closed) throw new ServeError(503, 'shutting_down', 'the server is shutting down', { headers: { 'retry-after': String(this.opts.retryAfterS) } });
    if (this.waiting.length + req.files.length > this.opts.maxQueuedFiles) {
      throw new ServeError(503, 'overloaded', `job backlog full: ${this.waiting.length} files waiting, ${req.files.length} more would pass serve.jobs.maxQueuedFiles (${this.opts.maxQueuedFiles})`, {
        headers: { 'retry-after': String(this.opts.retryAfterS) },
      });
    }
    const summary: JobSummary = {
      id: randomUUID(),
      state: 'queued',
      backend: this.name,
      createdAt: new Date(this.now()).toISOString(),
      startedAt: null,
      finishedAt: null,
      total: req.files.length,
      done: 0,
      counts: EMPTY_COUNTS(),
      delivered: true,
      sinkErrors: [],
      options: req.variant,
    };
    const job: Job = { summary, owner: req.owner, records: [], listeners: new Set(), finishedAtMs: null };
    this.jobs.set(summary.id, job);
    for (const file of req.files) this.waiting.push({ job, file });
    if (req.files.length === 0) this.finish(job, 'done');
    this.pump();
    return { ...summary };
  }

  async get(id: string, owner: string): Promise<JobView | null> {
    const job = this.find(id, owner);
    return job ? { ...this.snapshot(job), records: [...job.records] } : null;
  }

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

  filesWaiting(): number {
    return this.waiting.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const never = this.waiting.splice(0);
    await Promise.allSettled(never.map((w) => w.file.cleanup?.()));
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
    for (const job of this.jobs.values()) if (job.finishedAtMs === null) this.finish(job, 'cancelled');
    clearInterval(this.sweeper);
  }

  private find(id: string, owner: string): Job | null {
    const job = this.jobs.get(id);
    return job && job.owner === owner ? job : null;
  }

  private snapshot(job: Job): JobSummary {
    return { ...job.summary, counts: { ...job.summary.counts }, sinkErrors: [...job.summary.sinkErrors] };
  }

  private emit(job: Job, event: JobEvent): void {
    for (const l of job.listeners) {
      try {
        l(event);
      } catch (err) {
        this.opts.log?.warn(`job ${job.summary.id}: a progress listener failed: ${errorMessage(err)}`);
      }
    }
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.opts.concurrency && this.waiting.length > 0) {
      const { job, file } = this.waiting.shift()!;
      const run = this.process(job, file).finally(() => {
        this.active.delete(run);
        this.pump();
      });
      this.active.add(run);
    }
  }

  private async process(job: Job, file: JobFile): Promise<void> {
    if (job.summary.state === 'queued') {
      job.summary.state = 'running';
      job.summary.startedAt = new Date(this.now()).toISOString();
    }
    let records: ZakRecord[];
    try {
      records = await this.opts.analyse(job.summary.options, file.item);
      const outcome = await this.opts.deliver(records);
      if (!outcome.delivered) {
        job.summary.delivered = false;
        for (const e of outcome.errors) if (!job.summary.sinkErrors.includes(e)) job.summary.sinkErrors.push(e);
      }
    } catch (err) {
      // analyse never throws for a bad file; this is an engine that could not start: the job cannot finish this file.
      this.opts.log?.error(`job ${job.summary.id}: ${file.item.path}: ${errorMessage(err)}`);
      records = [];
      if (!job.summary.sinkErrors.includes(errorMessage(err))) job.summary.sinkErrors.push(errorMessage(err));
    } finally {
      await file.cleanup?.().catch(() => undefined);
    }
    job.records.push(...records);
    for (const r of records) {
      job.summary.counts[r.status]++;
      this.emit(job, { type: 'record', record: r });
    }
    job.summary.done++;
    this.emit(job, { type: 'progress', job: this.snapshot(job), file: file.item.path });
    if (job.summary.done === job.summary.total) this.finish(job, 'done');
  }

  private finish(job: Job, state: 'done' | 'cancelled'): void {
    job.summary.state = state;
    job.finishedAtMs = this.now();
    job.summary.finishedAt = new Date(job.finishedAtMs).toISOString();
    this.emit(job, { type: 'done', job: this.snapshot(job) });
    job.listeners.clear();
  }

  private sweep(): void {
    const cutoff = this.now() - this.opts.retainMs;
    for (const [id, job] of this.jobs) if (job.finishedAtMs !== null && job.finishedAtMs < cutoff) this.jobs.delete(id);
  }
}
