/**
 * Everything `zakocr scan` shows while it runs: the logger, the live or plain display (with the models being loaded
 * and the count ahead of the files to scan), and at the end the summary (text, or one structured `summary` event
 * with --json-log; also under --quiet) and the sink errors.
 */
import { parseLangs } from '../core/choices.js';
import { createLogger } from '../core/logger.js';
import type { Logger } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import type { ScanEvent, ScanResult } from '../pipeline/run-scan.js';
import { parseShard, type Shard } from '../source/shard.js';

export interface DisplayFlags {
  verbose?: boolean;
  debug?: boolean;
  /** `--color` / `--no-color`; undefined: FORCE_COLOR, NO_COLOR and the terminal decide. */
  color?: boolean;
}

export interface ScanOutput {
  log: Logger;
  event(e: ScanEvent): void;
  /**
   * Stops the display and the count, then prints the summary and the sink errors. `exitCode`: what the process
   * will exit with, for the summary event (default the result's).
   */
  finish(result: ScanResult, exitCode?: number): void;
  /** Stops the display and the count (after a start-up error too); idempotent. */
  close(): void;
}

/** Short names of what the configured engine loads (`det, cls, rec, tesseract eng`); [] when unknown. */
async function loadingModels(config: ZakConfig): Promise<string[]> {
  try {
    const { plannedModels } = await import('../ocr/plan.js');
    return plannedModels(config.engine, parseLangs(config.lang), config.ocr, config.device).map((m) => m.role);
  } catch {
    return []; // the manifest is unreadable: the engine's own start-up says so
  }
}

/** The shard to count, or none when `i/N` is malformed (the scan itself then exits 2 naming it). */
function safeShard(spec: string): Shard | null {
  try {
    return parseShard(spec);
  } catch {
    return null;
  }
}

/** Opens the display for a scan of `inputs` (already with their `!` ignore patterns) and starts the count ahead. */
export async function openScanOutput(opts: { config: ZakConfig; inputs: string[]; flags: DisplayFlags; secrets: Array<string | null> }): Promise<ScanOutput> {
  const { config, flags, secrets } = opts;
  const [{ createReporter }, { formatSummary, summaryFields }, { countInputs }] = await Promise.all([
    import('../ui/reporter.js'),
    import('../ui/summary.js'),
    import('../source/count.js'),
  ]);
  const json = config.jsonLog;
  const log = createLogger({ json, quiet: config.quiet, verbose: flags.debug, secrets });
  const reporter = await createReporter({
    log, json, quiet: config.quiet, verbose: flags.verbose, debug: flags.debug, color: flags.color, models: await loadingModels(config),
  });
  const counting = new AbortController();
  void countInputs(opts.inputs, {
    signal: counting.signal,
    // A shard's total is its own files (parsed again by the scan, which reports a bad i/N itself).
    shard: config.shard ? safeShard(config.shard) : null,
    onProgress: (count) => reporter.event({ type: 'counted', count, final: false }),
  }).then((count) => {
    if (count !== null && !counting.signal.aborted) reporter.event({ type: 'counted', count, final: true });
  });
  let closed = false;
  const close = (end?: { interrupted?: boolean }) => {
    if (closed) return;
    closed = true;
    counting.abort();
    reporter.stop(end);
  };
  return {
    log,
    event: (e) => reporter.event(e),
    close: () => close(),
    finish(result, exitCode = result.exitCode) {
      close({ interrupted: result.interrupted });
      // --quiet keeps the summary: with the failed files' lines it is what a quiet run has to say.
      const out = config.quiet ? createLogger({ json, quiet: false, secrets }) : log;
      if (json) out[exitCode === 0 ? 'info' : 'warn']('summary', summaryFields(result, exitCode));
      else out.info(formatSummary(result));
      for (const se of result.sinkErrors) log.error(se.message + (se.deadLetterPath ? ` (records kept in ${se.deadLetterPath}; deliver them with --resume)` : ''));
    },
  };
}
