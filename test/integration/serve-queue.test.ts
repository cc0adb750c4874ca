/**
 * `POST /v1/jobs` through the queue backend: the real service (serve.jobs.backend 'queue') and a real
 * `zakocr worker` loop (runWorker, fake engine, memory sink) on the machine's Redis, each test its own queue.
 * Path jobs become BullMQ file jobs the worker takes; the service books their records from the job results and
 * streams progress; a file already done answers from its result; a sink that stays down fails the file
 * (delivered false); uploads still run on the server's own engines; other analysis variants are refused.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults, type ZakConfig } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load.js';
import type { ZakRecord } from '../../src/core/types.js';
import { openQueue } from '../../src/queue/connection.js';
import { pushFiles } from '../../src/queue/push.js';
import { runWorker, type WorkerResult } from '../../src/queue/worker.js';
import { CountingEngine } from '../fakes/engines/counting.js';
import { redisUrl, uniqueName } from '../helpers/redis.js';
import { formWith, startTestServe, type TestServe } from '../helpers/serve.js';
import { waitFor } from '../helpers/sink-fixtures.js';
import { tempDir, writeNumberedImages } from './scan-helpers.js';
import { quiet, MemorySink } from '../helpers/memory-sink.js';

const QUEUE_DB = 14;
let dir: string;
let root: string;
let images: string[];

beforeAll(async () => {
  dir = await tempDir('serve-queue');
  root = path.join(dir, 'root');
  await mkdir(root, { recursive: true });
  images = await writeNumberedImages(root, 3);
  await writeFile(path.join(root, 'broken.png'), 'not a png');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Rig {
  server: TestServe;
  queue: ZakConfig['queue'];
  sink: MemorySink;
  stop(): Promise<WorkerResult>;
}

/** A service on the queue backend and one worker on the same fresh queue; `stop` ends both and removes the queue. */
async function rig(opts: { refuse?: boolean; attempts?: number } = {}): Promise<Rig> {
  const queue: ZakConfig['queue'] = { ...defaults.queue, redis: redisUrl(QUEUE_DB), name: uniqueName('zk-serve-q'), attempts: opts.attempts ?? 1, backoffMs: 20 };
  const server = await startTestServe(new CountingEngine('serve-side'), {
    'serve.jobs.backend': 'queue',
    'queue.redis': queue.redis,
    'queue.name': queue.name,
    'queue.attempts': queue.attempts,
    'queue.backoffMs': queue.backoffMs,
    'serve.jobs.roots': [root],
  });
  const { config } = await loadConfig({ cwd: dir, env: {}, flags: { out: [], concurrency: 2, engine: 'none' } });
  const sink = new MemorySink(opts.refuse);
  const abort = new AbortController();
  const worker = runWorker({ config: { ...config, queue }, log: quiet, workerId: 'w1', untilEmpty: false, signal: abort.signal, deps: { engine: new CountingEngine('worker-side'), barcodeReader: null, cache: null, sinks: [sink] } });
  return {
    server,
    queue,
    sink,
    async stop() {
      await server.close();
      abort.abort();
      const result = await worker;
      const q = await openQueue(queue);
      await q.queue.obliterate({ force: true }).catch(() => undefined);
      await q.close();
      return result;
    },
  };
}

const postPaths = (server: TestServe, inputs: string[], query = '') =>
  server.request(`/v1/jobs${query}`, { method: 'POST', body: JSON.stringify({ inputs }), headers: { 'content-type': 'application/json' } });

async function finished(server: TestServe, id: string): Promise<Record<string, any>> {
  let view: Record<string, any> = {};
  await waitFor(async () => {
    view = (await (await server.request(`/v1/jobs/${id}`)).json()) as Record<string, any>;
    return view.state === 'done';
  }, 30_000, 100);
  return view;
}

