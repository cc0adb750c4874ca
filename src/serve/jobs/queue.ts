import { QueueEvents } from 'bullmq';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/types.js';
import { connectionFor, openQueue, type FileQueue, type QueueSettings } from '../../queue/connection.js';
import { FILE_JOB, fileJobId, type FileJobResult } from '../../queue/job.js';
import { fileJobOptions, jobData } from '../../queue/push.js';
import { variantKey, type Variant } from '../analyzers.js';
import { ServeError } from '../errors.js';
import type { BookedJob, FileOutcome, JobBook } from './book.js';
import { checkBacklog, shuttingDown, type InProcessJobs } from './in-process.js';
import type { JobBackend, JobEvent, JobRequest, JobSummary, JobView } from './types.js';

/**
 * How often the backend asks Redis for the state of the files it still follows: QueueEvents is a Redis stream
 * read from "now", so a completion during a reconnect (or trimmed from the stream) would otherwise never arrive.
 */
const RECONCILE_EVERY_MS = 5_000;
/** Job states asked per reconcile round, oldest followed first. */
const RECONCILE_BATCH = 500;

export interface QueueJobsOptions {
  /** `queue.*`: the queue `zakocr worker`s take from (`zakocr queue push` uses the same). */
  settings: QueueSettings;
  book: JobBook;
  /** Runs uploads, which remote workers cannot read, on this server's engines (same book). */
  uploads: InProcessJobs;
  /** The only analysis variant path jobs may ask for: workers analyse with their own configuration. */
  defaultVariant: Variant;
  /** Queue files this server follows (not finished yet) before `submit` answers 503. */
  maxQueuedFiles: number;
  retryAfterS: number;
  log?: Logger;
}

/** A serve job's file waiting on one BullMQ job (several serve jobs may wait on the same file: one BullMQ job). */
interface Follow {
  job: BookedJob;
  file: string;
}

/** The records of a completed queue job. Pure. */
export function completedOutcome(file: string, result: FileJobResult | null | undefined): FileOutcome {
  if (result && Array.isArray(result.results)) return { file, records: result.results };
  return { file, records: [], errors: [`${file}: done earlier by a queue job that kept no records (zakocr queue push, or an older worker): read them from the workers' sinks`] };
}

/** A queue job that failed its last try (a sink stayed down): the worker's records were not delivered. Pure. */
export function failedOutcome(file: string, reason: string): FileOutcome {
  return { file, records: [], delivered: false, errors: [`${file}: queue job failed after its tries: ${reason} (zakocr queue retry-failed)`] };
}

/**
 * `POST /v1/jobs` through the BullMQ queue of `zakocr queue push` / `zakocr worker` (src/queue/): each file of
 * a path job is one queue job (same id as `queue push` gives it: path + size + mtime, so a file already queued,
 * running or done is not queued twice and a done one answers from its result at once). `zakocr worker`s analyse
 * and deliver to their own sinks; this server follows their QueueEvents and books each file's records from the
 * job's `returnvalue`. Uploads stay on this server's engines (InProcessJobs on the same book): other machines
 * cannot read its spool folder.
 */
export class QueueJobs implements JobBackend {
  readonly name = 'queue';
  readonly acceptsUploads = true;
  private readonly following = new Map<string, Follow[]>();
  private followedFiles = 0;
  /** Ids being looked up and added by a submit: not 'unknown' = removed for the reconciler yet. */
  private readonly adding = new Set<string>();
  private closed = false;
  private reconciling = false;
  private readonly reconciler: NodeJS.Timeout;

