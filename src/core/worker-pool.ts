/**
 * The one pool of worker threads (PP-OCR readers, barcode decoders, export document jobs): the only place zakocr
 * creates a `Worker`. Each worker runs a script that calls `serveWorker` (worker-host.ts): it builds its long-lived
 * state once (model sessions, a decoder) and then runs one task at a time.
 *
 * - Tasks wait FIFO for an idle worker.
 * - A worker that dies (crash, exit) fails only the task it held, with an error naming it; it is replaced at once.
 * - A task whose signal aborts leaves the queue. A running one rejects at once, and its worker is stopped:
 *   `terminate` (default): the worker is terminated and replaced (a stuck WebAssembly or JS loop cannot be
 *   interrupted any other way); `cooperative`: the worker is asked to stop (the task's signal aborts inside it) and is
 *   free again once its current native call returns — for native code that must not be terminated mid-call
 *   (onnxruntime-node aborts the whole process then); one that does not stop within `cancelGraceMs` is terminated.
 * - With `taskTimeoutMs`, a task running longer is stopped the same way.
 * - Idle workers do not keep the process alive; busy ones do.
 * - `dispose` drops queued tasks, optionally lets running ones finish (`drain`), then stops every worker.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { onExitNow, whileNativeBusy } from './exit-cleanup.js';

/** Why a task did not get a result from its worker. */
export type PoolFailure = 'cancelled' | 'stopped' | 'timeout' | 'closed' | 'failed';

/** The error a pool task rejects with; `reason` says what happened, the message names the worker. */
export class PoolTaskError extends Error {
  constructor(readonly reason: PoolFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoolTaskError';
  }
}

/** A worker's start-up failure as it reported it (the `code`/`hint` of a ZakocrError thrown by its init). */
export interface WorkerInitFailure {
  message: string;
  code?: string;
  hint?: string;
}

/** Messages from a worker (sent by worker-host.ts). */
export type HostMessage =
  | { type: 'ready'; info: unknown }
  | { type: 'init-failed'; failure: WorkerInitFailure }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string };

/** Messages to a worker: a task, or (cooperative pools) the request to stop one. */
export type TaskMessage = { type: 'task'; id: number; task: unknown } | { type: 'cancel'; id: number };

export interface WorkerPoolOptions {
  /** How the workers are named in errors: `PP-OCR worker`, `barcode worker`. */
  name: string;
  /** The compiled worker script (it calls `serveWorker`). */
  script: URL;
  /** Worker threads (≥ 1). */
  size: number;
  /** Structured-cloned to every worker's init. */
  workerData?: unknown;
  /** A task running longer than this is stuck: its worker is terminated and replaced, the task rejects (`timeout`). */
  taskTimeoutMs?: number;
  /** The error `open` rejects with when a worker cannot start. Default: `Error("<name> could not start: <message>")`. */
  initError?: (failure: WorkerInitFailure) => Error;
  /** How a running task is stopped (abort, timeout, dispose): see the module comment. Default `terminate`. */
  abortMode?: 'terminate' | 'cooperative';
  /** `cooperative`: how long a worker may take to stop a task before it is terminated anyway. Default 30 s. */
  cancelGraceMs?: number;
}

/** `cooperative` pools: how long a worker may take to stop a task before it is terminated anyway. */
export const DEFAULT_CANCEL_GRACE_MS = 30_000;

export interface RunOptions {
  /** Aborting drops a queued task, or terminates (and replaces) the worker running it. */
  signal?: AbortSignal;
  /** Buffers moved to the worker instead of copied (the caller must not use them afterwards). */
  transfer?: TransferListItem[];
}

interface Job {
  id: number;
  task: unknown;
  transfer: TransferListItem[];
  signal?: AbortSignal;
  onAbort: () => void;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The task the worker runs (its id), until the worker answers for it. */
  busy: number | null;
  /** The caller waiting for that task; null once it was answered early (a stopped task). */
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Resolves when the worker answered its stopped task (cooperative stop). */
  stopped: Promise<void> | null;
  onAnswer: (() => void) | null;
  /** Set when the pool itself ended the worker: its exit needs no report. */
  retired: boolean;
  lastError: string | null;
}

/** See the module comment. `Task`/`Result` are the shapes the worker's handler takes and returns. */
export class WorkerPool<Task, Result, Info = unknown> {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private nextId = 1;
  private closed = false;
  private infoValue: Info | undefined;
  private readonly exitHooks: Array<() => void> = [];

