import type pg from 'pg';
import type { ZakConfig } from '../config/defaults.js';
import { ZakocrError, errorMessage } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { redact } from '../core/redact.js';
import type { Logger, RunContext, RunSummary, Sink, ZakRecord } from '../core/types.js';
import { assertMigrated, migrate } from '../db/migrate.js';
import { migrationLabel } from '../db/migrations/index.js';
import { createPool, describePgUrl, isPermanentPgError, pgConnectRefusal, pgSecrets } from '../db/pool.js';
import { errorRow, jobRow, METRICS_COLUMNS, metricsValues, storableRecords, type ErrorRow, type JobRow } from '../db/rows.js';

/** Columns read from each JSON row by `jsonb_to_recordset` (the types PostgreSQL casts them to). */
const JOB_RECORDSET = `r(sha256 text, page integer, pipeline_version text, path text, bytes bigint, status text,
  doc_type text, engine text, engine_device text, engine_version text, barcodes jsonb, product_barcode text,
  error_code text, total_ms double precision, timings_ms jsonb, record jsonb, run_id text)`;

const JOB_SELECT = `SELECT r.sha256, r.page, r.pipeline_version, r.path, r.bytes, r.status, r.doc_type, r.engine,
  r.engine_device, r.engine_version, ARRAY(SELECT jsonb_array_elements_text(r.barcodes)), r.error_code, r.total_ms,
  r.timings_ms, r.record, r.run_id, (SELECT p.id FROM products p WHERE p.barcode = r.product_barcode)
  FROM jsonb_to_recordset($1::jsonb) AS ${JOB_RECORDSET}`;

const JOB_COLUMNS = `(sha256, page, pipeline_version, path, bytes, status, doc_type, engine, engine_device, engine_version,
  barcodes, error_code, total_ms, timings_ms, record, run_id, product_id)`;

/**
 * Re-runs replace a row with the newer result, except that a transient failure (timeout, engine crash)
 * never overwrites a good result of the same pipeline version. `xmax = 0` tells inserts from updates.
 */
const JOB_UPDATE = `DO UPDATE SET path = EXCLUDED.path, bytes = EXCLUDED.bytes, status = EXCLUDED.status,
  doc_type = EXCLUDED.doc_type, engine = EXCLUDED.engine, engine_device = EXCLUDED.engine_device,
  engine_version = EXCLUDED.engine_version, barcodes = EXCLUDED.barcodes, error_code = EXCLUDED.error_code,
  total_ms = EXCLUDED.total_ms, timings_ms = EXCLUDED.timings_ms, record = EXCLUDED.record, run_id = EXCLUDED.run_id,
  product_id = EXCLUDED.product_id, updated_at = now()
  WHERE NOT (EXCLUDED.status = 'failed' AND j.status <> 'failed')
  RETURNING (xmax = 0) AS inserted`;

const UPSERT_HASHED = `INSERT INTO ocr_processing_jobs AS j ${JOB_COLUMNS} ${JOB_SELECT} WHERE r.sha256 IS NOT NULL
  ON CONFLICT (sha256, (coalesce(page, -1)), pipeline_version) ${JOB_UPDATE}`;

const UPSERT_UNHASHED = `INSERT INTO ocr_processing_jobs AS j ${JOB_COLUMNS} ${JOB_SELECT} WHERE r.sha256 IS NULL
  ON CONFLICT (path, (coalesce(page, -1)), pipeline_version) WHERE sha256 IS NULL ${JOB_UPDATE}`;

const INSERT_ERRORS = `INSERT INTO ocr_error_logs (run_id, path, sha256, page, pipeline_version, code, message, stage)
  SELECT run_id, path, sha256, page, pipeline_version, code, message, stage
  FROM jsonb_to_recordset($1::jsonb) AS r(run_id text, path text, sha256 text, page integer, pipeline_version text,
    code text, message text, stage text)
  ON CONFLICT (run_id, path, (coalesce(page, -1))) DO NOTHING`;

/** Products created from these files get their job row linked once it exists. */
const LINK_PRODUCTS = `UPDATE products p SET source_job = j.id, updated_at = now()
  FROM ocr_processing_jobs j
  WHERE p.source_job IS NULL AND p.source_sha256 = ANY($1::text[]) AND j.sha256 = p.source_sha256
    AND j.pipeline_version = $2`;

