import { Queue, type ConnectionOptions } from 'bullmq';
import { ConfigError, UsageError, errorMessage } from '../core/errors.js';
import type { ZakConfig } from '../config/defaults.js';
import { parseRedisUrl, type RedisTarget } from '../redis/url.js';
import { pingRedis } from '../redis/ping.js';
import { FILE_JOB, isValidQueueName, type FileJobData } from './job.js';

export type QueueSettings = ZakConfig['queue'];
export type FileQueue = Queue<FileJobData, unknown, typeof FILE_JOB>;

/** How long a command waits for Redis to answer at start-up before saying it is unreachable. */
const REACH_TIMEOUT_MS = 5_000;

/** A queue and the Redis it lives on (for messages, password hidden). */
export interface OpenQueue {
  queue: FileQueue;
  target: RedisTarget;
  close(): Promise<void>;
}

/**
 * BullMQ connection options for a Redis URL. `maxRetriesPerRequest: null` is what BullMQ requires of workers'
 * blocking connections: during a Redis outage they wait and reconnect instead of failing jobs.
 */
export function connectionFor(target: RedisTarget, name: string): ConnectionOptions {
  return { url: target.url, maxRetriesPerRequest: null, connectionName: name };
}

/**
 * Checks `queue.name` and `queue.redis`.
 * @throws UsageError for a bad queue name; ConfigError for a malformed URL.
 */
export function queueTarget(settings: QueueSettings): RedisTarget {
  if (!isValidQueueName(settings.name)) {
    throw new UsageError(`Expected a queue name of letters, digits, ".", "_" or "-" for --queue, got ${JSON.stringify(settings.name)}`);
  }
  return parseRedisUrl(settings.redis, 'queue.redis');
}

/**
 * Opens the queue and waits until Redis answers.
 * @throws ConfigError (exit 2) when Redis cannot be reached, with the command that starts one locally.
 */
export async function openQueue(settings: QueueSettings, connectionName = 'zakocr-queue'): Promise<OpenQueue> {
  const target = queueTarget(settings);
  try {
    await pingRedis(target.url, REACH_TIMEOUT_MS);
  } catch (err) {
    throw new ConfigError('queue.redis', `Cannot reach Redis at ${target.display} for queue ${settings.name}: ${errorMessage(err)}`, {
      hint: 'Start Redis (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) or pass --redis redis://host:6379',
      cause: err,
    });
  }
  const queue: FileQueue = new Queue(settings.name, { connection: connectionFor(target, connectionName) });
  queue.on('error', () => undefined); // a later outage: the calls that meet it fail and say so
  await queue.waitUntilReady();
  return { queue, target, close: () => queue.close() };
}
