import type { Logger } from '../core/types.js';
import type { ScanEvent } from '../pipeline/run-scan.js';
import { colorEnabled } from './color.js';
import { createPlainReporter } from './plain.js';

export interface Reporter {
  event(e: ScanEvent): void;
  stop(): void;
}

/**
 * ink progress on an interactive terminal; plain lines when stderr is not a TTY or CI is set; with --quiet only the
 * failed files. Colour follows `color` (--color/--no-color), then FORCE_COLOR, NO_COLOR and the terminal.
 * ink (with React) is loaded only for a terminal: importing it costs about 1 s of CPU, paid by every piped, CI
 * and `--version` run when it was imported up front.
 */
export async function createReporter(opts: { quiet: boolean; json: boolean; log: Logger; color?: boolean }): Promise<Reporter> {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI && !opts.json && !opts.quiet && process.env.TERM !== 'dumb';
  if (!interactive) return createPlainReporter(opts.log, { json: opts.json, quiet: opts.quiet });
  const { createInkReporter } = await import('./progress.js');
  return createInkReporter({ color: colorEnabled({ flag: opts.color, isTTY: true }) });
}
