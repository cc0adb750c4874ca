import type { Logger, SourceItem, ZakRecord } from '../../core/types.js';
import type { ZakConfig } from '../../config/defaults.js';
import type { Variant } from '../analyzers.js';
import type { DeliveryOutcome } from '../delivery.js';
import { JobBook } from './book.js';
import { InProcessJobs } from './in-process.js';
import { QueueJobs } from './queue.js';
import type { JobBackend } from './types.js';

export type JobBackendName = 'in-process' | 'queue';

/**
 * `serve.jobs.backend` resolved: 'auto' is the queue when `queue.redis` was set (`queueConfigured`: config file,
 * env or flag) and in-process otherwise — `queue.redis` always has a default, and a server should not start
 * handing files to a local Redis nobody runs workers on. Pure.
 */
export function chooseJobBackend(setting: ZakConfig['serve']['jobs']['backend'], queueConfigured: boolean): JobBackendName {
  return setting === 'auto' ? (queueConfigured ? 'queue' : 'in-process') : setting;
}

export interface JobBackendDeps {
  /** Analyses one job file on this server (below interactive scans in the admission window). */
  analyse(variant: Variant, item: SourceItem): Promise<ZakRecord[]>;
  deliver(records: ZakRecord[]): Promise<DeliveryOutcome>;
  defaultVariant: Variant;
  log: Logger;
}

/** @throws ConfigError (exit 2) for the queue backend when its Redis cannot be reached. */
export async function openJobBackend(name: JobBackendName, config: ZakConfig, deps: JobBackendDeps): Promise<JobBackend> {
  const { jobs } = config.serve;
  const inProcess = (book?: JobBook) =>
    new InProcessJobs({
      analyse: deps.analyse,
      deliver: deps.deliver,
      concurrency: config.concurrency,
      maxQueuedFiles: jobs.maxQueuedFiles,
      retainMs: jobs.retainMs,
      retryAfterS: config.serve.retryAfterS,
      book,
      log: deps.log,
    });
  if (name === 'in-process') return inProcess();
  // Uploads stay on this server (workers cannot read its spool folder), in the same book as the queue's jobs.
  const book = new JobBook({ retainMs: jobs.retainMs, log: deps.log });
  const uploads = inProcess(book);
  try {
    return await QueueJobs.open({
      settings: config.queue,
      book,
      uploads,
      defaultVariant: deps.defaultVariant,
      maxQueuedFiles: jobs.maxQueuedFiles,
      retryAfterS: config.serve.retryAfterS,
      log: deps.log,
    });
  } catch (err) {
    await uploads.close();
    book.close();
    throw err;
  }
}
