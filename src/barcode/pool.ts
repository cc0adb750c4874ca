/**
 * Barcode decoders on worker threads (the shared `WorkerPool`) behind the `BarcodeReader` contract.
 *
 * The page is converted to grey on the calling thread (one small copy, moved, never re-encoded) and decoded in a
 * worker. Pages queue FIFO when every worker is busy. A page that runs past the hard limit (`timeBudgetMs` +
 * `HARD_LIMIT_MARGIN_MS`; the reader itself stops retrying at `timeBudgetMs`, so this only catches a single
 * pathological pass) has its worker terminated and replaced, and the read fails for that page only (the pipeline
 * records no barcodes and logs it). A read whose signal aborts (its file ran past the time limit) finds nothing.
 */
import { MissingResourceError } from '../core/errors.js';
import { toGray } from '../core/image.js';
import type { BarcodeHit, BarcodeReadOptions, BarcodeReader, PageImage } from '../core/types.js';
import { PoolTaskError, WorkerPool } from '../core/worker-pool.js';
import type { WorkerInit, WorkerJob, WorkerResult } from './worker.js';

/** Slack over `timeBudgetMs` before a busy worker is considered stuck. */
export const HARD_LIMIT_MARGIN_MS = 5_000;

/** Statistics of the last page a pool decoded (for the benchmark). */
export interface PoolTrace {
  passes: string[];
  ms: number;
}

export class WorkerPoolReader implements BarcodeReader {
  lastTrace: PoolTrace | null = null;

  private constructor(
    private readonly pool: WorkerPool<WorkerJob, WorkerResult, string>,
    readonly name: string,
  ) {}

  /**
   * Starts `threads` workers and waits until each has loaded its decoder.
   * @throws MissingResourceError when a worker cannot load the decoder (missing/corrupt .wasm).
   */
  static async create(script: URL, init: WorkerInit, threads: number): Promise<WorkerPoolReader> {
    const pool = await WorkerPool.open<WorkerJob, WorkerResult, string>({
      name: 'barcode worker',
      script,
      size: Math.max(1, threads),
      workerData: init,
      taskTimeoutMs: init.settings.timeBudgetMs + HARD_LIMIT_MARGIN_MS,
      initError: (f) => new MissingResourceError(`barcode worker: ${f.message}`, f.hint ? { hint: f.hint } : {}),
    });
    return new WorkerPoolReader(pool, `${pool.info} ×${pool.size} threads`);
  }

  async read(page: PageImage, opts: BarcodeReadOptions = {}): Promise<BarcodeHit[]> {
    if (opts.signal?.aborted) return [];
    const gray = toGray(page);
    // A private copy: the page buffer stays with preprocessing/OCR; the copy is moved, not cloned.
    const data = new Uint8Array(gray.width * gray.height);
    data.set(gray.data.subarray(0, data.length));
    const job: WorkerJob = { data, width: gray.width, height: gray.height, ...(opts.formats ? { formats: opts.formats } : {}) };
    try {
      const res = await this.pool.run(job, { signal: opts.signal, transfer: [data.buffer] });
      this.lastTrace = { passes: res.passes, ms: res.ms };
      return res.hits;
    } catch (err) {
      // A read stopped on purpose (its file's time ran out, or the run ended) found nothing; it is not a failure.
      if (err instanceof PoolTaskError && (err.reason === 'cancelled' || err.reason === 'closed' || (opts.signal?.aborted && err.reason === 'stopped'))) return [];
      throw err;
    }
  }

  dispose(): Promise<void> {
    return this.pool.dispose();
  }
}
