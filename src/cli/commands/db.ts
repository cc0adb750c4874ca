import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { ZakocrError, errorMessage } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { migrate, schemaStatus } from '../../db/migrate.js';
import { MIGRATIONS, migrationLabel } from '../../db/migrations/index.js';
import { createPool, describePgUrl, pgSecrets } from '../../db/pool.js';
import { ZAKOCR_VERSION } from '../../core/version.js';
import { createLogger } from '../../core/logger.js';

interface DbFlags {
  pg?: string;
  config?: string;
}

const EXAMPLES = `
Examples:
  $ zakocr db migrate --pg postgres://postgres@127.0.0.1:5432/zakocr
  $ DATABASE_URL=postgres://app:secret@db/pos zakocr db migrate
  $ zakocr db status --pg postgres://postgres@127.0.0.1:5432/zakocr

Tables: ocr_processing_jobs, ocr_model_metrics, ocr_error_logs, products (versions in zakocr_schema_migrations).`;

/** `zakocr db migrate` applies pending schema migrations; `zakocr db status` lists applied and pending ones. */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('PostgreSQL schema: migrate, status').addHelpText('after', EXAMPLES);
  db.command('migrate')
    .exitOverride()
    .description('create or upgrade the PostgreSQL schema (versioned migrations, each in its own transaction)')
    .option('--pg <url>', 'PostgreSQL URL (or DATABASE_URL)')
    .option('--config <file>', 'config file')
    .addHelpText('after', `
Examples:
  $ zakocr db migrate --pg postgres://postgres@127.0.0.1:5432/zakocr
  $ DATABASE_URL=postgres://app:secret@db/pos zakocr db migrate   # safe to run again: applies only what is pending`)
    .action(async (flags: DbFlags) => {
      process.exitCode = await withPool(flags, async (client, url, log) => {
        const res = await migrate(client, {
          toolVersion: ZAKOCR_VERSION,
          onApplied: (m) => log.info(`applied ${migrationLabel(m)}`),
        });
        log.info(res.applied.length
          ? `${describePgUrl(url)}: ${res.applied.length} migration(s) applied; schema at version ${MIGRATIONS[MIGRATIONS.length - 1].version}`
          : `${describePgUrl(url)}: schema up to date (version ${MIGRATIONS[MIGRATIONS.length - 1].version}), nothing to apply`);
        return ExitCode.ok;
      });
    });
  db.command('status')
    .exitOverride()
    .description('list applied and pending migrations; exit 1 when some are pending')
    .option('--pg <url>', 'PostgreSQL URL (or DATABASE_URL)')
    .option('--config <file>', 'config file')
    .addHelpText('after', `
Examples:
  $ zakocr db status --pg postgres://postgres@127.0.0.1:5432/zakocr
  $ zakocr db status || zakocr db migrate       # exit 1 while migrations are pending (DATABASE_URL)`)
    .action(async (flags: DbFlags) => {
      process.exitCode = await withPool(flags, async (client, url, log) => {
        const s = await schemaStatus(client);
        for (const a of s.applied) log.info(`applied  ${migrationLabel(a)}  ${a.appliedAt.toISOString()}`);
        for (const p of s.pending) log.info(`pending  ${migrationLabel(p)}`);
        for (const u of s.unknown) log.warn(`unknown  ${migrationLabel(u)} (applied by a newer zakocr)`);
        for (const c of s.changed) log.warn(`changed  ${migrationLabel(c)} (differs from this zakocr's migration)`);
        if (s.pending.length) log.info(`run: zakocr db migrate --pg ${describePgUrl(url)}`);
        return s.pending.length || s.unknown.length || s.changed.length ? ExitCode.filesFailed : ExitCode.ok;
      });
    });
}

async function withPool(
  flags: DbFlags,
  body: (client: import('pg').PoolClient, url: string, log: ReturnType<typeof createLogger>) => Promise<number>,
): Promise<number> {
  const { config } = await loadConfig({ configFile: flags.config, flags: { 'pg.url': flags.pg } });
  const url = config.pg.url;
  const log = createLogger({ json: config.jsonLog, quiet: false, secrets: pgSecrets(url) });
  const pool = createPool(config.pg, log, { max: 1, applicationName: 'zakocr db' });
  try {
    const client = await pool.connect().catch((err: unknown) => {
      throw new ZakocrError('db_unreachable', `Cannot connect to ${describePgUrl(url!)}: ${errorMessage(err)}`, ExitCode.usage, {
        hint: 'Check the URL, that the server runs (pg_isready) and accepts this user; `zakocr doctor --pg URL` checks it too.',
      });
    });
    try {
      return await body(client, url!, log);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}
