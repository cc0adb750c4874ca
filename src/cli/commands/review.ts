import path from 'node:path';
import type { Command } from 'commander';
import { UsageError, badFlag } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { loadConfig } from '../../config/load.js';
import { flagNamesOf } from '../flag-names.js';
import type { ZakConfig } from '../../config/defaults.js';
import { createLogger } from '../../core/logger.js';
import { secretsOf } from './scan.js';

interface CommonFlags {
  config?: string;
  quiet?: boolean;
  jsonLog?: boolean;
  pg?: string | boolean;
}

export interface ReviewExportFlags extends CommonFlags {
  from?: string;
  out?: string;
  force?: boolean;
  maxLineConfidence?: string;
  minFieldConfidence?: string;
  maxRows?: string;
  cropMargin?: string;
  imagesRoot?: string;
  run?: string;
}

export interface ReviewImportFlags extends CommonFlags {
  package?: string;
  results?: string;
  dryRun?: boolean;
}

const EXAMPLES = `
Examples:
  $ zakocr review export --from zakocr-results.jsonl --out review/      # review/review.csv + review/crops/
  $ zakocr review export --pg postgres://zak@db/pos --out review/       # from the ocr_processing_jobs table
    … fill in the "corrected" column (copy the text to confirm it), save as CSV UTF-8 …
  $ zakocr review import review/review.csv                             # applies to the results file it came from
  $ zakocr export --from review/ --format tesstrain --out gt/           # corrected lines as training data

The sheet has one row per doubtful line or field: row_id, file, page, kind, current_text, confidence, engine,
crop (image path inside the package), corrected. Empty "corrected" = not reviewed. Fields take numbers
(1250.50) or dates (YYYY-MM-DD). Import checks everything first (row, column, UTF-8, crop paths) and changes
nothing when something is wrong; importing the same sheet twice changes nothing.`;

