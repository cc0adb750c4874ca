import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { ZakConfig } from '../../config/defaults.js';
import type { OpenQueue } from '../../queue/connection.js';

export interface QueueFlags {
  redis?: string;
  queue?: string;
  config?: string;
  json?: boolean;
  hash?: boolean;
}

/** Maps the queue flags onto config keys (`queue.redis`, `queue.name`; also ZAKOCR_QUEUE_REDIS / _NAME). */
export function queueFlagsToConfig(f: Pick<QueueFlags, 'redis' | 'queue'>): Record<string, unknown> {
  return { 'queue.redis': f.redis, 'queue.name': f.queue };
}

const EXAMPLES = `
Examples:
  $ zakocr queue push /mnt/shared/invoices --redis redis://queue:6379 --queue nightly
  $ zakocr worker --redis redis://queue:6379 --queue nightly --pg postgres://app@db/pos   # on every machine
  $ zakocr queue status --redis redis://queue:6379 --queue nightly --json
  $ zakocr queue retry-failed --queue nightly      # after a sink outage outlasted the jobs' retries
  $ zakocr queue drain --queue nightly             # cancel what has not started

Files reach workers by path: every machine mounts the shared volume at the same place.
Pushing the same unchanged file again (same path, size and mtime) adds nothing.`;

const PUSH_EXAMPLES = `
Examples:
  $ zakocr queue push /mnt/shared/invoices --redis redis://queue:6379 --queue nightly
  $ zakocr queue push "/mnt/shared/2026-*/**/*.jpg" --queue nightly --hash   # also store each file's sha256`;

const STATUS_EXAMPLES = `
Examples:
  $ zakocr queue status --redis redis://queue:6379 --queue nightly
  $ zakocr queue status --queue nightly --json | jq .counts`;

const RETRY_FAILED_EXAMPLES = `
Examples:
  $ zakocr queue retry-failed --queue nightly      # after a sink outage outlasted the jobs' retries`;

const DRAIN_EXAMPLES = `
Examples:
  $ zakocr queue drain --queue nightly             # cancel what has not started`;

/** Opens the configured queue, runs `work`, always closes. Redis unreachable → ConfigError (exit 2). */
async function withQueue(flags: QueueFlags, work: (q: OpenQueue, config: ZakConfig) => Promise<number>): Promise<number> {
  const { config } = await loadConfig({ configFile: flags.config, flags: queueFlagsToConfig(flags) });
  const { openQueue } = await import('../../queue/connection.js');
  const q = await openQueue(config.queue);
  try {
    return await work(q, config);
  } finally {
    await q.close();
  }
}

function queueOptions(cmd: Command): Command {
  return cmd
    .exitOverride()
    .option('--redis <url>', 'Redis of the queue (default redis://127.0.0.1:6379, or ZAKOCR_QUEUE_REDIS)')
    .option('--queue <name>', 'queue name (default zakocr)')
    .option('--config <file>', 'config file');
}

/** `zakocr queue push|status|retry-failed|drain`: the BullMQ job queue many workers take files from. */
export function registerQueueCommand(program: Command): void {
  const queue = program.command('queue').description('a Redis (BullMQ) job queue of files for many workers: push, status, retry-failed, drain').addHelpText('after', EXAMPLES);

  queueOptions(queue.command('push').addHelpText('after', PUSH_EXAMPLES).description('queue one job per file (deduplicated by path + size + mtime); prints how many were queued'))
    .argument('<inputs...>', 'files, folders (recursed), quoted globs or file:// URIs, as the workers will see them')
    .option('--hash', 'also record each file\'s sha256 in its job (reads every file once here)')
    .option('--json', 'print the counts as JSON')
    .action(async (inputs: string[], flags: QueueFlags) => {
      process.exitCode = await withQueue(flags, async ({ queue: q, target }, config) => {
        const { pushFiles } = await import('../../queue/push.js');
        const r = await pushFiles(q, { inputs, settings: config.queue, hash: flags.hash });
        process.stdout.write(flags.json
          ? JSON.stringify({ queue: config.queue.name, redis: target.display, ...r }) + '\n'
          : `queued ${r.queued} of ${r.files} files on ${config.queue.name} at ${target.display} (${r.duplicates} already queued or done)\n`);
        return ExitCode.ok;
      });
    });

  queueOptions(queue.command('status').addHelpText('after', STATUS_EXAMPLES).description('waiting / active / completed / failed / delayed counts, workers, throughput, latest failures'))
    .option('--json', 'print the status as JSON')
    .action(async (flags: QueueFlags) => {
      process.exitCode = await withQueue(flags, async ({ queue: q, target }) => {
        const { queueStatus, formatStatus } = await import('../../queue/admin.js');
        const s = await queueStatus(q, target.display);
        process.stdout.write((flags.json ? JSON.stringify(s) : formatStatus(s)) + '\n');
        return ExitCode.ok;
      });
    });

  queueOptions(queue.command('retry-failed').addHelpText('after', RETRY_FAILED_EXAMPLES).description('move every failed job back to waiting, with fresh tries'))
    .action(async (flags: QueueFlags) => {
      process.exitCode = await withQueue(flags, async ({ queue: q }, config) => {
        const { retryFailed } = await import('../../queue/admin.js');
        process.stdout.write(`${await retryFailed(q)} failed job(s) of ${config.queue.name} back in the queue\n`);
        return ExitCode.ok;
      });
    });

  queueOptions(queue.command('drain').addHelpText('after', DRAIN_EXAMPLES).description('remove every job that has not started (running jobs finish; finished ones stay)'))
    .action(async (flags: QueueFlags) => {
      process.exitCode = await withQueue(flags, async ({ queue: q }, config) => {
        const { drainQueue } = await import('../../queue/admin.js');
        process.stdout.write(`${await drainQueue(q)} waiting job(s) removed from ${config.queue.name}\n`);
        return ExitCode.ok;
      });
    });
}
