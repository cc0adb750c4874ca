import os from 'node:os';
import { Option, type Command } from 'commander';
import { ExitCode } from '../../core/exit-codes.js';
import { exitNow } from '../../core/exit-cleanup.js';
import { loadConfig } from '../../config/load.js';
import type { ZakConfig } from '../../config/defaults.js';
import type { ScanEvent } from '../../pipeline/run-scan.js';
import { addAnalysisOptions } from '../pipeline-options.js';
import { flagNamesOf } from '../flag-names.js';
import { checkInputs } from '../../source/walk.js';
import { listInputs, withIgnores } from '../scan-inputs.js';
import type { DisplayFlags } from '../scan-output.js';

export interface ScanFlags extends DisplayFlags {
  ignore?: string[];
  list?: boolean;
  out?: string[];
  concurrency?: string;
  lang?: string;
  engine?: string;
  device?: string;
  precision?: string;
  resume?: boolean;
  force?: boolean;
  quiet?: boolean;
  jsonLog?: boolean;
  failFast?: boolean;
  strict?: boolean;
  config?: string;
  manifest?: string;
  minLineConfidence?: string;
  minQuality?: string;
  minFieldConfidence?: string;
  barcodeFormats?: string;
  barcodesOnly?: boolean;
  barcodes?: boolean;
  preprocess?: boolean;
  catalog?: string;
  createProducts?: boolean;
  pg?: string;
  migrate?: boolean;
  kafka?: string;
  timeout?: string;
  shard?: string;
  cache?: string;
}