const UPSERT_METRICS = `INSERT INTO ocr_model_metrics (${METRICS_COLUMNS.join(', ')})
  VALUES (${METRICS_COLUMNS.map((c, i) => `$${i + 1}${c === 'metrics' ? '::jsonb' : ''}`).join(', ')})
  ON CONFLICT (run_id, model, source) DO UPDATE SET
  ${METRICS_COLUMNS.filter((c) => !['run_id', 'model', 'source'].includes(c)).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;

/** Rows written so far by this sink. */
export interface PgSinkStats {
  inserted: number;
  updated: number;
  /** Conflicting rows left alone (a failure that would have replaced a good result). */
  kept: number;
  errorLogs: number;
}

/** Serialises rows for `jsonb_to_recordset`; PostgreSQL's jsonb refuses U+0000, so it becomes U+FFFD. */
export function rowsJson(rows: Array<JobRow | ErrorRow>): string {
  const json = JSON.stringify(rows);
  if (!json.includes('\\u0000')) return json;
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '\uFFFD') : v));
}

/** A statement failed for a reason a retry cannot fix (bad data, schema drift): dead-letter at once. */
export class PermanentSinkFailure extends ZakocrError {
  readonly retriable = false;
  constructor(message: string, cause: unknown) {
    super('sink_permanent', message, ExitCode.sinkFailed, { cause });
  }
}

/**
 * PostgreSQL sink: each `write` upserts its records into `ocr_processing_jobs` (one row per file/page,
 * idempotent on sha256 + page + pipeline version) and their failures into `ocr_error_logs`, in transactions
 * of at most `pg.batchSize` records. A write resolves only after COMMIT, so a dropped connection loses
 * nothing: the retry wrapper repeats the write and the upsert keeps it exactly-once.
 * `open` checks the schema: pending migrations are applied with `pg.migrate`, otherwise it fails (exit 2); a refused
 * password, user or database name fails it at once too (exit 2, `pgConnectRefusal`), while an unreachable server
 * is retried.
 */
export class PgSink implements Sink {
  readonly name = 'postgres';
  private pool: pg.Pool | null = null;
  private log: Logger | null = null;
  private readonly secrets: string[];
  readonly stats: PgSinkStats = { inserted: 0, updated: 0, kept: 0, errorLogs: 0 };

  constructor(private readonly cfg: ZakConfig['pg'], private readonly toolVersion?: string) {
    this.secrets = pgSecrets(cfg.url);
  }

  async open(ctx: RunContext): Promise<void> {
    this.log = ctx.log;
    this.pool ??= createPool(this.cfg, ctx.log, { applicationName: `zakocr ${ctx.runId}` });
    const client = await this.pool.connect().catch((err: unknown) => {
      // A wrong password, user or database name is a configuration error (exit 2 now), not an outage to retry.
      throw pgConnectRefusal(err, this.cfg.url!) ?? this.wrap(err, `cannot connect to ${describePgUrl(this.cfg.url!)}`);
    });
    try {
      if (this.cfg.migrate) {
        // The pipeline version is `<zakocr version>+<settings digest>`.
        const res = await migrate(client, { toolVersion: this.toolVersion ?? ctx.pipelineVersion.split('+')[0] });
        if (res.applied.length) ctx.log.info(`postgres: applied migrations ${res.applied.map(migrationLabel).join(', ')}`);
      } else {
        await assertMigrated(client, `zakocr db migrate --pg ${describePgUrl(this.cfg.url!)}`);
      }
    } finally {
      client.release();
    }
  }

  async write(records: ZakRecord[]): Promise<void> {
    const rows = storableRecords(records);
    for (let i = 0; i < rows.length; i += this.cfg.batchSize) {
      await this.transaction(rows.slice(i, i + this.cfg.batchSize));
    }
  }

  private async transaction(records: ZakRecord[]): Promise<void> {
    const pool = this.requirePool();
    const client = await pool.connect().catch((err: unknown) => {
      throw this.wrap(err, 'cannot connect');
    });
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const jobs = records.map(jobRow);
      const hashed = jobs.filter((j) => j.sha256 !== null);
      const counts = { inserted: 0, updated: 0, kept: 0 };
      for (const [sql, part] of [[UPSERT_HASHED, hashed], [UPSERT_UNHASHED, jobs.filter((j) => j.sha256 === null)]] as const) {
        if (part.length === 0) continue;
        const res = await client.query<{ inserted: boolean }>(sql, [rowsJson(part)]);
        const inserted = res.rows.filter((r) => r.inserted).length;
        counts.inserted += inserted;
        counts.updated += res.rows.length - inserted;
        counts.kept += part.length - res.rows.length;
      }
      const errors = records.map(errorRow).filter((e): e is ErrorRow => e !== null);
      const logged = errors.length ? (await client.query(INSERT_ERRORS, [rowsJson(errors)])).rowCount ?? 0 : 0;
      const created = [...new Set(records.filter((r) => r.product?.created).map((r) => r.sha256))];
      if (created.length) await client.query(LINK_PRODUCTS, [created, records[0].pipelineVersion]);
      await client.query('COMMIT');
      this.stats.inserted += counts.inserted;
      this.stats.updated += counts.updated;
      this.stats.kept += counts.kept;
      this.stats.errorLogs += logged;
    } catch (err) {
      broken = err;
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.wrap(err, `writing ${records.length} records failed`);
    } finally {
      // A client whose connection failed is destroyed rather than returned to the pool.
      client.release(broken !== undefined && !isPermanentPgError(broken) ? true : undefined);
    }
  }

  async flush(): Promise<void> {
    // Every write commits before it resolves: nothing is buffered here.
  }

  /** Run-level figures into `ocr_model_metrics` (one row per run and engine/model set, upserted). */
  async summarize(summary: RunSummary): Promise<void> {
    try {
      await this.requirePool().query(UPSERT_METRICS, metricsValues(summary));
    } catch (err) {
      throw this.wrap(err, 'writing run metrics failed');
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (!pool) return;
    const s = this.stats;
    this.log?.debug(`postgres: ${s.inserted} rows inserted, ${s.updated} updated, ${s.kept} kept, ${s.errorLogs} error logs`);
    await pool.end();
  }

  private requirePool(): pg.Pool {
    if (!this.pool) throw new ZakocrError('sink_closed', 'postgres sink is not open', ExitCode.internal);
    return this.pool;
  }

  /** Foreign errors become messages without secrets; data/schema errors are marked permanent. */
  private wrap(err: unknown, what: string): Error {
    if (err instanceof ZakocrError) return err;
    const code = (err as { code?: unknown }).code;
    const msg = `postgres: ${what}: ${redact(errorMessage(err), this.secrets)}${typeof code === 'string' ? ` (${code})` : ''}`;
    if (isPermanentPgError(err)) return new PermanentSinkFailure(msg, new Error(msg));
    return Object.assign(new Error(msg), { code });
  }
}

/** Creates the PostgreSQL sink for `pg.url` (the caller wraps it with retries and dead-lettering). */
export function createPgSink(cfg: ZakConfig['pg'], toolVersion?: string): Sink {
  return new PgSink(cfg, toolVersion);
}
