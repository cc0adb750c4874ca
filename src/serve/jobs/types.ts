import type { RecordStatus, SourceItem, ZakRecord } from '../../core/types.js';
import type { Variant } from '../analyzers.js';

export type JobState = 'queued' | 'running' | 'done' | 'cancelled';

/** One input of a job: an upload in the spool folder (removed after its analysis) or a file the server may read. */
export interface JobFile {
  item: SourceItem;
  /** Removes a spooled upload once it has been analysed (or the job is cancelled). */
  cleanup?: () => Promise<void>;
}

export interface JobRequest {
  files: JobFile[];
  variant: Variant;
  /** Principal id of the submitter: only the same principal can read the job. */
  owner: string;
}

/** A job without its records: what progress events and listings carry. */
export interface JobSummary {
  id: string;
  state: JobState;
  backend: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Files in the job and files finished so far. */
  total: number;
  done: number;
  /** Records so far, by status. */
  counts: Record<RecordStatus, number>;
  /** False once a sink gave up on one of the job's records (they are in the dead-letter file). */
  delivered: boolean;
  sinkErrors: string[];
  options: Variant;
}

export interface JobView extends JobSummary {
  /** Every record so far, in the order the files finished. */
  records: ZakRecord[];
}

export type JobEvent =
  | { type: 'progress'; job: JobSummary; file?: string }
  | { type: 'record'; record: ZakRecord }
  | { type: 'done'; job: JobSummary };

/**
 * Where `POST /v1/jobs` work goes. `in-process` runs it on this server's warm engines; a queue-backed backend
 * (BullMQ through `src/queue/`, when Redis is configured) hands each file to `zakocr worker`s instead and reads
 * their progress back. Routes depend only on this interface.
 */
export interface JobBackend {
  readonly name: string;
  /** Whether uploads can be jobs (a queue's workers on other machines cannot read this server's spool folder). */
  readonly acceptsUploads: boolean;
  /** @throws ServeError 503 (Retry-After) when the backlog is full; 400 for inputs the backend cannot take. */
  submit(req: JobRequest): Promise<JobSummary>;
  /** The job with its records, or null when unknown, expired or owned by someone else. */
  get(id: string, owner: string): Promise<JobView | null>;
  /**
   * Live events of a job; the listener first receives a `progress` snapshot (and `done` at once for a finished job).
   * Returns an unsubscribe function, or null when the job is unknown to `owner`.
   */
  subscribe(id: string, owner: string, listener: (event: JobEvent) => void): (() => void) | null;
  /** Files accepted and not analysed yet (the `zakocr_job_files_waiting` gauge). */
  filesWaiting(): number;
  /** Stops taking jobs; finishes the files in progress; what never started is cancelled (uploads removed). */
  close(): Promise<void>;
}
