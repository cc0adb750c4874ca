/**
 * Pool worker: hosts one PaddleReader (its own three sessions) and analyses pages sent by `pool.ts`.
 * onnxruntime-node runs inference synchronously on the calling thread, so a worker per core is what lets
 * several pages be read at once while the main thread keeps decoding, reading barcodes and writing sinks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PageImage } from '../../core/types.js';
import { errorMessage } from '../../core/errors.js';
import { PaddleReader, type ReaderConfig } from './reader.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const port = parentPort;
if (!port) throw new Error('ocr/paddle/worker.js must run as a worker thread');

let reader: PaddleReader | null = null;
try {
  reader = await PaddleReader.open(workerData as ReaderConfig);
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ type: 'failed', message: errorMessage(err) } satisfies WorkerReply);
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'close') {
    void reader?.dispose().finally(() => port.close());
    reader = null;
    return;
  }
  const page: PageImage = { ...msg.page, data: Buffer.from(msg.page.data), page: null };
  const work = reader ? reader.analyze(page, msg.opts) : Promise.reject(new Error('PP-OCR reader is not open'));
  work.then(
    (analysis) => port.postMessage({ type: 'done', id: msg.id, analysis } satisfies WorkerReply),
    (err: unknown) => port.postMessage({ type: 'error', id: msg.id, message: errorMessage(err) } satisfies WorkerReply),
  );
});
