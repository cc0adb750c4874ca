import { createHash } from 'node:crypto';
import type { RecordStatus, SourceItem, ZakRecord } from '../core/types.js';

/** BullMQ job name of a file job (one queue may later carry other kinds). */
export const FILE_JOB = 'file' as const;

/** What one job carries: where the file is and what it was when pushed. Plain JSON in Redis. */
export interface FileJobData {
  /** The path records show (relative to the pusher's working folder when inside it). */
  file: string;
  /** Absolute path the worker reads: every worker mounts the shared volume at the same place. */
  path: string;
  size: number;
  mtimeMs: number;
  /** SHA-256 of the bytes when the pusher hashed them (`--hash`); the worker always hashes what it reads. */
  sha256: string | null;
  pushedAt: string;
  /**
   * Return the file's records in the job result (`zakocr serve` sets it: it shows them). Off for `queue push`:
   * finished jobs stay in Redis for `queue.keepCompletedHours` (dedup), and a batch's records would fill it.
   */
  returnRecords?: boolean;
}

/**
 * What a worker returns for a completed job (BullMQ `returnvalue`): `zakocr serve`'s queue backend shows the
 * records from it. `results` only when the job asked for them (`returnRecords`).
 */
export interface FileJobResult {
  records: number;
  /** The worst status among the file's records. */
  status: Exclude<RecordStatus, 'skipped'>;
  results?: ZakRecord[];
}

/**
 * The job id of a file: a hash of its absolute path, size and modification time, so pushing the same unchanged
 * file twice adds nothing (BullMQ keeps one job per id), while an edited file is queued again. BullMQ refuses
 * ids that look like integers or hold `:`; hex behind a letter is neither. Pure.
 */
export function fileJobId(absPath: string, size: number, mtimeMs: number): string {
  const digest = createHash('sha256').update(`${absPath}\0${size}\0${Math.trunc(mtimeMs)}`).digest('hex');
  return `f${digest.slice(0, 40)}`;
}

/** The source item a worker analyses for a job; `size` lets the analyzer report the pushed size for unreadable files. Pure. */
export function jobSourceItem(data: FileJobData): SourceItem {
  return { path: data.file, absPath: data.path, size: data.size };
}

/** Queue names end up in Redis keys (`bull:<name>:…`): keep them to a safe alphabet. Pure. */
export function isValidQueueName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(name);
}