describe('POST /v1/jobs on the queue backend', () => {
  it('path jobs run on the worker; GET shows the records; the SSE stream shows progress; a file already done answers at once', async () => {
    const r = await rig();
    try {
      const res = await postPaths(r.server, [root]);
      expect(res.status).toBe(202);
      const job = (await res.json()) as Record<string, any>;
      expect(job).toMatchObject({ backend: 'queue', total: 4, done: 0 });
      const events = await r.server.request(`/v1/jobs/${job.id}/events`);
      expect(events.headers.get('content-type')).toContain('text/event-stream');
      const stream = await events.text(); // ends with the done event
      expect(stream.match(/^event: progress$/gm)?.length).toBeGreaterThanOrEqual(4);
      expect(stream.match(/^event: record$/gm)).toHaveLength(4);
      expect(stream).toMatch(/event: done\ndata: \{[^\n]*"state":"done"/);

      const view = await finished(r.server, job.id);
      expect(view).toMatchObject({ done: 4, delivered: true, counts: { ok: 3, failed: 1 } });
      expect(view.records.map((x: ZakRecord) => path.basename(x.file)).sort()).toEqual(['broken.png', 'img-000.png', 'img-001.png', 'img-002.png']);
      expect(view.records.find((x: ZakRecord) => x.file.endsWith('broken.png'))).toMatchObject({ status: 'failed', error: { code: 'unsupported_format' } });
      expect(view.records.find((x: ZakRecord) => x.status === 'ok').engine.models).toEqual(['worker-side']); // the worker analysed it
      expect(r.sink.records).toHaveLength(4); // the worker's sinks got them

      // Same files, unchanged: no new queue jobs, the results come from the completed ones.
      const again = (await (await postPaths(r.server, [images[0]])).json()) as Record<string, any>;
      const second = await finished(r.server, again.id);
      expect(second.records).toHaveLength(1);
      expect(r.sink.records).toHaveLength(4);
    } finally {
      const w = await r.stop();
      expect(w.jobs).toEqual({ completed: 4, failed: 0 });
    }
  });

  it('a sink that stays down fails the file: done, delivered false, the reason in sinkErrors', async () => {
    const r = await rig({ refuse: true, attempts: 2 });
    try {
      const job = (await (await postPaths(r.server, [images[1]])).json()) as Record<string, any>;
      const view = await finished(r.server, job.id);
      expect(view).toMatchObject({ done: 1, total: 1, delivered: false, records: [] });
      expect(view.sinkErrors[0]).toContain('queue job failed after its tries: not delivered to memory (database is down)');
    } finally {
      expect((await r.stop()).jobs.failed).toBe(1);
    }
  });

  it('a file done by `queue push` (no records kept in Redis) is a done file that says where its records are', async () => {
    const r = await rig();
    try {
      const q = await openQueue(r.queue);
      await pushFiles(q.queue, { inputs: [images[0]], settings: r.queue, cwd: dir });
      await q.close();
      await waitFor(() => r.sink.records.length === 1);
      const job = (await (await postPaths(r.server, [images[0]])).json()) as Record<string, any>;
      const view = await finished(r.server, job.id);
      expect(view).toMatchObject({ done: 1, records: [], delivered: true });
      expect(view.sinkErrors[0]).toContain("done earlier by a queue job that kept no records (zakocr queue push, or an older worker): read them from the workers' sinks");
      expect(r.sink.records).toHaveLength(1); // not analysed again
    } finally {
      await r.stop();
    }
  });

  it('uploads run on the server itself; ?lang= other than the default is 400 for path jobs', async () => {
    const r = await rig();
    try {
      const { readFile } = await import('node:fs/promises');
      const up = await r.server.request('/v1/jobs', { method: 'POST', body: formWith([['a.png', await readFile(images[2])]]) });
      expect(up.status).toBe(202);
      const job = (await up.json()) as Record<string, any>;
      expect(job.backend).toBe('in-process');
      const view = await finished(r.server, job.id);
      expect(view.records[0].engine.models).toEqual(['serve-side']);
      expect(r.sink.records).toHaveLength(0);

      const refused = await postPaths(r.server, [images[2]], '?barcodes=true');
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as Record<string, any>).error.message).toContain("jobs by path run on the queue's workers with their own settings");
    } finally {
      await r.stop();
    }
  });
});
