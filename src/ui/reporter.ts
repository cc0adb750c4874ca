import type { Logger } from '../core/types.js';
import type { ScanEvent } from '../pipeline/run-scan.js';
import { createPlainReporter } from './plain.js';

export interface Reporter {
  event(e: ScanEvent): void;
  stop(): void;
}

/**
 * ink progress on an interactive terminal; plain lines when stderr is not a TTY or CI is set; nothing with --quiet.
 * ink (with React) is loaded only for a terminal: importing it costs about 1 s of CPU, paid by every piped, CI
 * and `--version` run when it was imported up front.
 */
export async function createReporter(opts: { quiet: boolean; json: boolean; log: Logger }): Promise<Reporter> {
  if (opts.quiet) return { event: (e) => e.type === 'sink-error' && opts.log.error(`sink ${e.sink} failed: ${e.message}`), stop: () => undefined };
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI && !opts.json && process.env.TERM !== 'dumb';
  if (!interactive) return createPlainReporter(opts.log, opts.json);
  const { createInkReporter } = await import('./progress.js');
  return createInkReporter(opts.log);
}
