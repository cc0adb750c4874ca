import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../core/errors.js';
import { runDocJob, type DocJob, type DocOut } from './doc-job.js';

/**
 * Worker-thread entry for export document jobs (see `pool.ts`). Each message is `{ id, job }`; the
 * answer is `{ id, out }` or `{ id, error }`, with the crop fingerprints' buffers transferred.
 */
parentPort!.on('message', (msg: { id: number; job: DocJob }) => {
  runDocJob(msg.job).then(
    (out: DocOut) => {
      const transfer: ArrayBuffer[] = [];
      for (const l of out.lines) {
        for (const a of [l.features.g, l.features.cols, l.features.rows]) if (a.byteLength > 0) transfer.push(a.buffer as ArrayBuffer);
      }
      parentPort!.postMessage({ id: msg.id, out }, transfer);
    },
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: errorMessage(err) }),
  );
});
