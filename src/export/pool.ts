import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
// sharp's native libraries must be loaded by the main thread before workers load them, or their unloading
// when a worker exits can crash the process (lovell/sharp#2263).
import 'sharp';
import { runDocJob, type DocJob, type DocOut } from './doc-job.js';

/**
 * Runs document jobs on worker threads, so cropping, fingerprinting and PNG encoding use every core
 * (on the main thread they would share one with de-duplication and I/O). With `threads` 0 the jobs
 * run in-process, which is also what happens when the compiled worker script is absent (running
 * from TypeScript sources under a test runner). A job that fails in a worker rejects its promise.
 * `close` waits for jobs still running before it stops the workers (terminating a worker in the
 * middle of a sharp call can take the process down).
 */
export interface DocPool {
  /** Worker threads in use (0 = in-process). */
  readonly threads: number;
  run(job: DocJob): Promise<DocOut>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./doc-worker.js', import.meta.url);

export function createDocPool(threads: number): DocPool {
  if (threads <= 0 || !existsSync(fileURLToPath(WORKER_URL))) {
    return { threads: 0, run: runDocJob, close: async () => undefined };
  }
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_URL));
  const idle = [...workers];
  const queue: Array<() => void> = [];
  const pending = new Map<number, { resolve: (o: DocOut) => void; reject: (e: Error) => void; worker: Worker }>();
  let nextId = 0;
  const running = new Set<Promise<DocOut>>();
  let closed = false;
  // A worker that dies is a bug (jobs report bad data as results): fail every job from then on.
  let broken: Error | null = null;
  for (const w of workers) {
    w.on('message', (msg: { id: number; out?: DocOut; error?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.out!);
      idle.push(w);
      queue.shift()?.();
    });
    w.on('error', (err) => {
      broken = err;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(err);
      }
      for (const wake of queue.splice(0)) wake();
    });
  }
  return {
    threads,
    async run(job) {
      while (idle.length === 0 && !broken && !closed) await new Promise<void>((r) => queue.push(r));
      if (broken) throw broken;
      if (closed) throw new Error('the export worker pool is closed');
      const worker = idle.pop()!;
      const id = nextId++;
      const p = new Promise<DocOut>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker });
        worker.postMessage({ id, job });
      });
      running.add(p);
      p.then(
        () => running.delete(p),
        () => running.delete(p),
      );
      return p;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const wake of queue.splice(0)) wake();
      while (running.size > 0) await Promise.allSettled([...running]);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
