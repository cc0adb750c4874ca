import { Option, type Command } from 'commander';
import { UsageError, badFlag, errorMessage } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { DOC_TYPES } from '../../core/choices.js';
import { loadConfig } from '../../config/load.js';
import { flagNamesOf } from '../flag-names.js';
import { parseRatios } from '../../export/split.js';
import { SCRIPTS, type Script } from '../../export/text.js';
import { EXPORT_FORMATS, SOURCE_KINDS, type ExportFormat, type ExportOptions, type SourceKind } from '../../export/types.js';
import { createLogger } from '../../core/logger.js';

export interface ExportFlags {
  from?: string;
  format?: string;
  out?: string;
  force?: boolean;
  split?: string;
  splitBy?: string;
  seed?: string;
  margin?: string;
  minConfidence?: string;
  maxConfidence?: string;
  docType?: string;
  engine?: string;
  script?: string;
  redact?: boolean;
  dedup?: boolean;
  nearDup?: string;
  imagesRoot?: string;
  sourceKind?: string;
  limit?: string;
  concurrency?: string;
  config?: string;
  quiet?: boolean;
  jsonLog?: boolean;
}

const PROGRESS_EVERY_MS = 5_000;

/** A comma list checked against allowed values; undefined when the flag was not given. */
export function parseList<T extends string>(flag: string, text: string | undefined, allowed?: readonly T[]): T[] | null {
  if (text === undefined) return null;
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw badFlag(flag, text, 'must be a comma-separated list');
  if (allowed) {
    const bad = list.find((v) => !allowed.includes(v as T));
    if (bad !== undefined) throw badFlag(flag, text, `${list.length > 1 ? `${JSON.stringify(bad)} is not` : 'must be'} one of ${allowed.join(', ')}`);
  }
  return list as T[];
}

function parseIntFlag(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw badFlag(flag, text, `must be a whole number ≥ ${min}`);
  return n;
}

/** Maps export flags onto dotted config keys (undefined = not given). */
export function exportFlagsToConfig(f: ExportFlags): Record<string, unknown> {
  let ratios: { train: number; val: number; test: number } | undefined;
  if (f.split !== undefined) {
    try {
      ratios = parseRatios(f.split);
    } catch (err) {
      throw badFlag('--split', f.split, errorMessage(err));
    }
  }
  return {
    concurrency: f.concurrency,
    quiet: f.quiet,
    jsonLog: f.jsonLog,
    'export.format': f.format,
    'export.split.train': ratios?.train,
    'export.split.val': ratios?.val,
    'export.split.test': ratios?.test,
    'export.splitBy': f.splitBy,
    'export.seed': f.seed,
    'export.margin': f.margin,
    'export.minConfidence': f.minConfidence,
    'export.maxConfidence': f.maxConfidence,
    'export.dedup': f.dedup === false ? false : undefined,
    'export.nearDupCorrelation': f.nearDup,
    'export.redact': f.redact,
  };
}

const EXAMPLES = `
Examples:
  $ zakocr export --from ../shared/datasets/sroie-receipts --format tesstrain --out gt/
  $ zakocr export --from results.jsonl --min-confidence 0.95 --format paddle --out rec/ --redact
  $ zakocr export --from review-pkg/ --format hf --out hf/ --split 0.9,0.05,0.05
  $ zakocr export --from results.jsonl --format tesstrain --out ben/ --script bengali --engine paddle,tesseract

Sources: a labelled dataset folder (manifest.jsonl with box files or line images, box/ + img/, NAME.png +
NAME.gt.txt), a scan results .jsonl (OCR lines with confidence ≥ --min-confidence, plus reviewed lines),
or a review package after \`zakocr review import\` (its corrected lines).
Layouts: tesstrain <split>/NAME.png + NAME.gt.txt · paddle <split>/NAME.png + rec_gt_<split>.txt + dict.txt ·
hf train|validation|test/NAME.png + metadata.jsonl. Every export has manifest.json (provenance, counts, charset).
Exit codes: 0 done · 1 some source images were missing/changed (their lines are skipped) · 2 usage error`;

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('build a retraining set: line crops + labels in tesstrain, PaddleOCR or Hugging Face layout')
    .argument('[source]', 'same as --from')
    .option('--from <path>', 'labelled dataset folder, results .jsonl, or review package folder')
    .addOption(new Option('--format <layout>', 'output layout (default tesstrain)').choices([...EXPORT_FORMATS]))
    .option('-o, --out <dir>', 'output folder (must be new or empty; --force replaces an earlier export)')
    .option('--force', 'replace an earlier export in --out')
    .option('--split <ratios>', 'train,val,test fractions (default 0.8,0.1,0.1)')
    .addOption(new Option('--split-by <unit>', 'hash each line, or keep each source document in one split').choices(['line', 'document']))
    .option('--seed <text>', 'split seed (default zakocr)')
    .option('--margin <x>', 'margin around the line box, as a fraction of the line height (default 0.12)')
    .option('--min-confidence <x>', 'OCR lines need at least this confidence (default 0.9); labels and reviewed lines always pass')
    .option('--max-confidence <x>', 'OCR lines need at most this confidence (default 1)')
    .option('--doc-type <list>', `only documents of these types: ${DOC_TYPES.join(', ')}`)
    .option('--engine <list>', 'only OCR lines read by these engines (e.g. paddle,tesseract)')
    .option('--script <list>', `only lines in these scripts: ${SCRIPTS.join(', ')}`)
    .option('--redact', 'drop lines that look like personal data (phone, e-mail, card numbers)')
    .option('--no-dedup', 'keep identical and near-duplicate crops')
    .option('--near-dup <x>', 'aligned-pixel correlation (0..1) at which same-text, same-size crops are near-duplicates (default 0.98; 1 = off)')
    .option('--images-root <dir>', 'folder where relative image paths of a results file are looked up first')
    .addOption(new Option('--source-kind <kind>', 'force the source kind instead of detecting it').choices([...SOURCE_KINDS]))
    .option('--limit <n>', 'stop after this many exported lines')
    .option('-c, --concurrency <n>', 'images decoded at once (default: cores)')
    .option('--config <file>', 'config file')
    .option('-q, --quiet', 'no summary; only warnings and errors')
    .option('--json-log', 'log as JSON Lines on stderr')
    .addHelpText('after', EXAMPLES)
    .action(async (positional: string | undefined, flags: ExportFlags, cmd: Command) => {
      process.exitCode = await exportAction(positional, flags, flagNamesOf(cmd, exportFlagsToConfig));
    });
}