  private constructor(private readonly opts: WorkerPoolOptions) {
    if (opts.abortMode === 'cooperative') {
      // An immediate exit (second Ctrl-C) must not end the process inside a native call either: it starts no more
      // tasks and waits (bounded) until the running ones returned.
      this.exitHooks.push(
        onExitNow(() => {
          this.closed = true;
        }),
        whileNativeBusy(() => this.slots.some((s) => s.busy !== null)),
      );
    }
  }

  /**
   * Starts `size` workers and resolves once every one has built its state.
   * @throws the `initError` of the first worker that cannot start (the others are stopped).
   */
  static async open<Task, Result, Info = unknown>(opts: WorkerPoolOptions): Promise<WorkerPool<Task, Result, Info>> {
    const pool = new WorkerPool<Task, Result, Info>(opts);
    try {
      const infos = await Promise.all(Array.from({ length: Math.max(1, opts.size) }, () => pool.spawn()));
      pool.infoValue = infos[0] as Info;
    } catch (err) {
      await pool.dispose();
      throw err;
    }
    return pool;
  }

  /** Worker threads the pool keeps. */
  get size(): number {
    return Math.max(1, this.opts.size);
  }

  /** What the first worker's init reported (its handler's `info`). */
  get info(): Info {
    return this.infoValue as Info;
  }

  /** Tasks waiting for a worker and tasks running, for progress and tests. */
  get load(): { queued: number; running: number; workers: number } {
    return { queued: this.queue.length, running: this.slots.filter((s) => s.busy !== null).length, workers: this.slots.filter((s) => s.ready).length };
  }

