// A worker for the WorkerPool tests, on the real worker host (dist/core/worker-host.js: `npm run build` first).
// Its state is built once per thread (`tasksRun` counts the tasks this thread ran); tasks say what to do.
import { threadId } from 'node:worker_threads';
import { serveWorker } from '../../../dist/core/worker-host.js';

serveWorker(async (init) => {
  if (init?.failInit) {
    const err = new Error('the model file is corrupt');
    err.code = 'missing_resource';
    err.hint = 'reinstall the models';
    throw err;
  }
  await new Promise((r) => setTimeout(r, init?.initDelayMs ?? 0));
  let tasksRun = 0;
  return {
    info: { threadId },
    async run(task, signal) {
      tasksRun++;
      switch (task.op) {
        case 'echo':
          return { value: task.value, threadId, tasksRun };
        case 'sleep':
          await new Promise((r) => setTimeout(r, task.ms));
          return { value: task.value, threadId, tasksRun };
        case 'spin': {
          // A synchronous loop, like a native call that cannot be interrupted: only terminate() ends it.
          const end = Date.now() + task.ms;
          while (Date.now() < end);
          return { value: task.value, threadId, tasksRun };
        }
        case 'slices': {
          // Native-like work in short synchronous runs, checking the signal between them (as PaddleReader does).
          for (let i = 0; i < task.count; i++) {
            signal.throwIfAborted();
            const end = Date.now() + task.ms;
            while (Date.now() < end);
            await new Promise((r) => setImmediate(r));
          }
          return { value: task.value, threadId, tasksRun };
        }
        case 'throw':
          throw new Error(`bad input ${task.value}`);
        case 'crash':
          setImmediate(() => {
            throw new Error('native crash');
          });
          return new Promise(() => undefined);
        case 'exit':
          process.exit(3);
        case 'bytes':
          return { length: task.data.byteLength, threadId, tasksRun };
        default:
          throw new Error(`unknown op ${task.op}`);
      }
    },
  };
});