/** The export command: resolve options, run, summarise; returns the exit code. */
export async function exportAction(positional: string | undefined, flags: ExportFlags, flagNames?: Record<string, string>): Promise<number> {
  const from = flags.from ?? positional;
  if (!from) throw new UsageError('Nothing to export from: pass a dataset folder, results .jsonl or review package with --from');
  if (flags.from && positional && flags.from !== positional) throw new UsageError(`Two sources given (${positional} and --from ${flags.from}); pass one`);
  if (!flags.out) throw new UsageError('Missing --out <dir>: the folder the retraining set is written to');
  const { config } = await loadConfig({ configFile: flags.config, flags: exportFlagsToConfig(flags), flagNames });
  const log = createLogger({ json: config.jsonLog, quiet: config.quiet });
  const ex = config.export;
  if (ex.minConfidence > ex.maxConfidence) {
    throw new UsageError(`Expected --min-confidence (${ex.minConfidence}) ≤ --max-confidence (${ex.maxConfidence})`);
  }
  const opts: ExportOptions = {
    from,
    sourceKind: flags.sourceKind as SourceKind | undefined,
    format: ex.format as ExportFormat,
    out: flags.out,
    force: !!flags.force,
    ratios: { train: ex.split.train, val: ex.split.val, test: ex.split.test },
    splitBy: ex.splitBy as ExportOptions['splitBy'],
    seed: ex.seed,
    margin: ex.margin,
    dedup: ex.dedup,
    nearDupCorrelation: ex.nearDupCorrelation,
    filters: {
      minConfidence: ex.minConfidence,
      maxConfidence: ex.maxConfidence,
      docTypes: parseList('--doc-type', flags.docType, DOC_TYPES),
      engines: parseList('--engine', flags.engine),
      scripts: parseList<Script>('--script', flags.script, SCRIPTS),
      redact: ex.redact,
    },
    concurrency: config.concurrency,
    threads: config.concurrency,
    imagesRoot: flags.imagesRoot,
    limit: parseIntFlag('--limit', flags.limit, 0, 1),
    limits: { maxBytes: config.limits.maxBytes, maxPixels: config.limits.maxPixels, maxPagePixels: config.limits.maxPagePixels, maxPages: config.limits.maxPages, pdfDpi: config.preprocess.pdfDpi },
  };
  const { runExport } = await import('../../export/run.js');
  // Ctrl-C stops at the next image and removes the partial set; a second Ctrl-C quits at once.
  const abort = new AbortController();
  opts.signal = abort.signal;
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(ExitCode.interrupted);
    log.warn('interrupted: stopping the export and removing the partial set (Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // A plain progress line after the first image (the export is under way) and then every few seconds
  // (stderr; nothing with --quiet).
  let lastProgress = 0;
  let res;
  try {
    res = await runExport(opts, log, (p) => {
      if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = Date.now();
      log.info(`export: ${p.docsDone}/${p.docsTotal} images, ${p.exported} lines exported`);
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  const c = res.counts;
  const skipped = Object.entries(c.skipped)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  log.info(
    `exported ${c.exported} of ${c.input} lines (train ${c.train}, val ${c.val}, test ${c.test}) as ${res.format} to ${res.out} ` +
      `in ${(res.durationMs / 1000).toFixed(1)} s (${res.linesPerSecond.toFixed(0)} lines/s)` +
      (skipped ? `; skipped: ${skipped}` : ''),
    { counts: c, durationMs: res.durationMs },
  );
  return res.sourceProblems.length > 0 ? ExitCode.filesFailed : ExitCode.ok;
}
