import type { FileQueue } from './connection.js';

/** Minutes of per-minute metrics the throughput figure averages over (BullMQ keeps one point per minute). */
const THROUGHPUT_MINUTES = 15;
/** Recently finished jobs the short-term rate is measured on. */
const RECENT_JOBS = 50;
/** Reasons of failed jobs shown by `queue status`. */
const FAILED_SHOWN = 5;

export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
  prioritized: number;
  'waiting-children': number;
}

/** `zakocr queue status --json`. */
export interface QueueStatus {
  queue: string;
  redis: string;
  counts: QueueCounts;
  /** Jobs still to do: waiting + active + delayed + prioritized + waiting-children. */
  remaining: number;
  /** Workers connected to this queue now. */
  workers: number;
  throughput: {
    /** Mean jobs completed per minute over the last full minutes (up to 15); null before the first full minute. */
    perMinute: number | null;
    /** Jobs per second over the last 50 finished jobs; null with fewer than two. */
    recentPerSecond: number | null;
  };
  /** The latest failed jobs and why (a sink down past its retries, a poison file). */
  failedJobs: Array<{ id: string; file: string; reason: string; attempts: number }>;
}

const COUNT_TYPES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children'] as const;

/** Jobs not finished yet in these counts. Pure. */
export function remainingOf(c: Pick<QueueCounts, 'waiting' | 'active' | 'delayed' | 'prioritized' | 'waiting-children'>): number {
  return c.waiting + c.active + c.delayed + c.prioritized + c['waiting-children'];
}

/** Rate of finished jobs from their finish times (ms), in jobs per second; null with fewer than two. Pure. */
export function rateOf(finishedOn: number[]): number | null {
  if (finishedOn.length < 2) return null;
  const span = (Math.max(...finishedOn) - Math.min(...finishedOn)) / 1000;
  return span > 0 ? Number(((finishedOn.length - 1) / span).toFixed(3)) : null;
}

export async function queueCounts(queue: FileQueue): Promise<QueueCounts> {
  const raw = await queue.getJobCounts(...COUNT_TYPES);
  return Object.fromEntries(COUNT_TYPES.map((t) => [t, raw[t] ?? 0])) as unknown as QueueCounts;
}

/** Counts, workers, throughput and the latest failures of a queue. */
export async function queueStatus(queue: FileQueue, redisDisplay: string): Promise<QueueStatus> {
  const [counts, workers, metrics, recent, failed] = await Promise.all([
    queueCounts(queue),
    queue.getWorkersCount(),
    queue.getMetrics('completed', 0, THROUGHPUT_MINUTES - 1),
    queue.getCompleted(0, RECENT_JOBS - 1),
    queue.getFailed(0, FAILED_SHOWN - 1),
  ]);
  const points = metrics.data.slice(0, THROUGHPUT_MINUTES);
  return {
    queue: queue.name,
    redis: redisDisplay,
    counts,
    remaining: remainingOf(counts),
    workers,
    throughput: {
      perMinute: points.length > 0 ? Number((points.reduce((a, b) => a + b, 0) / points.length).toFixed(2)) : null,
      recentPerSecond: rateOf(recent.flatMap((j) => (j?.finishedOn ? [j.finishedOn] : []))),
    },
    failedJobs: failed.filter((j) => j).map((j) => ({ id: j.id ?? '', file: j.data.file, reason: j.failedReason ?? '', attempts: j.attemptsMade })),
  };
}

/** `queue status` for people. Pure. */
export function formatStatus(s: QueueStatus): string {
  const c = s.counts;
  const rate = s.throughput.recentPerSecond !== null ? `${s.throughput.recentPerSecond} jobs/s recently` : 'no recent jobs';
  const lines = [
    `${s.queue} on ${s.redis}: ${s.remaining} to do · waiting ${c.waiting} · active ${c.active} · delayed ${c.delayed} · completed ${c.completed} · failed ${c.failed}`,
    `  ${s.workers} worker connection(s) · ${rate}` + (s.throughput.perMinute !== null ? ` · ${s.throughput.perMinute} jobs/min over the last minutes` : ''),
  ];
  for (const f of s.failedJobs) lines.push(`  failed ${f.file} after ${f.attempts} tries: ${f.reason}`);
  if (c.failed > 0) lines.push(`  retry them with: zakocr queue retry-failed --queue ${s.queue}`);
  return lines.join('\n');
}

/** Moves every failed job back to waiting (fresh tries); returns how many. */
export async function retryFailed(queue: FileQueue): Promise<number> {
  const before = await queue.getFailedCount();
  if (before > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
  return before - (await queue.getFailedCount());
}

/**
 * Removes every job that has not started (waiting, prioritized, delayed): the batch is cancelled; running jobs
 * finish and finished jobs stay. Returns how many were removed.
 */
export async function drainQueue(queue: FileQueue): Promise<number> {
  const c = await queueCounts(queue);
  await queue.drain(true);
  const after = await queueCounts(queue);
  return c.waiting + c.prioritized + c.delayed - (after.waiting + after.prioritized + after.delayed);
}
