/**
 * The worker pool on real worker threads: test/fakes/workers/test-worker.mjs runs on the compiled worker host
 * (dist/core/worker-host.js, built by `npm run build`), so these tests cover both sides of the protocol.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PoolTaskError, WorkerPool } from './worker-pool.js';

const SCRIPT = new URL('../../test/fakes/workers/test-worker.mjs', import.meta.url);

type Task = { op: string; value?: unknown; ms?: number; count?: number; data?: Uint8Array };
type Result = { value?: unknown; threadId: number; tasksRun: number; length?: number };
type Info = { threadId: number };

const pools: Array<WorkerPool<Task, Result, Info>> = [];
async function open(size: number, extra: { taskTimeoutMs?: number; workerData?: unknown; abortMode?: 'cooperative'; cancelGraceMs?: number } = {}) {
  const pool = await WorkerPool.open<Task, Result, Info>({ name: 'test worker', script: SCRIPT, size, ...extra });
  pools.push(pool);
  return pool;
}

const reasonOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof PoolTaskError ? `${e.reason}: ${e.message}` : `other: ${String(e)}`));

describe('WorkerPool', () => {
  beforeAll(() => {
    expect(existsSync(fileURLToPath(new URL('../../dist/core/worker-host.js', import.meta.url))), 'dist/ is built (npm run build)').toBe(true);
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.dispose()));
  });

  it('runs tasks on long-lived workers whose state is built once', async () => {
    const pool = await open(2);
    expect(pool.info.threadId).toBeGreaterThan(0);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.run({ op: 'sleep', ms: 5, value: i })));
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const byThread = new Map<number, number>();
    for (const r of results) byThread.set(r.threadId, Math.max(byThread.get(r.threadId) ?? 0, r.tasksRun));
    expect(byThread.size).toBe(2);
    expect([...byThread.values()].reduce((a, b) => a + b, 0)).toBe(8); // each worker counted its own tasks
  });

  it('hands queued tasks out in order (FIFO)', async () => {
    const pool = await open(1);
    const finished: number[] = [];
    await Promise.all([30, 1, 10, 1].map((ms, i) => pool.run({ op: 'sleep', ms, value: i }).then((r) => finished.push(r.value as number))));
    expect(finished).toEqual([0, 1, 2, 3]);
  });

  it('a task that throws fails alone; its worker goes on', async () => {
    const pool = await open(1);
    const first = await pool.run({ op: 'echo' });
    expect(await reasonOf(pool.run({ op: 'throw', value: 'x.png' }))).toBe('failed: bad input x.png');
    const next = await pool.run({ op: 'echo', value: 'after' });
    expect([next.value, next.threadId]).toEqual(['after', first.threadId]);
  });

  it('a crashed worker fails only its task, with a clear error, and is replaced', async () => {
    const pool = await open(2);
    const other = pool.run({ op: 'sleep', ms: 300, value: 'survivor' });
    const crashed = reasonOf(pool.run({ op: 'crash' }));
    expect(await crashed).toBe('stopped: test worker stopped: native crash');
    expect((await other).value).toBe('survivor');
    expect(await reasonOf(pool.run({ op: 'exit' }))).toBe('stopped: test worker stopped: exit code 3');
    const after = await Promise.all([pool.run({ op: 'echo', value: 1 }), pool.run({ op: 'echo', value: 2 })]);
    expect(after.map((r) => r.value)).toEqual([1, 2]);
    // The replacements start on their own (not only when a task waits): the pool is back to full size.
    await vi.waitFor(() => expect(pool.load.workers).toBe(2), { timeout: 30_000, interval: 50 });
  });

  it('aborting a running task terminates its worker (even in a loop that never yields) and a fresh one takes over', async () => {
    const pool = await open(1);
    const before = await pool.run({ op: 'echo' });
    const ac = new AbortController();
    const stuck = reasonOf(pool.run({ op: 'spin', ms: 120_000 }, { signal: ac.signal }));
    setTimeout(() => ac.abort(), 100);
    expect(await stuck).toBe('stopped: test worker stopped: terminated because its task was cancelled');
    const next = await pool.run({ op: 'echo', value: 'next' });
    expect(next.value).toBe('next');
    expect(next.threadId).not.toBe(before.threadId);
    expect(next.tasksRun).toBe(1); // a new worker, with its state built afresh
  }, 60_000);

  it('aborting a queued task drops it; the running one is not disturbed', async () => {
    const pool = await open(1);
    const running = pool.run({ op: 'sleep', ms: 200, value: 'running' });
    const ac = new AbortController();
    const queued = reasonOf(pool.run({ op: 'echo', value: 'queued' }, { signal: ac.signal }));
    ac.abort();
    expect(await queued).toBe('cancelled: test worker: task cancelled before it started');
    expect((await running).value).toBe('running');
    const pre = new AbortController();
    pre.abort();
    expect(await reasonOf(pool.run({ op: 'echo' }, { signal: pre.signal }))).toBe('cancelled: test worker: task cancelled before it started');
  });

  it('cooperative: an aborted task rejects at once; the worker stops between native calls and keeps its state', async () => {
    const pool = await open(1, { abortMode: 'cooperative' });
    const before = await pool.run({ op: 'echo' });
    const ac = new AbortController();
    const stopped = reasonOf(pool.run({ op: 'slices', count: 100_000, ms: 20 }, { signal: ac.signal }));
    setTimeout(() => ac.abort(), 100);
    expect(await stopped).toBe('stopped: test worker stopped: told to stop because its task was cancelled');
    const next = await pool.run({ op: 'echo', value: 'next' });
    expect([next.value, next.threadId, next.tasksRun]).toEqual(['next', before.threadId, 3]); // same worker, not restarted
  }, 60_000);

  it('cooperative: a worker that does not stop within the grace is terminated and replaced', async () => {
    const pool = await open(1, { abortMode: 'cooperative', cancelGraceMs: 300 });
    const before = await pool.run({ op: 'echo' });
    const ac = new AbortController();
    const stuck = reasonOf(pool.run({ op: 'spin', ms: 120_000 }, { signal: ac.signal }));
    setTimeout(() => ac.abort(), 100);
    expect(await stuck).toBe('stopped: test worker stopped: told to stop because its task was cancelled');
    const next = await pool.run({ op: 'echo', value: 'next' });
    expect(next.threadId).not.toBe(before.threadId);
  }, 60_000);

  it('cooperative: dispose waits for a running task to stop before it ends the workers', async () => {
    const pool = await open(1, { abortMode: 'cooperative' });
    const running = reasonOf(pool.run({ op: 'slices', count: 100_000, ms: 20 }));
    await new Promise((r) => setTimeout(r, 100));
    await pool.dispose();
    expect(await running).toBe('closed: test worker pool closed while the task ran');
    expect(pool.load).toEqual({ queued: 0, running: 0, workers: 0 });
  }, 60_000);

  it('a task past taskTimeoutMs has its worker replaced', async () => {
    const pool = await open(1, { taskTimeoutMs: 300 });
    expect(await reasonOf(pool.run({ op: 'spin', ms: 120_000 }))).toBe('timeout: test worker took longer than 300 ms on one task; worker restarted');
    expect((await pool.run({ op: 'echo', value: 'ok' })).value).toBe('ok');
  }, 60_000);

  it('moves transferred buffers instead of copying them', async () => {
    const pool = await open(1);
    const data = new Uint8Array(1024);
    const r = await pool.run({ op: 'bytes', data }, { transfer: [data.buffer] });
    expect(r.length).toBe(1024);
    expect(data.byteLength).toBe(0); // detached: it now belongs to the worker
  });

  it('dispose drops queued tasks and stops the running ones; later runs are refused', async () => {
    const pool = await open(1);
    const running = reasonOf(pool.run({ op: 'sleep', ms: 2_000 }));
    const queued = reasonOf(pool.run({ op: 'echo' }));
    await pool.dispose();
    expect(await queued).toBe('closed: test worker pool closed before the task started');
    expect(await running).toBe('closed: test worker pool closed while the task ran');
    expect(await reasonOf(pool.run({ op: 'echo' }))).toBe('closed: test worker pool is closed');
  });

  it('dispose with drain lets the running tasks finish first', async () => {
    const pool = await open(1);
    const running = pool.run({ op: 'sleep', ms: 200, value: 'finished' });
    await new Promise((r) => setTimeout(r, 20));
    await pool.dispose({ drain: true });
    expect((await running).value).toBe('finished');
  });

  it('a worker that cannot start fails open with its own message and hint', async () => {
    await expect(
      WorkerPool.open({ name: 'test worker', script: SCRIPT, size: 2, workerData: { failInit: true }, initError: (f) => Object.assign(new Error(`cannot load: ${f.message}`), { hint: f.hint, code: f.code }) }),
    ).rejects.toMatchObject({ message: 'cannot load: the model file is corrupt', hint: 'reinstall the models', code: 'missing_resource' });
    await expect(WorkerPool.open({ name: 'test worker', script: SCRIPT, size: 1, workerData: { failInit: true } })).rejects.toThrow('test worker could not start: the model file is corrupt');
  });
});
