/**
 * The BullMQ job queue on the machine's Redis, each test on its own queue: push deduplicates by path + size +
 * mtime, status counts, drain, retry-failed; a worker (real pipeline, fake engine) takes every job, turns a bad
 * file into a `failed` record of a completed job, and fails a job only when a sink refuses its records.
 */
import { rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults, type ZakConfig } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/core/errors.js';
import { drainQueue, queueCounts, queueStatus, retryFailed } from '../../src/queue/admin.js';
import { openQueue, type OpenQueue } from '../../src/queue/connection.js';
import { pushFiles } from '../../src/queue/push.js';
import { runWorker } from '../../src/queue/worker.js';
import { CountingEngine } from '../fakes/engines/counting.js';
import { redisUrl, uniqueName } from '../helpers/redis.js';
import { waitFor } from '../helpers/sink-fixtures.js';
import { tempDir, writeNumberedImages } from './scan-helpers.js';
import { quiet, MemorySink } from '../helpers/memory-sink.js';

const QUEUE_DB = 11;
const FILES = 5;

let dir: string;
let inputs: string;
const opened: OpenQueue[] = [];

beforeAll(async () => {
  dir = await tempDir('queue');
  inputs = path.join(dir, 'in');
  await writeNumberedImages(inputs, FILES);
  await writeFile(path.join(inputs, 'broken.png'), 'not a png');
});
afterAll(async () => {
  for (const q of opened) {
    await q.queue.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  await rm(dir, { recursive: true, force: true });
});

function settings(over: Partial<ZakConfig['queue']> = {}): ZakConfig['queue'] {
  return { ...defaults.queue, redis: redisUrl(QUEUE_DB), name: uniqueName('zk-test-q'), ...over };
}

async function open(s: ZakConfig['queue']): Promise<OpenQueue> {
  const q = await openQueue(s);
  opened.push(q);
  return q;
}

async function workerConfig(s: ZakConfig['queue']): Promise<ZakConfig> {
  const { config } = await loadConfig({ cwd: dir, env: {}, flags: { out: [], concurrency: 2, engine: 'none' } });
  return { ...config, queue: s };
}

describe('queue push / status / drain', () => {
  it('queues one job per file, and pushing again adds only changed files', async () => {
    const s = settings();
    const { queue } = await open(s);
    expect(await pushFiles(queue, { inputs: [inputs], settings: s, cwd: dir })).toEqual({ files: FILES + 1, queued: FILES + 1, duplicates: 0 });
    expect(await pushFiles(queue, { inputs: [inputs, path.join(inputs, 'img-000.png')], settings: s, cwd: dir })).toEqual({ files: FILES + 1, queued: 0, duplicates: FILES + 1 });
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(inputs, 'img-001.png'), later, later); // same path, new mtime: a new version of the file
    expect(await pushFiles(queue, { inputs: [inputs], settings: s, cwd: dir })).toEqual({ files: FILES + 1, queued: 1, duplicates: FILES });

    const st = await queueStatus(queue, 'redis://test');
    expect(st.counts).toMatchObject({ waiting: FILES + 2, active: 0, completed: 0, failed: 0, delayed: 0 });
    expect(st.remaining).toBe(FILES + 2);
    const job = (await queue.getWaiting(0, 0))[0];
    expect(job.data).toMatchObject({ path: expect.stringMatching(/^\//), sha256: null });
    expect(job.opts.attempts).toBe(s.attempts);

    expect(await drainQueue(queue)).toBe(FILES + 2);
    expect(await queueCounts(queue)).toMatchObject({ waiting: 0, delayed: 0 });
  });

  it('hashes while pushing with --hash; nothing matched is a usage error', async () => {
    const s = settings();
    const { queue } = await open(s);
    await pushFiles(queue, { inputs: [path.join(inputs, 'img-000.png')], settings: s, cwd: dir, hash: true });
    expect((await queue.getWaiting(0, 0))[0].data.sha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(pushFiles(queue, { inputs: [path.join(inputs, '*.tiff')], settings: s, cwd: dir })).rejects.toThrow(UsageError);
  });

  it('an unreachable Redis is a configuration error naming it', async () => {
    await expect(openQueue(settings({ redis: 'redis://127.0.0.1:1/0' }))).rejects.toThrow('Cannot reach Redis at redis://127.0.0.1:1/0');
  });
});

describe('zakocr worker (in process)', () => {
  it('--until-empty: every job done once; a bad file is a failed record of a completed job', async () => {
    const s = settings();
    const { queue } = await open(s);
    await pushFiles(queue, { inputs: [inputs], settings: s, cwd: dir });
    const sink = new MemorySink();
    const engine = new CountingEngine(uniqueName('worker-model'));
    const r = await runWorker({ config: await workerConfig(s), log: quiet, workerId: 'w1', untilEmpty: true, deps: { engine, barcodeReader: null, cache: null, sinks: [sink] } });
    expect(r.stoppedBy).toBe('empty');
    expect(r.jobs).toEqual({ completed: FILES + 1, failed: 0 });
    expect(sink.records.map((x) => path.basename(x.file)).sort()).toEqual(['broken.png', ...Array.from({ length: FILES }, (_, i) => `img-00${i}.png`)]);
    expect(sink.records.find((x) => x.file.endsWith('broken.png'))).toMatchObject({ status: 'failed', error: { code: 'unsupported_format' } });
    expect(engine.calls).toBe(FILES);
    expect(await queueCounts(queue)).toMatchObject({ waiting: 0, active: 0, completed: FILES + 1, failed: 0 });
  });

  it('a sink that stays down fails the job after its tries; retry-failed queues it again and it completes', async () => {
    const s = settings({ attempts: 2, backoffMs: 50 });
    const { queue } = await open(s);
    await pushFiles(queue, { inputs: [path.join(inputs, 'img-002.png')], settings: s, cwd: dir });
    const down = await runWorker({ config: await workerConfig(s), log: quiet, workerId: 'w-down', untilEmpty: true, deps: { engine: new CountingEngine(), barcodeReader: null, cache: null, sinks: [new MemorySink(true)] } });
    expect(down.jobs).toEqual({ completed: 0, failed: 1 }); // after both tries
    const failed = (await queueStatus(queue, 'redis://test')).failedJobs;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ file: path.join('in', 'img-002.png'), attempts: 2 });
    expect(failed[0].reason).toContain('not delivered to memory (database is down)');

    expect(await retryFailed(queue)).toBe(1);
    const sink = new MemorySink();
    const up = await runWorker({ config: await workerConfig(s), log: quiet, workerId: 'w-up', untilEmpty: true, deps: { engine: new CountingEngine(), barcodeReader: null, cache: null, sinks: [sink] } });
    expect(up.jobs).toEqual({ completed: 1, failed: 0 });
    expect(sink.records).toHaveLength(1);
    expect(await queueCounts(queue)).toMatchObject({ completed: 1, failed: 0 });
  });

  it('an aborted worker (SIGTERM) finishes and acknowledges the job in progress before it stops', async () => {
    const s = settings();
    const { queue } = await open(s);
    await pushFiles(queue, { inputs: [inputs], settings: s, cwd: dir });
    const abort = new AbortController();
    const sink = new MemorySink();
    const slow = new CountingEngine(uniqueName('slow'), 1_500);
    const running = runWorker({
      config: { ...(await workerConfig(s)), concurrency: 1 }, log: quiet, workerId: 'w-stop', untilEmpty: false, signal: abort.signal,
      deps: { engine: slow, barcodeReader: null, cache: null, sinks: [sink] },
    });
    await waitFor(() => slow.calls === 1, 60_000, 20); // a job is inside the engine now
    abort.abort();
    const r = await running;
    expect(r.stoppedBy).toBe('signal');
    expect(slow.calls).toBe(1); // no new job was taken after the signal
    expect(sink.records.filter((x) => x.text.startsWith('page '))).toHaveLength(1); // the one in progress was delivered
    const c = await queueCounts(queue);
    expect(c.active).toBe(0); // and acknowledged, not left for the stalled-job check
    expect(c.completed).toBe(sink.records.length);
    expect(c.completed + c.waiting).toBe(FILES + 1);
  });
});
