import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// sharp's native libraries must be loaded by the main thread before workers load them, or their unloading
// when a worker exits can crash the process (lovell/sharp#2263).
import 'sharp';
import { WorkerPool } from '../core/worker-pool.js';
import { runDocJob, type DocJob, type DocOut } from './doc-job.js';

/**
 * Runs document jobs on worker threads (the shared `WorkerPool`), so cropping, fingerprinting and PNG encoding use
 * every core (on the main thread they would share one with de-duplication and I/O). With `threads` 0 the jobs run
 * in-process, which is also what happens when the compiled worker script is absent (running from TypeScript sources
 * under a test runner). A job that fails in a worker rejects its promise; a worker that dies fails its job and is
 * replaced. `close` waits for jobs still running before it stops the workers (terminating a worker in the middle of
 * a sharp call can take the process down).
 */
export interface DocPool {
  /** Worker threads in use (0 = in-process). */
  readonly threads: number;
  run(job: DocJob): Promise<DocOut>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./doc-worker.js', import.meta.url);

export async function createDocPool(threads: number): Promise<DocPool> {
  if (threads <= 0 || !existsSync(fileURLToPath(WORKER_URL))) {
    return { threads: 0, run: runDocJob, close: async () => undefined };
  }
  const pool = await WorkerPool.open<DocJob, DocOut>({ name: 'export worker', script: WORKER_URL, size: threads });
  return {
    threads,
    run: (job) => pool.run(job),
    close: () => pool.dispose({ drain: true }),
  };
}
