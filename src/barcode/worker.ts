/**
 * Worker-thread entry: one decoder + cascade reader per thread, fed greyscale pages by `pool.ts`.
 * Decoding is synchronous CPU work; running it here keeps the main thread free for I/O, preprocessing and
 * the OCR pool, and lets the pool end a page that runs past its hard time limit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../core/errors.js';
import type { BarcodeFormat } from '../core/types.js';
import type { Decoder } from './decoder.js';
import { CascadeBarcodeReader, type ReaderSettings } from './reader.js';

export interface WorkerInit {
  decoder: 'zxing-wasm' | 'zxing-js';
  settings: ReaderSettings;
}

export interface WorkerJob {
  id: number;
  data: Uint8Array;
  width: number;
  height: number;
  formats?: BarcodeFormat[];
}

export type WorkerReply =
  | { type: 'ready'; name: string }
  | { type: 'init-error'; message: string; code?: string; hint?: string }
  | { type: 'result'; id: number; hits: import('../core/types.js').BarcodeHit[]; passes: string[]; ms: number }
  | { type: 'error'; id: number; message: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const init = workerData as WorkerInit;
  let reader: CascadeBarcodeReader;
  try {
    let decoder: Decoder;
    if (init.decoder === 'zxing-js') {
      const { ZxingJsDecoder } = await import('./zxing-js.js');
      decoder = new ZxingJsDecoder();
    } else {
      const { ZxingWasmDecoder } = await import('./zxing-wasm.js');
      decoder = await ZxingWasmDecoder.create();
    }
    reader = new CascadeBarcodeReader(decoder, init.settings);
  } catch (err) {
    const e = err as { code?: string; hint?: string };
    port.postMessage({ type: 'init-error', message: errorMessage(err), code: e.code, hint: e.hint } satisfies WorkerReply);
    return;
  }
  port.on('message', (job: WorkerJob) => {
    const page = { data: Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), width: job.width, height: job.height, channels: 1 as const, page: null };
    reader
      .read(page, job.formats ? { formats: job.formats } : {})
      .then((hits) => {
        const t = reader.lastTrace;
        port.postMessage({ type: 'result', id: job.id, hits, passes: t?.passes ?? [], ms: t?.ms ?? 0 } satisfies WorkerReply);
      })
      .catch((err: unknown) => port.postMessage({ type: 'error', id: job.id, message: errorMessage(err) } satisfies WorkerReply));
  });
  port.postMessage({ type: 'ready', name: reader.name } satisfies WorkerReply);
}

void main();
