import type { Logger } from '../core/types.js';
import type { ScanEvent } from '../pipeline/run-scan.js';
import { createPlainReporter } from './plain.js';
import { createInkReporter } from './progress.js';

export interface Reporter {
  event(e: ScanEvent): void;
  stop(): void;
}

/** ink progress on an interactive terminal; plain lines when stderr is not a TTY or CI is set; nothing with --quiet. */
export function createReporter(opts: { quiet: boolean; json: boolean; log: Logger }): Reporter {
  if (opts.quiet) return { event: (e) => e.type === 'sink-error' && opts.log.error(`sink ${e.sink} failed: ${e.message}`), stop: () => undefined };
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI && !opts.json && process.env.TERM !== 'dumb';
  return interactive ? createInkReporter(opts.log) : createPlainReporter(opts.log, opts.json);
}