  /** Runs a task on the next idle worker. Rejects with a PoolTaskError when the worker could not give a result. */
  run(task: Task, opts: RunOptions = {}): Promise<Result> {
    const { name } = this.opts;
    if (this.closed) return Promise.reject(new PoolTaskError('closed', `${name} pool is closed`));
    if (opts.signal?.aborted) return Promise.reject(new PoolTaskError('cancelled', `${name}: task cancelled before it started`));
    const p = new Promise<Result>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        task,
        transfer: opts.transfer ?? [],
        signal: opts.signal,
        onAbort: () => this.abort(job),
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      opts.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.refill();
      this.pump();
    });
    this.running.add(p);
    const forget = () => this.running.delete(p);
    p.then(forget, forget);
    return p;
  }

  /**
   * Stops the pool: queued tasks reject (`closed`); with `drain`, running tasks finish first (a worker in the middle
   * of a sharp call must not be terminated), else they reject too. Then every worker is terminated.
   */
  async dispose(opts: { drain?: boolean } = {}): Promise<void> {
    for (const unregister of this.exitHooks.splice(0)) unregister();
    if (this.closed && this.slots.length === 0) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new PoolTaskError('closed', `${this.opts.name} pool closed before the task started`));
    if (opts.drain) await Promise.allSettled([...this.running]);
    const cooperative = this.opts.abortMode === 'cooperative';
    for (const s of this.slots) {
      if (!s.job) continue;
      const err = new PoolTaskError('closed', `${this.opts.name} pool closed while the task ran`);
      if (cooperative) this.stop(s, err);
      else this.settle(s.job, err);
      s.job = null;
    }
    // Cooperative workers finish their current native call first: terminating one inside it can take the process down.
    await Promise.all(this.slots.map((s) => s.stopped));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      this.release(s);
      s.retired = true;
    }
    await Promise.allSettled(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const { name, script, workerData } = this.opts;
      const worker = new Worker(script, { workerData });
      const slot: Slot = { worker, ready: false, busy: null, job: null, timer: null, stopped: null, onAnswer: null, retired: false, lastError: null };
      this.slots.push(slot);
      worker.on('message', (msg: HostMessage) => {
        if (msg.type === 'ready') {
          slot.ready = true;
          worker.unref();
          resolve(msg.info);
          this.pump();
        } else if (msg.type === 'init-failed') {
          slot.retired = true;
          this.drop(slot);
          void worker.terminate();
          const err = this.opts.initError?.(msg.failure) ?? new Error(`${name} could not start: ${msg.failure.message}`);
          reject(err);
          this.startFailed(err);
        } else {
          this.finish(slot, msg);
        }
      });
      worker.on('error', (err) => {
        slot.lastError = err.message;
      });
      worker.on('exit', (code) => {
        this.drop(slot);
        const why = slot.lastError ?? `exit code ${code}`;
        if (!slot.ready) {
          if (slot.retired) return;
          const err = new Error(`${name} stopped while starting: ${why}`);
          reject(err);
          this.startFailed(err);
          return;
        }
        if (slot.retired) return;
        if (slot.job) this.settle(slot.job, new PoolTaskError('stopped', `${name} stopped: ${why}`));
        this.answered(slot);
        this.release(slot);
        this.refill();
      });
    });
  }

  /** Starts workers up to `size` (after a loss, or on `run` after a failed start); failures go to `startFailed`. */
  private refill(): void {
    if (this.closed) return;
    for (let n = this.slots.length; n < this.size; n++) this.spawn().catch(() => undefined);
  }

  /**
   * A worker could not start. With none alive and none starting, the queued tasks fail with the reason instead of
   * waiting forever; the next `run` tries to start workers again.
   */
  private startFailed(err: Error): void {
    if (this.slots.length > 0) return; // a live worker takes the queue, or another start is under way
    for (const job of this.queue.splice(0)) this.settle(job, new PoolTaskError('failed', err.message, { cause: err }));
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy !== null || slot.retired) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.busy = job.id;
      slot.job = job;
      if (this.opts.taskTimeoutMs !== undefined) slot.timer = setTimeout(() => this.stuck(slot), this.opts.taskTimeoutMs);
      // Busy workers keep the process alive; idle ones do not (a forgotten dispose cannot hang the CLI).
      slot.worker.ref();
      slot.worker.postMessage({ type: 'task', id: job.id, task: job.task } satisfies TaskMessage, job.transfer);
    }
  }

  private finish(slot: Slot, msg: Extract<HostMessage, { type: 'done' | 'error' }>): void {
    if (slot.busy !== msg.id) return;
    const job = slot.job;
    this.answered(slot);
    this.release(slot);
    if (job) {
      if (msg.type === 'done') this.settle(job, null, msg.result);
      else this.settle(job, new PoolTaskError('failed', msg.message));
    }
    this.pump();
  }

  /** A queued task leaves the queue; a running one is stopped. */
  private abort(job: Job): void {
    const { name } = this.opts;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, new PoolTaskError('cancelled', `${name}: task cancelled before it started`));
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    const how = this.opts.abortMode === 'cooperative' ? 'told to stop' : 'terminated';
    this.stop(slot, new PoolTaskError('stopped', `${name} stopped: ${how} because its task was cancelled`));
  }

  private stuck(slot: Slot): void {
    const ms = this.opts.taskTimeoutMs;
    const then = this.opts.abortMode === 'cooperative' ? 'told to stop' : 'worker restarted';
    this.stop(slot, new PoolTaskError('timeout', `${this.opts.name} took longer than ${ms} ms on one task; ${then}`));
  }

  /**
   * Stops a busy worker's task: the caller gets `err` now. `terminate`: the worker is ended and replaced at once.
   * `cooperative`: the worker is asked to stop and stays busy until it answers (or is terminated after the grace).
   */
  private stop(slot: Slot, err: PoolTaskError): void {
    const job = slot.job;
    slot.job = null;
    if (job) this.settle(job, err);
    if (this.opts.abortMode !== 'cooperative') return this.retire(slot);
    if (slot.stopped || slot.busy === null) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.stopped = new Promise<void>((resolve) => (slot.onAnswer = resolve));
    slot.timer = setTimeout(() => this.retire(slot), this.opts.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS);
    slot.worker.postMessage({ type: 'cancel', id: slot.busy } satisfies TaskMessage);
  }

  /** Ends a worker on purpose (its task, if still waiting, was settled before) and starts a replacement. */
  private retire(slot: Slot): void {
    this.answered(slot);
    this.release(slot);
    slot.retired = true;
    this.drop(slot);
    void slot.worker.terminate();
    this.refill();
  }

  /** The worker answered (or will never answer) its stopped task. */
  private answered(slot: Slot): void {
    slot.onAnswer?.();
    slot.onAnswer = null;
    slot.stopped = null;
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
    slot.job = null;
    slot.worker.unref();
  }

  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private settle(job: Job, err: Error | null, value?: unknown): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    if (err) job.reject(err);
    else job.resolve(value);
  }
}