  private constructor(private readonly opts: QueueJobsOptions, private readonly queue: FileQueue, private readonly events: QueueEvents) {
    events.on('active', ({ jobId }) => {
      for (const f of this.following.get(jobId) ?? []) opts.book.started(f.job);
    });
    events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, (file) => completedOutcome(file, returnvalue as unknown as FileJobResult)));
    events.on('failed', ({ jobId, failedReason }) => {
      if (!this.following.has(jobId)) return;
      // 'failed' is sent for every try; only the last one leaves the job in the failed set.
      this.queue.getJobState(jobId).then(
        (state) => state === 'failed' && this.settle(jobId, (file) => failedOutcome(file, failedReason)),
        (err: unknown) => opts.log?.warn(`queue ${opts.settings.name}: state of job ${jobId}: ${errorMessage(err)}`),
      );
    });
    events.on('error', (err) => opts.log?.debug(`queue events ${opts.settings.name}: ${errorMessage(err)}`));
    this.reconciler = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
    this.reconciler.unref();
  }

  /** @throws ConfigError (exit 2) when the queue's Redis cannot be reached. */
  static async open(opts: QueueJobsOptions): Promise<QueueJobs> {
    const { queue, target } = await openQueue(opts.settings, 'zakocr-serve');
    const events = new QueueEvents(opts.settings.name, { connection: connectionFor(target, 'zakocr-serve-events') });
    try {
      await events.waitUntilReady();
    } catch (err) {
      await Promise.allSettled([events.close(), queue.close()]);
      throw err;
    }
    return new QueueJobs(opts, queue, events);
  }

  async submit(req: JobRequest): Promise<JobSummary> {
    if (this.closed) throw shuttingDown(this.opts.retryAfterS);
    if (req.files.some((f) => f.cleanup)) return this.opts.uploads.submit(req); // uploads: spooled on this machine
    if (variantKey(req.variant) !== variantKey(this.opts.defaultVariant)) {
      throw new ServeError(400, 'bad_request', `jobs by path run on the queue's workers with their own settings: ?engine, ?lang and ?barcodes must be left at this server's defaults (${variantKey(this.opts.defaultVariant)}), or upload the files`);
    }
    checkBacklog(this.followedFiles, req.files.length, this.opts.maxQueuedFiles, this.opts.retryAfterS);
    const datas = await Promise.all(req.files.map(async (f) => ({ ...(await jobData(f.item, false)), returnRecords: true })));
    const ids = datas.map((d) => fileJobId(d.path, d.size, d.mtimeMs));
    const job = this.opts.book.create(this.name, req.owner, req.variant, req.files.length);
    // Follow before asking Redis: a completion between the question and the answer is then not missed.
    ids.forEach((id, i) => this.follow(id, { job, file: datas[i].file }));
    for (const id of ids) this.adding.add(id);
    try {
      const states = await Promise.all(ids.map((id) => this.queue.getJobState(id)));
      const jobOpts = fileJobOptions(this.opts.settings);
      const fresh = datas.flatMap((data, i) => (states[i] === 'unknown' ? [{ name: FILE_JOB, data, opts: { ...jobOpts, jobId: ids[i] } }] : []));
      if (fresh.length > 0) await this.queue.addBulk(fresh);
      await Promise.all(ids.map((id, i) => (states[i] === 'completed' || states[i] === 'failed' ? this.settleFromRedis(id, states[i]) : states[i] === 'active' ? this.opts.book.started(job) : undefined)));
    } catch (err) {
      for (const id of ids) this.unfollow(id, job);
      this.opts.book.finish(job, 'cancelled');
      throw new ServeError(503, 'unavailable', `cannot queue the job on ${this.opts.settings.name}: ${errorMessage(err)}`, { headers: { 'retry-after': String(this.opts.retryAfterS) } });
    } finally {
      for (const id of ids) this.adding.delete(id);
    }
    return this.opts.book.snapshot(job);
  }

  async get(id: string, owner: string): Promise<JobView | null> {
    return this.opts.book.get(id, owner);
  }

  subscribe(id: string, owner: string, listener: (event: JobEvent) => void): (() => void) | null {
    return this.opts.book.subscribe(id, owner, listener);
  }

  filesWaiting(): number {
    return this.followedFiles + this.opts.uploads.filesWaiting();
  }

  /** Stops following: queued files still run on the workers and reach their sinks; this server's jobs are cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reconciler);
    await this.opts.uploads.close();
    this.following.clear();
    this.followedFiles = 0;
    this.opts.book.cancelUnfinished(this.name);
    this.opts.book.close();
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }

  private follow(id: string, f: Follow): void {
    const list = this.following.get(id);
    if (list) list.push(f);
    else this.following.set(id, [f]);
    this.followedFiles++;
  }

  private unfollow(id: string, job: BookedJob): void {
    const list = this.following.get(id);
    if (!list) return;
    const kept = list.filter((f) => f.job !== job);
    this.followedFiles -= list.length - kept.length;
    if (kept.length > 0) this.following.set(id, kept);
    else this.following.delete(id);
  }

  /** Books the outcome of queue job `id` for every serve job waiting on it (once: later news of it is ignored). */
  private settle(id: string, outcomeOf: (file: string) => FileOutcome): void {
    const list = this.following.get(id);
    if (!list) return;
    this.following.delete(id);
    this.followedFiles -= list.length;
    for (const f of list) this.opts.book.fileDone(f.job, outcomeOf(f.file));
  }

  /** Settles `id` from what Redis holds now; leaves it followed while it is still waiting or running. */
  private async settleFromRedis(id: string, state?: string): Promise<void> {
    const now = state ?? (await this.queue.getJobState(id));
    if (now === 'completed' || now === 'failed') {
      const job = await this.queue.getJob(id);
      if (now === 'completed') this.settle(id, (file) => completedOutcome(file, job?.returnvalue as FileJobResult | undefined));
      else this.settle(id, (file) => failedOutcome(file, job?.failedReason ?? 'unknown reason'));
    } else if (now === 'unknown') {
      this.settle(id, (file) => ({ file, records: [], errors: [`${file}: the queue job was removed before this server read its result (queue drained or obliterated)`] }));
    }
  }

  private async reconcile(): Promise<void> {
    if (this.reconciling || this.following.size === 0) return;
    this.reconciling = true;
    try {
      const ids = [...this.following.keys()].filter((id) => !this.adding.has(id)).slice(0, RECONCILE_BATCH);
      const states = await Promise.all(ids.map((id) => this.queue.getJobState(id)));
      await Promise.all(ids.map((id, i) => this.settleFromRedis(id, states[i])));
    } catch (err) {
      this.opts.log?.debug(`queue ${this.opts.settings.name}: reconcile: ${errorMessage(err)}`);
    } finally {
      this.reconciling = false;
    }
  }
}
