/**
 * PP-OCR readers on worker threads (worker.ts), on the shared `WorkerPool`: each worker opens and warms up its own
 * three sessions once, then reads one page at a time. A worker that dies fails only the page it held and is
 * replaced. A page whose signal aborts (the file ran past limits.timeoutMs) leaves the queue or, when already being
 * read, rejects at once while its worker stops at the next model run and takes the next page.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MissingResourceError } from '../../core/errors.js';
import type { PageImage } from '../../core/types.js';
import { WorkerPool } from '../../core/worker-pool.js';
import type { AnalyseOptions, PaddleAnalysis, ReaderConfig } from './reader.js';

/** One page for a worker: the pixels (moved, not copied) and what to do with them. */
export interface ReadTask {
  page: { data: Uint8Array; width: number; height: number; channels: 1 | 3 | 4 };
  opts: AnalyseOptions;
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
  private constructor(private readonly pool: WorkerPool<ReadTask, PaddleAnalysis>) {}

  /**
   * Starts `size` workers and waits until every one has its sessions open and warmed up.
   * @throws Error with the worker's message when a reader cannot open.
   */
  static async open(cfg: ReaderConfig, size: number): Promise<ReaderPool> {
    const pool = await WorkerPool.open<ReadTask, PaddleAnalysis>({
      name: 'PP-OCR worker',
      script: workerScript(),
      size,
      workerData: cfg,
      initError: (f) => new Error(`PP-OCR worker could not open its models: ${f.message}`),
      // onnxruntime-node runs a session synchronously on the worker's thread; terminating the thread inside a run
      // aborts the whole process ("terminate called after throwing an instance of 'Napi::Error'"). So a cancelled
      // page is stopped between model runs instead (PaddleReader.analyse checks the signal).
      abortMode: 'cooperative',
    });
    return new ReaderPool(pool);
  }

  get size(): number {
    return this.pool.size;
  }

  /** Reads a page on the next idle worker (pages wait in order). */
  analyse(page: PageImage, opts: AnalyseOptions, signal?: AbortSignal): Promise<PaddleAnalysis> {
    // A copy: the caller's buffer stays usable (barcode reading runs on the same page meanwhile); the copy is moved.
    const data = new Uint8Array(page.data.byteLength);
    data.set(page.data);
    const task: ReadTask = { page: { data, width: page.width, height: page.height, channels: page.channels }, opts: { langs: opts.langs, layout: opts.layout, read: opts.read } };
    return this.pool.run(task, { signal, transfer: [data.buffer] });
  }

  dispose(): Promise<void> {
    return this.pool.dispose();
  }
}
