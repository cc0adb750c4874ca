/**
 * The worker-thread side of `WorkerPool` (worker-pool.ts). A worker script calls `serveWorker` once with a function
 * that builds the worker's long-lived state (model sessions, a decoder) from its `workerData` and returns the
 * handler that runs tasks on it. Tasks arrive one at a time; a task that throws reports its message and the worker
 * goes on with the next.
 */
import { parentPort, workerData, type TransferListItem } from 'node:worker_threads';
import { errorMessage } from './errors.js';
import type { HostMessage, TaskMessage, WorkerInitFailure } from './worker-pool.js';

export interface WorkerHandler<Task, Result> {
  /** Sent to the pool with `ready` (the pool's `info`). */
  info?: unknown;
  /**
   * Runs one task. `signal` aborts when a `cooperative` pool stops the task (abort, timeout, dispose): check it
   * between native calls and throw, so the worker is free again without being terminated.
   */
  run(task: Task, signal: AbortSignal): Promise<Result> | Result;
  /** Buffers of a result to move to the main thread instead of copying. */
  transfer?(result: Result): TransferListItem[];
}

/**
 * Serves tasks on this worker thread.
 * @param init builds the worker's state once; a throw reports a start-up failure (its `code` and `hint` too).
 * @throws Error when not called on a worker thread
 */
export function serveWorker<Init, Task, Result>(init: (data: Init) => Promise<WorkerHandler<Task, Result>> | WorkerHandler<Task, Result>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorker must run on a worker thread (this script is started by WorkerPool)');
  const send = (msg: HostMessage, transfer: TransferListItem[] = []) => port.postMessage(msg, transfer);
  void (async () => {
    let handler: WorkerHandler<Task, Result>;
    try {
      handler = await init(workerData as Init);
    } catch (err) {
      const e = err as { code?: unknown; hint?: unknown };
      const failure: WorkerInitFailure = {
        message: errorMessage(err),
        ...(typeof e?.code === 'string' ? { code: e.code } : {}),
        ...(typeof e?.hint === 'string' ? { hint: e.hint } : {}),
      };
      send({ type: 'init-failed', failure });
      return;
    }
    const running = new Map<number, AbortController>();
    port.on('message', (msg: TaskMessage) => {
      if (msg.type === 'cancel') {
        running.get(msg.id)?.abort(new Error('task cancelled by the pool'));
        return;
      }
      const ac = new AbortController();
      running.set(msg.id, ac);
      Promise.resolve()
        .then(() => handler.run(msg.task as Task, ac.signal))
        .then((result) => send({ type: 'done', id: msg.id, result }, handler.transfer?.(result) ?? []))
        // A failed task, or a result that cannot be sent (not cloneable): the pool gets the message either way.
        .catch((err: unknown) => send({ type: 'error', id: msg.id, message: errorMessage(err) }))
        .finally(() => running.delete(msg.id));
    });
    send({ type: 'ready', info: handler.info });
  })();
}