/** `--pg` without a value means "use pg.url / DATABASE_URL". */
function pgFlag(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

async function setup(flags: CommonFlags, extra: Record<string, unknown>, flagNames?: Record<string, string>) {
  const { config } = await loadConfig({ configFile: flags.config, flags: { quiet: flags.quiet, jsonLog: flags.jsonLog, 'pg.url': pgFlag(flags.pg), ...extra }, flagNames });
  const log = createLogger({ json: config.jsonLog, quiet: config.quiet, secrets: secretsOf(config) });
  return { config, log };
}

async function openPool(config: ZakConfig) {
  const { createPool, describePgUrl } = await import('../../db/pool.js');
  const { assertMigrated } = await import('../../db/migrate.js');
  const pool = createPool(config.pg, undefined, { max: 2, applicationName: 'zakocr review' });
  await assertMigrated(pool, `zakocr db migrate --pg ${describePgUrl(config.pg.url!)}`);
  return { pool, describe: describePgUrl(config.pg.url!) };
}

export function registerReviewCommand(program: Command): void {
  const review = program
    .command('review')
    .description('doubtful results out to a CSV for people to check, and their corrections back in (the manual fallback)')
    .addHelpText('after', EXAMPLES);

  review
    .command('export')
    .description('write a review package (review.csv + crops) for low-confidence lines and doubtful or missing fields')
    .argument('[results]', 'results .jsonl (same as --from)')
    .option('--from <results.jsonl>', 'scan results to review')
    .option('--pg [url]', 'read the records from PostgreSQL (ocr_processing_jobs) instead; URL or pg.url / DATABASE_URL')
    .option('--run <id>', 'with --pg: only this run id')
    .option('-o, --out <dir>', 'package folder (new or empty; --force replaces an earlier package)')
    .option('--force', 'replace an earlier package in --out')
    .option('--max-line-confidence <x>', 'lines under this confidence get a row (default 0.8)')
    .option('--min-field-confidence <x>', 'fields under this confidence get a row (default extract.minFieldConfidence, 0.5)')
    .option('--max-rows <n>', 'most rows in the sheet, least confident first (default 5000)')
    .option('--crop-margin <x>', 'context around a line crop, in line heights (default 0.3)')
    .option('--images-root <dir>', 'folder where relative image paths of the records are looked up first')
    .option('--config <file>', 'config file')
    .option('-q, --quiet', 'no summary')
    .option('--json-log', 'log as JSON Lines on stderr')
    .addHelpText('after', `
Examples:
  $ zakocr review export --from zakocr-results.jsonl --out review/      # review/review.csv + review/crops/
  $ zakocr review export --pg --run "$RUN_ID" --out review/              # one run's records from PostgreSQL
  $ zakocr review export --from results.jsonl --out review/ --max-line-confidence 0.9 --max-rows 500`)
    .action(async (positional: string | undefined, flags: ReviewExportFlags, cmd: Command) => {
      process.exitCode = await reviewExportAction(positional, flags, flagNamesOf(cmd, reviewExportFlagsToConfig));
    });

  review
    .command('import')
    .description('validate an edited review.csv and apply it to the results (JSONL and/or PostgreSQL); keeps verified lines as ground truth')
    .argument('<csv>', 'the edited review.csv')
    .option('--package <dir>', 'the review package the CSV belongs to (default: the CSV\'s folder)')
    .option('--results <file>', 'results .jsonl to update (default: the file the package was made from)')
    .option('--pg [url]', 'also update PostgreSQL (ocr_processing_jobs); URL or pg.url / DATABASE_URL')
    .option('--dry-run', 'check the sheet against the package and the results, say what would change, change nothing')
    .option('--config <file>', 'config file')
    .option('-q, --quiet', 'no summary')
    .option('--json-log', 'log as JSON Lines on stderr')
    .addHelpText('after', `
Examples:
  $ zakocr review import review/review.csv --dry-run   # check the sheet, say what would change
  $ zakocr review import review/review.csv             # apply to the results file the package came from
  $ zakocr review import review/review.csv --pg        # and to PostgreSQL (pg.url / DATABASE_URL)`)
    .action(async (csv: string, flags: ReviewImportFlags) => {
      process.exitCode = await reviewImportAction(csv, flags);
    });
}

/** `review export` flags onto dotted config keys (undefined = not given). */
export function reviewExportFlagsToConfig(f: ReviewExportFlags): Record<string, unknown> {
  return {
    'review.maxLineConfidence': f.maxLineConfidence,
    'extract.minFieldConfidence': f.minFieldConfidence,
    'review.maxRows': f.maxRows,
    'review.cropMargin': f.cropMargin,
  };
}

export async function reviewExportAction(positional: string | undefined, flags: ReviewExportFlags, flagNames?: Record<string, string>): Promise<number> {
  const from = flags.from ?? positional;
  if (from && flags.pg !== undefined) throw new UsageError('Pass either a results file or --pg, not both');
  if (!from && flags.pg === undefined) throw new UsageError('Nothing to review: pass a results .jsonl (--from) or --pg');
  if (!flags.out) throw new UsageError('Missing --out <dir>: the folder the review package is written to');
  if (flags.maxRows !== undefined && !/^\d+$/.test(flags.maxRows)) throw badFlag('--max-rows', flags.maxRows, 'must be a whole number');
  const { config, log } = await setup(flags, reviewExportFlagsToConfig(flags), flagNames);
  const { runReviewExport } = await import('../../review/package.js');
  let pool: Awaited<ReturnType<typeof openPool>> | null = null;
  try {
    let source: import('../../review/package.js').RecordSource;
    if (from) {
      source = { kind: 'jsonl', path: from };
    } else {
      pool = await openPool(config);
      const { pgReviewRecords } = await import('../../review/pg.js');
      const p = pool.pool;
      source = { kind: 'pg', describe: pool.describe, records: () => pgReviewRecords(p, config.review.maxLineConfidence, flags.run) };
    }
    const res = await runReviewExport(
      {
        source,
        out: flags.out,
        force: !!flags.force,
        select: { maxLineConfidence: config.review.maxLineConfidence, minFieldConfidence: config.extract.minFieldConfidence },
        maxRows: config.review.maxRows,
        cropMargin: config.review.cropMargin,
        imagesRoot: flags.imagesRoot,
        limits: { maxBytes: config.limits.maxBytes, maxPixels: config.limits.maxPixels, maxPagePixels: config.limits.maxPagePixels, maxPages: config.limits.maxPages, pdfDpi: config.preprocess.pdfDpi },
      },
      log,
    );
    const c = res.index.counts;
    log.info(
      `review package ${res.out}: ${c.rows} rows (${c.lineRows} lines, ${c.fieldRows} fields) from ${c.recordsWithRows} of ${c.records} records` +
        (c.rowsDropped ? `; ${c.rowsDropped} more rows over --max-rows left out` : '') +
        (c.missingImages ? `; ${c.missingImages} images not found (rows without crops)` : '') +
        `\nedit ${path.join(res.out, 'review.csv')} (column "corrected"), then: zakocr review import ${path.join(res.out, 'review.csv')}`,
      { counts: c },
    );
    return ExitCode.ok;
  } finally {
    await pool?.pool.end();
  }
}

export async function reviewImportAction(csv: string, flags: ReviewImportFlags): Promise<number> {
  const { config, log } = await setup(flags, {});
  const { loadPackage, jsonlTarget, defaultResultsFile, runReviewImport } = await import('../../review/import.js');
  const pkg = await loadPackage(path.resolve(flags.package ?? path.dirname(csv)));
  const targets: import('../../review/import.js').ApplyTarget[] = [];
  const results = flags.results ?? (await defaultResultsFile(pkg));
  if (results) targets.push(jsonlTarget(path.resolve(results)));
  let pool: Awaited<ReturnType<typeof openPool>> | null = null;
  try {
    if (flags.pg !== undefined || (pkg.index.source.kind === 'pg' && config.pg.url)) {
      pool = await openPool(config);
      const { pgTarget } = await import('../../review/pg.js');
      targets.push(pgTarget(pool.pool, pool.describe));
    }
    if (targets.length === 0) {
      throw new UsageError(`Nowhere to apply the corrections: the package's results file (${pkg.index.source.path}) is gone`, {
        hint: 'Pass --results <file.jsonl> and/or --pg <url>',
      });
    }
    const res = await runReviewImport({ csv, pkg, targets, dryRun: !!flags.dryRun });
    const changed = flags.dryRun ? 'to change' : 'changed';
    const per = Object.entries(res.changed)
      .map(([t, n]) => `${t}: ${n} record${n === 1 ? '' : 's'} ${changed}`)
      .join('; ');
    const gt = `${res.groundTruthRows} lines in ${path.join(pkg.dir, 'ground-truth.jsonl')}${res.groundTruthChanged ? '' : ' (unchanged)'}`;
    log.info(
      `${flags.dryRun ? 'dry run, nothing written: would import' : 'imported'} ${res.corrections} correction${res.corrections === 1 ? '' : 's'} ` +
        `(${res.linesVerified} lines, ${res.fieldsVerified} fields); ${per}; ground truth: ${gt}`,
      { ...res },
    );
    return ExitCode.ok;
  } finally {
    await pool?.pool.end();
  }
}
