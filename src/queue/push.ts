import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { JobsOptions } from 'bullmq';
import { UsageError } from '../core/errors.js';
import type { Logger, SourceItem } from '../core/types.js';
import { checkInputs, discover } from '../source/walk.js';
import type { FileQueue, QueueSettings } from './connection.js';
import { FILE_JOB, fileJobId, type FileJobData } from './job.js';

/** Jobs added per round trip. */
const PUSH_BATCH = 500;

export interface PushOptions {
  inputs: string[];
  settings: QueueSettings;
  cwd?: string;
  /** Hash every file while pushing (reads every byte once more; the worker hashes again either way). */
  hash?: boolean;
  log?: Logger;
  signal?: AbortSignal;
}

export interface PushResult {
  /** Files found under the inputs. */
  files: number;
  /** New jobs added. */
  queued: number;
  /** Files whose job (same path, size and mtime) is already waiting, running, done or failed. */
  duplicates: number;
}

/**
 * Turns `file://` URIs into paths; refuses object-store URIs (not supported: mount the bucket instead). Pure.
 * @throws UsageError for `s3://` and other URI schemes.
 */
export function inputPath(input: string): string {
  if (input.startsWith('file://')) return fileURLToPath(input);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input);
  if (scheme) {
    throw new UsageError(`Cannot push ${input}: ${scheme[1]}:// inputs are not supported`, {
      hint: 'Workers read files from a shared volume: mount the bucket (e.g. mountpoint-s3, s3fs, rclone mount) at the same path on every machine and push that path.',
    });
  }
  return input;
}

/** The options every file job carries: retries with back-off for sink outages, and how long finished jobs stay (dedup). */
export function fileJobOptions(settings: QueueSettings): JobsOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs },
    removeOnComplete: settings.keepCompletedHours > 0 ? { age: settings.keepCompletedHours * 3600 } : true,
    removeOnFail: false,
  };
}

async function sha256Of(file: string): Promise<string | null> {
  const h = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    return h.digest('hex');
  } catch {
    return null; // unreadable now: the worker reports it as a failed record
  }
}

/** The job data of a file: its size and mtime now (the dedup key), hashed when asked. */
export async function jobData(item: SourceItem, hash: boolean): Promise<FileJobData> {
  let mtimeMs = 0;
  let size = item.size;
  try {
    const st = await stat(item.absPath);
    mtimeMs = st.mtimeMs;
    size = st.size;
  } catch {
    /* unreadable: pushed anyway, so the failure is a record like in a scan */
  }
  return { file: item.path, path: item.absPath, size, mtimeMs, sha256: hash ? await sha256Of(item.absPath) : null, pushedAt: new Date().toISOString() };
}

/**
 * Queues one job per input file, skipping files that already have a job (same path + size + mtime).
 * Files are discovered lazily and pushed in batches, so memory stays flat for any number of files.
 * @throws UsageError when an input is missing or nothing matched.
 */
export async function pushFiles(queue: FileQueue, opts: PushOptions): Promise<PushResult> {
  const inputs = opts.inputs.map(inputPath);
  await checkInputs(inputs, opts.cwd);
  const jobOpts = fileJobOptions(opts.settings);
  const result: PushResult = { files: 0, queued: 0, duplicates: 0 };
  let batch: FileJobData[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const ids = batch.map((d) => fileJobId(d.path, d.size, d.mtimeMs));
    // A job is known while it is waiting, active, delayed, failed or kept as completed (`queue.keepCompletedHours`).
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    const fresh = batch.flatMap((data, i) => (states[i] !== 'unknown' ? [] : [{ name: FILE_JOB, data, opts: { ...jobOpts, jobId: ids[i] } }]));
    if (fresh.length > 0) await queue.addBulk(fresh);
    result.queued += fresh.length;
    result.duplicates += batch.length - fresh.length;
    batch = [];
  };

  for await (const item of discover(inputs, { cwd: opts.cwd, signal: opts.signal })) {
    result.files++;
    batch.push(await jobData(item, opts.hash ?? false));
    if (batch.length >= PUSH_BATCH) await flush();
  }
  await flush();
  if (result.files === 0) throw new UsageError(`No input file matched ${opts.inputs.join(' ')}`, { hint: 'Give files, folders or quoted globs such as "invoices/**/*.jpg".' });
  return result;
}
