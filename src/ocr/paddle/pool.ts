/**
 * A fixed pool of PP-OCR worker threads (see worker.ts). Pages queue for the next idle worker; a worker that dies
 * fails only the page it held and is replaced on the next page. Idle workers do not keep the process alive.
 * A page whose signal aborts (the file ran past limits.timeoutMs) leaves the queue, or, when already being read,
 * has its worker terminated: a stuck native call cannot be interrupted any other way, and the slot is respawned.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MissingResourceError } from '../../core/errors.js';
import type { PageImage } from '../../core/types.js';
import type { AnalyzeOptions as AnalyzeOpts, PaddleAnalysis, ReaderConfig } from './reader.js';

/** Messages to a worker. */
export type WorkerRequest =
  | { type: 'analyze'; id: number; page: { data: Uint8Array; width: number; height: number; channels: 1 | 3 | 4 }; opts: AnalyzeOpts }
  | { type: 'close' };

/** Messages from a worker. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number; analysis: PaddleAnalysis }
  | { type: 'error'; id: number; message: string };

interface Task {
  id: number;
  page: PageImage;
  opts: AnalyzeOpts;
  resolve: (a: PaddleAnalysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/**
 * The compiled worker script: beside this module in dist/, or dist/ocr/paddle/worker.js when this module runs from
 * src/ (tests). @throws MissingResourceError when neither exists (dist/ not built).
 */
export function workerScript(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../../../dist/ocr/paddle/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new MissingResourceError(`The PP-OCR worker script is missing (${fileURLToPath(beside)})`, {
    hint: 'Build zakocr first: npm run build',
  });
}

export class ReaderPool {
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly cfg: ReaderConfig,
    readonly size: number,
  ) {}

  /**
   * Starts `size` workers and waits until every one has its sessions open.
   * @throws Error with the worker's message when a reader cannot open.
   */
  static async open(cfg: ReaderConfig, size: number): Promise<ReaderPool> {
    const pool = new ReaderPool(cfg, size);
    try {
      pool.slots = await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (err) {
      await pool.dispose();
      throw err;
    }
    return pool;
  }

  private spawn(): Promise<Slot> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerScript(), { workerData: this.cfg });
      const slot: Slot = { worker, task: null };
      let ready = false;
      worker.on('message', (msg: WorkerReply) => {
        if (msg.type === 'ready') {
          ready = true;
          worker.unref();
          resolve(slot);
        } else if (msg.type === 'failed') {
          reject(new Error(`PP-OCR worker could not open its models: ${msg.message}`));
          void worker.terminate();
        } else {
          const task = slot.task;
          slot.task = null;
          worker.unref();
          if (task && task.id === msg.id) {
            if (msg.type === 'done') task.resolve(msg.analysis);
            else task.reject(new Error(msg.message));
          }
          this.pump();
        }
      });
      const lost = (why: string) => {
        if (!ready) return reject(new Error(`PP-OCR worker stopped while starting: ${why}`));
        const task = slot.task;
        slot.task = null;
        this.slots = this.slots.filter((s) => s !== slot);
        task?.reject(new Error(`PP-OCR worker stopped: ${why}`));
        this.pump();
      };
      worker.on('error', (err) => lost(err.message));
      worker.on('exit', (code) => lost(`exit code ${code}`));
    });
  }

  /** Analyses a page on the next idle worker (pages wait in order). */
  analyze(page: PageImage, opts: AnalyzeOpts, signal?: AbortSignal): Promise<PaddleAnalysis> {
    if (this.closed) return Promise.reject(new Error('PP-OCR pool is closed'));
    if (signal?.aborted) return Promise.reject(new Error('PP-OCR read cancelled'));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const queued = this.queue.indexOf(task);
        if (queued >= 0) {
          this.queue.splice(queued, 1);
          task.reject(new Error('PP-OCR read cancelled'));
          return;
        }
        // 'exit' then rejects the task, drops the slot and respawns it for the next page.
        void this.slots.find((s) => s.task === task)?.worker.terminate();
      };
      const task: Task = {
        id: this.nextId++,
        page,
        opts,
        resolve: (a) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(a);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    // Replace workers that died (one at a time; a failing start fails the waiting page).
    if (this.slots.length < this.size && this.queue.length > 0) {
      const want = this.size - this.slots.length;
      for (let i = 0; i < want; i++) {
        const placeholder: Slot = { worker: null as unknown as Worker, task: null };
        this.slots.push(placeholder);
        this.spawn().then(
          (slot) => {
            this.slots[this.slots.indexOf(placeholder)] = slot;
            this.pump();
          },
          (err: Error) => {
            this.slots = this.slots.filter((s) => s !== placeholder);
            this.queue.shift()?.reject(err);
          },
        );
      }
    }
    for (const slot of this.slots) {
      if (!slot.worker || slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      // A copy: the caller's buffer stays usable (barcode reading runs on the same page meanwhile).
      const data = new Uint8Array(task.page.data.byteLength);
      data.set(task.page.data);
      const { width, height, channels } = task.page;
      const msg: WorkerRequest = { type: 'analyze', id: task.id, page: { data, width, height, channels }, opts: { langs: task.opts.langs, layout: task.opts.layout, read: task.opts.read } };
      slot.worker.postMessage(msg, [data.buffer]);
    }
  }

  async dispose(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('PP-OCR pool closed'));
    await Promise.all(this.slots.filter((s) => s.worker).map((s) => s.worker.terminate()));
    this.slots = [];
  }
}