/** Maps scan flags onto dotted config keys (undefined = not given: lower layers win). */
export function scanFlagsToConfig(f: ScanFlags): Record<string, unknown> {
  return {
    out: f.out,
    concurrency: f.concurrency,
    lang: f.lang,
    engine: f.barcodesOnly ? 'none' : f.engine,
    device: f.device,
    'ocr.paddle.precision': f.precision,
    resume: f.resume,
    force: f.force,
    quiet: f.quiet,
    jsonLog: f.jsonLog,
    failFast: f.failFast,
    strict: f.strict,
    manifest: f.manifest,
    'ocr.minLineConfidence': f.minLineConfidence,
    'preprocess.minQuality': f.minQuality,
    'extract.minFieldConfidence': f.minFieldConfidence,
    'barcode.formats': f.barcodeFormats,
    'barcode.enabled': f.barcodes === false ? false : f.barcodesOnly ? true : undefined,
    // Barcode-only runs read the original page: no clean-up and no quality analysis (it costs more than decoding).
    'preprocess.enabled': f.preprocess === false || f.barcodesOnly ? false : undefined,
    'preprocess.quality': f.barcodesOnly ? false : undefined,
    catalog: f.catalog,
    createProducts: f.createProducts,
    'pg.url': f.pg,
    'pg.migrate': f.migrate,
    'kafka.brokers': f.kafka,
    'limits.timeoutMs': f.timeout,
    shard: f.shard,
    'cache.url': f.cache,
  };
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const EXAMPLES = `
Examples:
  $ zakocr scan ./invoices                         # → zakocr-results.jsonl + a summary
  $ zakocr scan "photos/**/*.jpg" --out rows.csv --out rows.jsonl
  $ zakocr scan ./labels --lang eng+ben --engine auto --concurrency 2
  $ zakocr scan ./big-import --out results.jsonl --resume   # continue after Ctrl-C
  $ zakocr scan ./shelf --barcodes-only --catalog products.csv
  $ zakocr scan ./invoices --pg postgres://user@db/pos --kafka broker:9092
  $ zakocr scan ./receipts --out - | jq .fields.total
  $ zakocr scan /mnt/batch --shard 0/4 --out shard-0.jsonl   # host 1 of 4; the others run 1/4, 2/4, 3/4
  $ zakocr scan ./nightly --cache redis://cache:6379/6       # shared results across runs and machines

Exit codes: 0 all ok · 1 some files failed (or need review with --strict) · 2 usage/config error ·
3 a sink failed (dead-letter written) or the disk is full · 70 internal error · 130 interrupted by Ctrl-C, 143 by SIGTERM
(both resumable with --resume)`;

export function registerScanCommand(program: Command): void {
  const scan = program
    .command('scan')
    .description('OCR every image/PDF under the given paths or globs and write one record per file/page')
    .argument('<inputs...>', 'files, folders (recursed) or quoted globs')
    .option('-o, --out <file>', 'output file: .jsonl, .json or .csv by extension, - for JSON Lines on stdout (repeatable; default zakocr-results.jsonl)', collect)
    .option('-c, --concurrency <n>', `files processed at once (default: cores = ${os.availableParallelism?.() ?? os.cpus().length})`)
    .option('--resume', 'skip files the run manifest already has (same sha256 + pipeline version); keep their results')
    .option('--force', 'process every file again even with --resume or resume:true in config')
    .option('--fail-fast', 'stop at the first failed file (results so far are kept)')
    .option('--strict', 'exit 1 also when files need review')
    .option('--manifest <file>', 'run manifest path (default: .zakocr-manifest.jsonl beside the first output)')
    .option('--shard <i/N>', 'only shard i (0-based) of N, split by a hash of the path below each input (parallel hosts, Kubernetes Indexed Jobs)')
    .addHelpText('after', EXAMPLES);
  addAnalysisOptions(scan)
    .action(async (inputs: string[], _flags: ScanFlags, cmd: Command) => {
      // With the program's own: `zakocr -v scan …` is as verbose as `zakocr scan -v …`.
      process.exitCode = await scanAction(inputs, cmd.optsWithGlobals<ScanFlags>(), flagNamesOf(cmd, scanFlagsToConfig));
    });
  addInputAndDisplayOptions(scan);
}

/** Which files are read, and how the run is shown (no config keys: they change what is printed, not the results). */
function addInputAndDisplayOptions(scan: Command): void {
  scan
    .option('--ignore <glob>', 'leave out what this .gitignore-style pattern matches, e.g. "archive/" or "*.pdf" (repeatable; same as a "!glob" input; see also .zakocrignore)', collect)
    .option('--list', 'print the files a scan would read, one per line, and exit (0; 2 when nothing matches); starts no engine')
    .addOption(new Option('-v, --verbose', 'one line per file plus its stage timings (no live display)').conflicts('quiet'))
    .addOption(new Option('--debug', 'as --verbose, plus the engine decisions per page (lines per engine, re-reads, orientation, quality) and debug messages').conflicts('quiet'))
    .option('--color', 'colour the output even when it is not a terminal (wins over NO_COLOR and FORCE_COLOR)')
    .option('--no-color', 'never colour the output');
}

/** The scan command: load config, run, report; returns the exit code. Errors propagate to `cli/exit.ts`. */
export async function scanAction(given: string[], flags: ScanFlags, flagNames?: Record<string, string>): Promise<number> {
  const inputs = withIgnores(given, flags.ignore);
  if (flags.list) return listInputs(inputs);
  const { config } = await loadConfig({ configFile: flags.config, flags: scanFlagsToConfig(flags), flagNames });
  // Loaded here, not at the top: `zakocr --help` and the other commands should not pay for the pipeline and the UI.
  const [{ runScan }, { openScanOutput }] = await Promise.all([import('../../pipeline/run-scan.js'), import('../scan-output.js')]);
  const secrets = secretsOf(config);
  // Before the display says it is loading anything: a missing input or a glob matching nothing is the only output.
  await checkInputs(inputs);
  const output = await openScanOutput({ config, inputs, flags, secrets });
  const log = output.log;
  const abort = new AbortController();
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) {
      // Second signal: quit now, but cleanly (temp files removed, locks released; the journal keeps what finished).
      exitNow(exitCodeOf(signalled));
      return;
    }
    signalled = sig;
    log.warn(`${sig === 'SIGTERM' ? 'terminated' : 'interrupted'}: finishing the files in progress and flushing results (${sig === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'} again to quit now)`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runScan({
      inputs,
      config,
      log,
      signal: abort.signal,
      onEvent: (e: ScanEvent) => output.event(e),
    });
    const code = result.interrupted && signalled ? exitCodeOf(signalled) : result.exitCode;
    output.finish(result, code);
    return code;
  } finally {
    output.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** 130 after SIGINT, 143 after SIGTERM (what shells, Kubernetes and systemd expect). Pure. */
function exitCodeOf(sig: NodeJS.Signals): number {
  return sig === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}

export function secretsOf(config: ZakConfig): Array<string | null> {
  const secrets: Array<string | null> = [config.kafka.saslPassword];
  if (config.pg.url) {
    try {
      secrets.push(decodeURIComponent(new URL(config.pg.url).password) || null);
    } catch {
      /* not a URL: nothing to pick out */
    }
  }
  return secrets;
}
