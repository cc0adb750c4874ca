import type { Logger } from '../core/types.js';
import { colorEnabled } from './color.js';
import { createPlainReporter, type PlainOptions } from './plain.js';
import type { DisplayEvent } from './progress-state.js';

export interface Reporter {
  event(e: DisplayEvent): void;
  /** Draws the final screen; `interrupted`: the run stopped early (discovery's count is then no total). */
  stop(end?: { interrupted?: boolean }): void;
}

export interface ReporterOptions extends PlainOptions {
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** The stream the display draws on (default stderr: stdout may carry `--out -` records). */
  stream?: { isTTY?: boolean };
}

/**
 * ink progress on an interactive terminal; plain lines when stderr is not a TTY or CI is set, with --json-log, and
 * with --verbose/--debug (their detail lines would tear a live display); with --quiet only the failed files.
 * Colour follows `color` (--color/--no-color), then FORCE_COLOR, NO_COLOR and the terminal.
 * ink (with React) is loaded only for a terminal: importing it costs about 1 s of CPU, paid by every piped, CI
 * and `--version` run when it was imported up front.
 */
export async function createReporter(opts: ReporterOptions): Promise<Reporter> {
  const env = opts.env ?? process.env;
  const isTTY = Boolean((opts.stream ?? process.stderr).isTTY);
  const color = colorEnabled({ flag: opts.color, env, isTTY });
  const interactive = isTTY && !env.CI && !opts.json && !opts.quiet && !opts.verbose && !opts.debug && env.TERM !== 'dumb';
  if (!interactive) return createPlainReporter(opts.log, { ...opts, color });
  // ink colours through chalk, which reads FORCE_COLOR once when loaded: an explicit --color/--no-color must reach it.
  if (opts.color !== undefined) env.FORCE_COLOR = opts.color ? '1' : '0';
  const { createInkReporter } = await import('./progress.js');
  return createInkReporter({ color, models: opts.models });
}
