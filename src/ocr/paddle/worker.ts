/**
 * Pool worker: hosts one PaddleReader (its own three sessions, opened and warmed up once) and reads the pages
 * `pool.ts` sends. onnxruntime-node runs inference synchronously on the calling thread, so a worker per core is what
 * lets several pages be read at once while the main thread keeps decoding, reading barcodes and writing sinks.
 */
import { serveWorker } from '../../core/worker-host.js';
import type { ReadTask } from './pool.js';
import { type PaddleAnalysis, PaddleReader, type ReaderConfig } from './reader.js';

serveWorker<ReaderConfig, ReadTask, PaddleAnalysis>(async (cfg) => {
  const reader = await PaddleReader.open(cfg);
  return {
    run: ({ page, opts }, signal) => reader.analyse({ ...page, data: Buffer.from(page.data.buffer, page.data.byteOffset, page.data.byteLength), page: null }, opts, signal),
  };
});
