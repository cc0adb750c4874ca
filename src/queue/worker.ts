import { randomUUID } from 'node:crypto';
import { Worker as BullWorker, MetricsTime, type Job } from 'bullmq';
import { SinkError, UsageError, errorMessage } from '../core/errors.js';
import type { Logger, RunContext, RunSummary, Sink, ZakRecord } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { createAnalyzer, type AnalyzerDeps } from '../pipeline/analyzer.js';
import { RunStats } from '../pipeline/stats.js';
import { createSinks } from '../sinks/registry.js';
import { AppendJsonlSink, perWorkerFile } from '../sinks/jsonl-append.js';
import { StdoutJsonlSink } from '../sinks/jsonl.js';
import { queueCounts, remainingOf } from './admin.js';
import { connectionFor, openQueue } from './connection.js';
import { jobSourceItem, type FILE_JOB, type FileJobData, type FileJobResult } from './job.js';

/** How often an idle `--until-empty` worker asks whether anything is left (ms). */
const EMPTY_POLL_MS = 1_000;
/** Seconds a worker's blocking fetch waits for a new job before looking again (BullMQ `drainDelay`). */
const FETCH_WAIT_S = 2;

export interface WorkerRunOptions {
  config: ZakConfig;
  log: Logger;
  /** Names this worker's JSONL file and its jobs in Redis (`--worker-id`; default host-pid). */
  workerId: string;
  /** Stop once nothing is waiting, delayed or active in the queue (batch mode). */
  untilEmpty: boolean;
  /** Aborting it drains: jobs in progress finish and are acknowledged, no new job is taken. */
  signal?: AbortSignal;
  /** Injected stages (tests: fake engines through the real pipeline). */
  deps?: AnalyzerDeps & { sinks?: Sink[] };
  onJob?: (e: { file: string; records: ZakRecord[]; ms: number }) => void;
}

export interface WorkerResult {
  summary: RunSummary;
  /** Jobs this worker completed, and those whose last try failed here (a sink down past every retry). */
  jobs: { completed: number; failed: number };
  stoppedBy: 'empty' | 'signal';
  sinkErrors: SinkError[];
}

/**
 * `--out` files of a worker: JSON Lines appended per worker (a shared file would interleave workers, and a
 * scan's rename-at-close file would not survive `kill -9` after the job was acknowledged).
 * @throws UsageError for other formats.
 */
function workerFileSink(workerId: string): (out: string) => Sink {
  return (out) => {
    if (out === '-') return new StdoutJsonlSink();
    if (!/\.(jsonl|ndjson)$/i.test(out)) {
      throw new UsageError(`zakocr worker writes JSON Lines only, got --out ${out}`, { hint: 'Use --out results.jsonl (one results.<worker>.jsonl per worker), or --pg / --kafka for shared outputs.' });
    }
    return new AppendJsonlSink(perWorkerFile(out, workerId));
  };
}

/**
 * A queue worker: loads the engines once, then takes file jobs from the BullMQ queue, analyses each with the
 * same analyzer as `scan`, writes its records to every sink and acknowledges the job only when every sink
 * acknowledged them. A bad file is a `failed` record and a completed job; a sink still failing after its
 * retries fails the job, which BullMQ retries with back-off (`queue.attempts`). A worker that dies loses its
 * lock: after `queue.lockMs` another worker's stalled check (every `queue.stalledIntervalMs`) puts the job back,
 * and the upsert key (sha256, page, pipeline version) keeps PostgreSQL at one row per file. Never exits the process.
 * @throws ConfigError when Redis is unreachable at start; engine start-up errors as `scan`.
 */
