import { errorMessage } from '../../core/errors.js';
import type { Logger, SourceItem, ZakRecord } from '../../core/types.js';
import type { Variant } from '../analyzers.js';
import type { DeliveryOutcome } from '../delivery.js';
import { ServeError } from '../errors.js';
import { JobBook, type BookedJob, type FileOutcome } from './book.js';
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
  /** How long a finished job stays readable (ms); unused when `book` is given. */
  retainMs: number;
  retryAfterS: number;
  /** The job book to record in (shared with the queue backend, which runs uploads here); default: its own. */
  book?: JobBook;
  log?: Logger;
  now?: () => number;
}

/** 503 with Retry-After for a backend that is closing. */
export function shuttingDown(retryAfterS: number): ServeError {
  return new ServeError(503, 'shutting_down', 'the server is shutting down', { headers: { 'retry-after': String(retryAfterS) } });
}

/** 503 with Retry-After when `waiting + adding` files would pass `serve.jobs.maxQueuedFiles`. */
export function checkBacklog(waiting: number, adding: number, max: number, retryAfterS: number): void {
  if (waiting + adding <= max) return;
  throw new ServeError(503, 'overloaded', `job backlog full: ${waiting} files waiting, ${adding} more would pass serve.jobs.maxQueuedFiles (${max})`, {
    headers: { 'retry-after': String(retryAfterS) },
  });
}

/** Jobs run on this server's own engines, in memory: lost on restart (the queue backend is the durable one). */
export class InProcessJobs implements JobBackend {
  readonly name = 'in-process';
  readonly acceptsUploads = true;
  private readonly book: JobBook;
  private readonly ownsBook: boolean;
  private readonly waiting: Array<{ job: BookedJob; file: JobFile }> = [];
  private readonly active = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: InProcessJobsOptions) {
    this.ownsBook = !opts.book;
    this.book = opts.book ?? new JobBook({ retainMs: opts.retainMs, log: opts.log, now: opts.now });
  }

  async submit(req: JobRequest): Promise<JobSummary> {
    if (this.closed) throw shuttingDown(this.opts.retryAfterS);
    checkBacklog(this.waiting.length, req.files.length, this.opts.maxQueuedFiles, this.opts.retryAfterS);
    const job = this.book.create(this.name, req.owner, req.variant, req.files.length);
    for (const file of req.files) this.waiting.push({ job, file });
    this.pump();
    return this.book.snapshot(job);
  }

  async get(id: string, owner: string): Promise<JobView | null> {
    return this.book.get(id, owner);
  }

  subscribe(id: string, owner: string, listener: (event: JobEvent) => void): (() => void) | null {
    return this.book.subscribe(id, owner, listener);
  }

  filesWaiting(): number {
    return this.waiting.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const never = this.waiting.splice(0);
    await Promise.allSettled(never.map((w) => w.file.cleanup?.()));
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
    this.book.cancelUnfinished(this.name);
    if (this.ownsBook) this.book.close();
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

  private async process(job: BookedJob, file: JobFile): Promise<void> {
    this.book.started(job);
    const outcome: FileOutcome = { file: file.item.path, records: [] };
    try {
      outcome.records = await this.opts.analyse(job.summary.options, file.item);
      const delivery = await this.opts.deliver(outcome.records);
      if (!delivery.delivered) {
        outcome.delivered = false;
        outcome.errors = delivery.errors;
      }
    } catch (err) {
      // analyse never throws for a bad file; this is an engine that could not start: the job cannot finish this file.
      this.opts.log?.error(`job ${job.summary.id}: ${file.item.path}: ${errorMessage(err)}`);
      outcome.records = [];
      outcome.errors = [errorMessage(err)];
    } finally {
      await file.cleanup?.().catch(() => undefined);
    }
    this.book.fileDone(job, outcome);
  }
}
