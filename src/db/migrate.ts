import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ZakocrError, ConfigError, errorMessage } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { MIGRATIONS, migrationLabel, type Migration } from './migrations/index.js';

/** Holds the applied versions; created by the first `db migrate`. */
export const MIGRATIONS_TABLE = 'zakocr_schema_migrations';
/** pg_advisory_lock key: two `db migrate` runs against one database wait for each other. */
const MIGRATE_LOCK_KEY = 7_466_011_223;

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

export interface SchemaStatus {
  applied: AppliedMigration[];
  pending: Migration[];
  /** Applied versions this build does not know (a newer zakocr migrated the database). */
  unknown: AppliedMigration[];
  /** Applied migrations whose SQL differs from this build's (edited after release). */
  changed: AppliedMigration[];
}

/** SHA-256 of a migration's SQL, stored when applied so later edits are detected. */
export function migrationChecksum(m: Migration): string {
  return createHash('sha256').update(m.sql.trim()).digest('hex');
}

/** Compares what a database has applied with the migrations this build knows. Pure. */
export function compareMigrations(applied: AppliedMigration[], known: readonly Migration[] = MIGRATIONS): SchemaStatus {
  const byVersion = new Map(applied.map((a) => [a.version, a]));
  const knownVersions = new Set(known.map((m) => m.version));
  return {
    applied,
    pending: known.filter((m) => !byVersion.has(m.version)),
    unknown: applied.filter((a) => !knownVersions.has(a.version)),
    changed: known.filter((m) => byVersion.has(m.version) && byVersion.get(m.version)!.checksum !== migrationChecksum(m))
      .map((m) => byVersion.get(m.version)!),
  };
}

/** Reads the applied migrations (none when the table does not exist yet). */
export async function readApplied(db: Queryable): Promise<AppliedMigration[]> {
  const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [MIGRATIONS_TABLE]);
  if (!exists.rows[0]?.t) return [];
  const res = await db.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
    `SELECT version, name, checksum, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY version`,
  );
  return res.rows.map((r) => ({ version: r.version, name: r.name, checksum: r.checksum, appliedAt: r.applied_at }));
}

export async function schemaStatus(db: Queryable, known: readonly Migration[] = MIGRATIONS): Promise<SchemaStatus> {
  return compareMigrations(await readApplied(db), known);
}

/** A database migrated by a newer zakocr, or whose applied migrations were edited: refuse to write into it. */
export class SchemaMismatchError extends ZakocrError {
  constructor(message: string, hint?: string) {
    super('schema_mismatch', message, ExitCode.usage, { hint });
  }
}

function assertCompatible(status: SchemaStatus): void {
  if (status.unknown.length > 0) {
    throw new SchemaMismatchError(
      `The database has migrations this zakocr does not know: ${status.unknown.map(migrationLabel).join(', ')}`,
      'Upgrade zakocr to the version that migrated this database.',
    );
  }
  if (status.changed.length > 0) {
    throw new SchemaMismatchError(
      `Applied migrations differ from this zakocr's: ${status.changed.map(migrationLabel).join(', ')}`,
      'Released migrations must never be edited; add a new migration instead.',
    );
  }
}

/**
 * Checks that every known migration is applied (the PostgreSQL sink calls it at open).
 * @throws ConfigError (exit 2) naming the missing migrations and the command that applies them.
 * @throws SchemaMismatchError when the database is newer than this build or a migration was edited.
 */
export async function assertMigrated(db: Queryable, migrateCommand: string, known: readonly Migration[] = MIGRATIONS): Promise<void> {
  const status = await schemaStatus(db, known);
  assertCompatible(status);
  if (status.pending.length > 0) {
    throw new ConfigError(
      'pg.migrate',
      `The PostgreSQL schema is missing migrations ${status.pending.map(migrationLabel).join(', ')}`,
      { hint: `Run: ${migrateCommand}   (or add --migrate to this scan)` },
    );
  }
}

export interface MigrateResult {
  applied: Migration[];
  alreadyApplied: number;
}

export interface MigrateOptions {
  known?: readonly Migration[];
  /** Stored beside each applied migration (zakocr's package version). */
  toolVersion?: string;
  onApplied?: (m: Migration) => void;
}

/**
 * Applies pending migrations in order, each in its own transaction together with its row in
 * `zakocr_schema_migrations`, under an advisory lock so concurrent runs apply each exactly once.
 * @throws SchemaMismatchError | ZakocrError wrapping the failing statement (the failed migration is rolled back).
 */
export async function migrate(client: pg.ClientBase, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const known = opts.known ?? MIGRATIONS;
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
      version        integer PRIMARY KEY,
      name           text NOT NULL,
      checksum       text NOT NULL,
      applied_at     timestamptz NOT NULL DEFAULT now(),
      zakocr_version text
    )`);
    const status = await schemaStatus(client, known);
    assertCompatible(status);
    const applied: Migration[] = [];
    for (const m of [...status.pending].sort((a, b) => a.version - b.version)) {
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum, zakocr_version) VALUES ($1, $2, $3, $4)`,
          [m.version, m.name, migrationChecksum(m), opts.toolVersion ?? null]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new ZakocrError('migration_failed', `Migration ${migrationLabel(m)} failed and was rolled back: ${errorMessage(err)}`,
          ExitCode.usage, { cause: err });
      }
      applied.push(m);
      opts.onApplied?.(m);
    }
    return { applied, alreadyApplied: status.applied.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK_KEY]).catch(() => undefined);
  }
}