export async function runWorker(opts: WorkerRunOptions): Promise<WorkerResult> {
  const { config, log } = opts;
  const settings = config.queue;
  const runId = opts.deps?.runId ?? randomUUID();
  const started = Date.now();
  const { queue, target, close: closeQueue } = await openQueue(settings, `zakocr-worker-${opts.workerId}`);
  const cleanup: Array<() => Promise<unknown>> = [closeQueue];
  let sinks: Sink[] = [];
  try {
    const analyzer = await createAnalyzer(config, { ...opts.deps, runId, log });
    cleanup.unshift(() => analyzer.dispose());
    const ctx: RunContext = { runId, pipelineVersion: analyzer.pipelineVersion, startedAt: new Date(started), resume: false, log, outputs: config.out };
    sinks = opts.deps?.sinks ?? (await createSinks(config, ctx, { fileSink: workerFileSink(opts.workerId) }));
    if (sinks.length === 0) throw new UsageError('zakocr worker has nowhere to write results', { hint: 'Give --pg <url>, --kafka <brokers> and/or --out results.jsonl.' });
    for (const s of sinks) await s.open(ctx);

    const stats = new RunStats();
    const sinkErrors = new Map<string, SinkError>();
    const jobs = { completed: 0, failed: 0 };
    let inFlight = 0;

    /** Every sink gets the records at once; any refusal (after its own retries) fails the job. */
    async function deliver(records: ZakRecord[]): Promise<void> {
      const outcomes = await Promise.allSettled(sinks.map((s) => s.write(records)));
      const refused = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ sink: sinks[i], err: o.reason as unknown }] : []));
      if (refused.length === 0) return;
      for (const { sink, err } of refused) {
        sinkErrors.set(sink.name, err instanceof SinkError ? err : new SinkError(sink.name, `${sink.name}: ${errorMessage(err)}`, { cause: err }));
      }
      throw new Error(`not delivered to ${refused.map((r) => `${r.sink.name} (${errorMessage(r.err)})`).join('; ')}`);
    }

    const worker = new BullWorker<FileJobData, FileJobResult, typeof FILE_JOB>(
      settings.name,
      async (job: Job<FileJobData, FileJobResult, typeof FILE_JOB>): Promise<FileJobResult> => {
        inFlight++;
        try {
          const t = performance.now();
          const records = await analyzer.analyse(jobSourceItem(job.data));
          const ms = Math.round(performance.now() - t);
          await deliver(records);
          stats.add(records, ms);
          opts.onJob?.({ file: job.data.file, records, ms });
          const status = records.some((r) => r.status === 'failed') ? 'failed' : records.some((r) => r.status === 'needs_review') ? 'needs_review' : 'ok';
          log.info(`${job.data.file}: ${status} (${ms} ms)`);
          return { records: records.length, status, ...(job.data.returnRecords ? { results: records } : {}) };
        } finally {
          inFlight--;
        }
      },
      {
        connection: connectionFor(target, `zakocr-worker-${opts.workerId}`),
        name: opts.workerId,
        autorun: false,
        concurrency: config.concurrency,
        lockDuration: settings.lockMs,
        stalledInterval: settings.stalledIntervalMs,
        maxStalledCount: settings.maxStalled,
        drainDelay: FETCH_WAIT_S,
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      },
    );
    let lastError = '';
    worker.on('error', (err) => {
      if (err.message !== lastError) log.warn(`queue ${settings.name} on ${target.display}: ${err.message}`);
      lastError = err.message;
    });
    worker.on('completed', () => void jobs.completed++);
    worker.on('failed', (job, err) => {
      const tries = job?.opts.attempts ?? settings.attempts;
      const final = !job || job.attemptsMade >= tries;
      if (final) jobs.failed++;
      const next = final ? 'in the failed set now (zakocr queue retry-failed)' : 'retried after a back-off';
      log.error(`${job?.data.file ?? job?.id}: try ${job?.attemptsMade ?? '?'} of ${tries} failed, ${next}: ${err.message}`);
    });
    worker.on('stalled', (jobId) => log.warn(`job ${jobId} lost its worker (crash or kill): back in the queue`));

    const running = worker.run();
    const stoppedBy = await new Promise<'empty' | 'signal'>((resolve) => {
      if (opts.signal?.aborted) return resolve('signal');
      opts.signal?.addEventListener('abort', () => resolve('signal'), { once: true });
      if (!opts.untilEmpty) return;
      let checking = false;
      const timer = setInterval(() => {
        if (checking || inFlight > 0) return;
        checking = true;
        queueCounts(queue)
          .then((c) => {
            // Jobs another worker holds count too: if that worker dies they come back, and someone must be here.
            if (remainingOf(c) === 0 && inFlight === 0) {
              clearInterval(timer);
              resolve('empty');
            }
          })
          .catch((err: unknown) => log.debug(`queue count failed: ${errorMessage(err)}`))
          .finally(() => (checking = false));
      }, EMPTY_POLL_MS);
      opts.signal?.addEventListener('abort', () => clearInterval(timer), { once: true });
    });
    if (stoppedBy === 'signal' && inFlight > 0) log.warn(`stopping: finishing ${inFlight} job(s) in progress (signal again to quit now; they go back to the queue)`);
    await worker.close(); // waits for the jobs in progress; each is acknowledged only after its records are delivered
    await running.catch((err: unknown) => log.warn(`worker loop: ${errorMessage(err)}`));

    const summary = stats.summary({ runId, pipelineVersion: analyzer.pipelineVersion, engine: analyzer.stamp, durationMs: Date.now() - started });
    for (const s of sinks) await s.summarize?.(summary).catch((err: unknown) => log.warn(`${s.name}: could not write run metrics: ${errorMessage(err)}`));
    return { summary, jobs, stoppedBy, sinkErrors: [...sinkErrors.values()] };
  } finally {
    for (const s of sinks) await s.close({ interrupted: false }).catch((err: unknown) => log.error(`${s.name}: close failed: ${errorMessage(err)}`));
    for (const step of cleanup) await step().catch(() => undefined);
  }
}
