import os from 'node:os';
import type { Command } from 'commander';
import { defaults } from '../../config/defaults.js';
import { loadConfig } from '../../config/load.js';
import { ExitCode } from '../../core/exit-codes.js';
import { createLogger } from '../../core/logger.js';
import { addAnalysisOptions } from '../pipeline-options.js';
import { queueFlagsToConfig } from './queue.js';
import { scanFlagsToConfig, secretsOf, type ScanFlags } from './scan.js';

export interface WorkerFlags extends ScanFlags {
  redis?: string;
  queue?: string;
  untilEmpty?: boolean;
  workerId?: string;
}

const EXAMPLES = `
Examples:
  $ zakocr worker --redis redis://queue:6379 --queue nightly --pg postgres://app@db/pos
  $ zakocr worker --queue nightly --pg "$DATABASE_URL" --migrate --until-empty -c 2   # batch: exit 0 when done
  $ zakocr worker --queue nightly --out /results/rows.jsonl     # appends to rows.<host>-<pid>.jsonl

Each job's records go to every sink before the job is acknowledged. A worker killed with -9 loses nothing: its
job goes back to the queue after queue.lockMs + queue.stalledIntervalMs (≤ 15 s by default) and another worker
does it; PostgreSQL keeps one row per (sha256, page, pipeline version).
Exit codes: 0 stopped (--until-empty: nothing left) · 2 usage/config error, Redis unreachable at start ·
3 some jobs failed because a sink stayed down (see zakocr queue retry-failed) · 130 SIGINT · 143 SIGTERM
(both after finishing and acknowledging the jobs in progress; a second signal quits at once).`;

/** Default worker id: host and process, safe for file names and Redis. */
export function defaultWorkerId(): string {
  return `${os.hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function registerWorkerCommand(program: Command): void {
  const worker = program
    .command('worker')
    .description('take file jobs from a Redis (BullMQ) queue, analyse them with warm engines, write to the sinks; run many, on many machines')
    .option('--redis <url>', 'Redis of the queue (default redis://127.0.0.1:6379, or ZAKOCR_QUEUE_REDIS)')
    .option('--queue <name>', 'queue name (default zakocr)')
    .option('-c, --concurrency <n>', 'jobs processed at once by this worker (also sizes its engine pools)')
    .option('--until-empty', 'exit 0 once nothing is waiting, delayed or active in the queue (batch jobs)')
    .option('--worker-id <id>', 'name of this worker in Redis and in its JSONL file name (default host-pid)')
    .option('-o, --out <file>', 'JSON Lines file, one per worker: {worker} in the name is replaced by the worker id, else it goes before .jsonl (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .addHelpText('after', EXAMPLES);
  addAnalysisOptions(worker).action(async (flags: WorkerFlags) => {
    process.exitCode = await workerAction(flags);
  });
}

/** The worker command: load config, run until empty or signalled, report; returns the exit code. */
export async function workerAction(flags: WorkerFlags): Promise<number> {
  const { config, fromEnv } = await loadConfig({ configFile: flags.config, flags: { ...scanFlagsToConfig(flags), ...queueFlagsToConfig(flags) } });
  // No results file unless one is asked for (flag, ZAKOCR_OUT or a config file): a long-running worker's outputs
  // are usually the shared PostgreSQL / Kafka, and scan's default file would only grow in the container.
  if (!flags.out && !fromEnv.includes('out') && JSON.stringify(config.out) === JSON.stringify(defaults.out)) config.out = [];
  const { runWorker } = await import('../../queue/worker.js');
  const { parseRedisUrl } = await import('../../redis/url.js');
  const log = createLogger({ json: config.jsonLog, quiet: config.quiet, secrets: [...secretsOf(config), parseRedisUrl(config.queue.redis, 'queue.redis').password] });
  const abort = new AbortController();
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) process.exit(sig === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
    signalled = sig;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const workerId = flags.workerId ?? defaultWorkerId();
    const r = await runWorker({ config, log, workerId, untilEmpty: flags.untilEmpty ?? false, signal: abort.signal });
    const s = r.summary;
    log.info(`zakocr worker ${workerId}: ${r.jobs.completed} jobs done, ${r.jobs.failed} failed · records ok ${s.ok} · needs review ${s.needsReview} · failed ${s.failed} · stopped by ${signalled ?? 'an empty queue'}`);
    for (const se of r.sinkErrors) log.error(se.message);
    if (signalled) return signalled === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
    return r.jobs.failed > 0 ? ExitCode.sinkFailed : ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
