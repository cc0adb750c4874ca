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

/** Builds the command tree. Each command lives in `commands/<name>.ts`. */
export function buildProgram(): Command {
  const program = new Command('zakocr')
    .description('Batch OCR for ZakPOS: receipts, invoices, labels and price tags → structured rows (files, PostgreSQL, Kafka)')
    .version(ZAKOCR_VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
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

/** CLI entry: never throws; sets the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = buildProgram();
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}
