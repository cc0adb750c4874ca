/**
 * A pool of barcode worker threads behind the `BarcodeReader` contract.
 *
 * The page is converted to grey on the calling thread (one small copy, transferred, never re-encoded) and
 * decoded in a worker. Pages queue FIFO when every worker is busy. A page that runs past the hard limit
 * (`timeBudgetMs` + `HARD_LIMIT_MARGIN_MS`; the reader itself stops retrying at `timeBudgetMs`, so this only
 * catches a single pathological pass) has its worker terminated and replaced, and the read fails for that
 * page only (the pipeline records no barcodes and logs it).
 */
import { Worker } from 'node:worker_threads';
import { MissingResourceError } from '../core/errors.js';
import { toGray } from '../core/image.js';
import type { BarcodeHit, BarcodeReadOptions, BarcodeReader, PageImage } from '../core/types.js';
import type { WorkerInit, WorkerJob, WorkerReply } from './worker.js';

/** Slack over `timeBudgetMs` before a busy worker is considered stuck. */
export const HARD_LIMIT_MARGIN_MS = 5_000;

interface Job {
  id: number;
  msg: WorkerJob;
  transfer: ArrayBuffer[];
  resolve: (hits: BarcodeHit[]) => void;
  reject: (err: Error) => void;
  signal?: AbortSignal;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Terminated on purpose (stuck or disposed): its exit needs no replacement. */
  retired: boolean;
}

/** Statistics of the last page a pool decoded (for the benchmark). */
export interface PoolTrace {
  passes: string[];
  ms: number;
}

export class WorkerPoolReader implements BarcodeReader {
  name: string;
  lastTrace: PoolTrace | null = null;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly script: URL,
    private readonly init: WorkerInit,
    private readonly hardLimitMs: number,
    name: string,
  ) {
    this.name = name;
  }

  /**
   * Starts `threads` workers and waits until each has loaded its decoder.
   * @throws MissingResourceError when a worker cannot load the decoder (missing/corrupt .wasm).
   */
  static async create(script: URL, init: WorkerInit, threads: number): Promise<WorkerPoolReader> {
    const pool = new WorkerPoolReader(script, init, init.settings.timeBudgetMs + HARD_LIMIT_MARGIN_MS, '');
    try {
      const names = await Promise.all(Array.from({ length: Math.max(1, threads) }, () => pool.spawn()));
      pool.name = `${names[0]} ×${names.length} threads`;
    } catch (err) {
      await pool.dispose();
      throw err;
    }
    return pool;
  }

  /** Starts one worker; resolves with its reader's name once it is ready. */
  private spawn(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const worker = new Worker(this.script, { workerData: this.init });
      const slot: Slot = { worker, job: null, timer: null, retired: false };
      let ready = false;
      worker.on('message', (m: WorkerReply) => {
        if (m.type === 'ready') {
          ready = true;
          worker.unref();
          this.slots.push(slot);
          resolve(m.name);
          this.pump();
        } else if (m.type === 'init-error') {
          reject(new MissingResourceError(`barcode worker: ${m.message}`, m.hint ? { hint: m.hint } : {}));
          void worker.terminate();
        } else {
          this.finish(slot, m);
        }
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        else this.fail(slot, err);
      });
      worker.on('exit', (code) => {
        const i = this.slots.indexOf(slot);
        if (i !== -1) this.slots.splice(i, 1);
        if (slot.job) this.fail(slot, new Error(`barcode worker exited (code ${code})`));
        // A crashed worker is replaced so queued pages keep moving.
        if (ready && !slot.retired && !this.closed) this.spawn().then(() => this.pump(), (err: unknown) => this.drain(err));
      });
    });
  }

  async read(page: PageImage, opts: BarcodeReadOptions = {}): Promise<BarcodeHit[]> {
    if (this.closed) throw new Error('barcode reader is closed');
    if (opts.signal?.aborted) return [];
    const gray = toGray(page);
    // A private copy: the page buffer stays with preprocessing/OCR; the copy is transferred, not cloned.
    const data = new Uint8Array(gray.width * gray.height);
    data.set(gray.data.subarray(0, data.length));
    return new Promise<BarcodeHit[]>((resolve, reject) => {
      const id = this.nextId++;
      const msg: WorkerJob = { id, data, width: gray.width, height: gray.height, ...(opts.formats ? { formats: opts.formats } : {}) };
      this.queue.push({ id, msg, transfer: [data.buffer], resolve, reject, signal: opts.signal });
      this.pump();
    });
  }

  /** Hands queued pages to idle workers. */
  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      let job = this.queue.shift();
      while (job?.signal?.aborted) {
        job.resolve([]);
        job = this.queue.shift();
      }
      if (!job) return;
      slot.job = job;
      slot.timer = setTimeout(() => this.stuck(slot), this.hardLimitMs);
      // Busy workers keep the process alive; idle ones do not (a forgotten dispose cannot hang the CLI).
      slot.worker.ref();
      slot.worker.postMessage(job.msg, job.transfer);
    }
  }

  private finish(slot: Slot, m: Extract<WorkerReply, { type: 'result' | 'error' }>): void {
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    this.release(slot);
    if (m.type === 'result') {
      this.lastTrace = { passes: m.passes, ms: m.ms };
      job.resolve(m.hits);
    } else {
      job.reject(new Error(m.message));
    }
    this.pump();
  }

  private fail(slot: Slot, err: Error): void {
    const job = slot.job;
    this.release(slot);
    job?.reject(err);
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  /** A page ran past the hard limit: replace the worker, fail that page only. */
  private stuck(slot: Slot): void {
    const job = slot.job;
    this.release(slot);
    const i = this.slots.indexOf(slot);
    if (i !== -1) this.slots.splice(i, 1);
    slot.retired = true;
    void slot.worker.terminate();
    job?.reject(new Error(`barcode decoding took longer than ${this.hardLimitMs} ms; worker restarted`));
    if (!this.closed) this.spawn().then(() => this.pump(), (err: unknown) => this.drain(err));
  }

  /** No worker could be started again: fail what waits instead of hanging. */
  private drain(err: unknown): void {
    if (this.slots.length > 0) return;
    for (const job of this.queue.splice(0)) job.reject(err instanceof Error ? err : new Error(String(err)));
  }

  async dispose(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve([]);
    await Promise.allSettled(this.slots.splice(0).map((s) => {
      s.retired = true;
      this.release(s);
      return s.worker.terminate();
    }));
  }
}
