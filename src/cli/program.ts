import { Command } from 'commander';
import { ExitCode } from '../core/exit-codes.js';
import { ZAKOCR_VERSION } from '../core/version.js';
import { reportError } from './exit.js';
import { registerScanCommand } from './commands/scan.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerDbCommand } from './commands/db.js';
import { registerExportCommand } from './commands/export.js';
import { registerReviewCommand } from './commands/review.js';
import { registerQueueCommand } from './commands/queue.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSchemaCommand } from './commands/schema.js';

const EXAMPLES = `
Examples:
  $ zakocr scan ./invoices                      # every image and PDF below → zakocr-results.jsonl + a summary
  $ zakocr scan "photos/**/*.jpg" --list        # only list what would be scanned
  $ find /mnt/shop -name '*.png' | zakocr scan - --out rows.csv
  $ zakocr doctor                               # models, language data, native libraries, database, broker
  $ zakocr bench ./labelled --baseline bench/baseline.json
  $ zakocr serve --port 8080                    # the same pipeline over HTTP
  $ zakocr --version --verbose                  # every component's version

Run zakocr <command> --help for its flags, examples and exit codes.`;

/** Builds the command tree. Each command lives in `commands/<name>.ts`. */
export function buildProgram(): Command {
  const program = new Command('zakocr')
    .description('Batch OCR for ZakPOS: receipts, invoices, labels and price tags → structured rows (files, PostgreSQL, Kafka)')
    // Handled in `main` before commander runs (see `programFlags`); declared here for the help text.
    .option('-V, --version', 'print the version (with -v: every component: pipeline, models, runtimes)')
    .option('-v, --verbose', 'with --version: every component; before a command: that command\'s --verbose')
    // Options before the command are zakocr's, after it the command's: `scan -v` is scan's verbose, not -V.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', EXAMPLES);
  registerScanCommand(program);
  registerBenchCommand(program);
  registerDoctorCommand(program);
  registerDbCommand(program);
  registerExportCommand(program);
  registerReviewCommand(program);
  registerQueueCommand(program);
  registerWorkerCommand(program);
  registerServeCommand(program);
  registerSchemaCommand(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/**
 * The flags given before the command (`zakocr -Vv scan …` → V, v), long ones as written, short groups letter by
 * letter. `--version` is answered from these before commander parses: its own version option prints as soon as it
 * is seen, before a `--verbose` that follows.
 */
export function programFlags(args: readonly string[]): Set<string> {
  const flags = new Set<string>();
  for (const a of args) {
    if (!a.startsWith('-') || a === '-' || a === '--') break;
    if (a.startsWith('--')) flags.add(a);
    else for (const letter of a.slice(1)) flags.add(`-${letter}`);
  }
  return flags;
}

/** CLI entry: never throws; sets the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const flags = programFlags(argv.slice(2));
    if (flags.has('--version') || flags.has('-V')) {
      if (flags.has('--verbose') || flags.has('-v')) {
        const { formatVersions } = await import('./versions.js');
        process.stdout.write((await formatVersions()) + '\n');
      } else process.stdout.write(ZAKOCR_VERSION + '\n');
      return ExitCode.ok;
    }
    const program = buildProgram();
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}
