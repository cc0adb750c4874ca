/**
 * Worker-thread entry: one decoder + cascade reader per thread, fed greyscale pages by `pool.ts`.
 * Decoding is synchronous CPU work; running it here keeps the main thread free for I/O, preprocessing and
 * the OCR pool, and lets the pool end a page that runs past its hard time limit.
 */
import { serveWorker } from '../core/worker-host.js';
import type { BarcodeFormat, BarcodeHit } from '../core/types.js';
import type { Decoder } from './decoder.js';
import { CascadeBarcodeReader, type ReaderSettings } from './reader.js';

export interface WorkerInit {
  decoder: 'zxing-wasm' | 'zxing-js';
  settings: ReaderSettings;
}

/** One greyscale page (its pixels moved to the worker). */
export interface WorkerJob {
  data: Uint8Array;
  width: number;
  height: number;
  formats?: BarcodeFormat[];
}

export interface WorkerResult {
  hits: BarcodeHit[];
  /** The passes the cascade ran and its time, for the benchmark. */
  passes: string[];
  ms: number;
}

serveWorker<WorkerInit, WorkerJob, WorkerResult>(async (init) => {
  let decoder: Decoder;
  if (init.decoder === 'zxing-js') {
    const { ZxingJsDecoder } = await import('./zxing-js.js');
    decoder = new ZxingJsDecoder();
  } else {
    const { ZxingWasmDecoder } = await import('./zxing-wasm.js');
    decoder = await ZxingWasmDecoder.create();
  }
  const reader = new CascadeBarcodeReader(decoder, init.settings);
  return {
    info: reader.name,
    async run(job) {
      const page = { data: Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), width: job.width, height: job.height, channels: 1 as const, page: null };
      const hits = await reader.read(page, job.formats ? { formats: job.formats } : {});
      const t = reader.lastTrace;
      return { hits, passes: t?.passes ?? [], ms: t?.ms ?? 0 };
    },
  };
});
