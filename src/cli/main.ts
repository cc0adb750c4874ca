/**
 * The process entry (`bin/zakocr` imports the compiled file): runs the CLI and exits. Importing `program.ts`
 * instead gives the command tree without running anything.
 */
import { main } from './program.js';

/** 128 + SIGPIPE: how a Unix filter ends when its reader goes away (`zakocr scan … --out - | head`). */
const EXIT_BROKEN_PIPE = 141;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE); // the reader left: stop quietly, no stack trace
  throw err;
});

const code = await main(process.argv);
process.exitCode = code;
// Worker threads (tesseract.js, onnxruntime) may keep the loop alive after dispose; records are already flushed.
setTimeout(() => process.exit(code), 200).unref();
