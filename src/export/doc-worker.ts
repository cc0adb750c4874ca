import { serveWorker } from '../core/worker-host.js';
import { runDocJob, type DocJob, type DocOut } from './doc-job.js';

/**
 * Worker-thread entry for export document jobs (see `pool.ts`): one job at a time, the crop fingerprints' buffers
 * moved back to the main thread instead of copied.
 */
serveWorker<undefined, DocJob, DocOut>(() => ({
  run: runDocJob,
  transfer: (out) => out.lines.flatMap((l) => [l.features.g, l.features.cols, l.features.rows].filter((a) => a.byteLength > 0).map((a) => a.buffer as ArrayBuffer)),
}));
