/**
 * Writes bench results to PostgreSQL `ocr_model_metrics` (source 'bench'), one row per variant,
 * through the sinks engineer's pool, migration check and row builder (`db/`). Re-running with the
 * same run id updates the rows instead of adding new ones.
 */
import type { ZakConfig } from '../config/defaults.js';
import { SinkError, errorMessage } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Logger, RunSummary } from '../core/types.js';
import { assertMigrated, migrate } from '../db/migrate.js';
import { migrationLabel } from '../db/migrations/index.js';
import { createPool, describePgUrl, pgSecrets } from '../db/pool.js';
import { METRICS_COLUMNS, metricsValues } from '../db/rows.js';
import type { BenchReport, VariantResult } from './types.js';

const UPSERT = `INSERT INTO ocr_model_metrics (${METRICS_COLUMNS.join(', ')})
  VALUES (${METRICS_COLUMNS.map((c, i) => `$${i + 1}${c === 'metrics' ? '::jsonb' : ''}`).join(', ')})
  ON CONFLICT (run_id, model, source) DO UPDATE SET
  ${METRICS_COLUMNS.filter((c) => !['run_id', 'model', 'source'].includes(c)).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;

/** A variant as the run-level summary `ocr_model_metrics` stores; `metrics` holds every flat bench figure. */
export function variantSummary(runId: string, v: VariantResult, report: BenchReport): RunSummary {
  const m = v.metrics;
  return {
    // Two variants may run the same engine and models (--config a,b): the variant name keeps their rows apart.
    runId: `${runId}:${v.name}`,
    pipelineVersion: v.pipelineVersion,
    engine: v.engine,
    files: m.items,
    records: m.pages,
    ok: m.items - m.failed - m.needsReview,
    needsReview: m.needsReview,
    failed: m.failed,
    skipped: 0,
    durationMs: m.wallMs,
    latencyMs: { mean: m.latency.mean ?? 0, p50: m.latency.p50 ?? 0, p95: m.latency.p95 ?? 0, max: m.latency.max ?? 0 },
    meanConfidence: m.meanConfidence,
    metrics: { ...v.flat, datasetItems: report.dataset.items },
  };
}

/**
 * Upserts one row per variant. Applies migrations first with `pg.migrate`, else requires them.
 * @throws ConfigError when the schema is behind; SinkError when PostgreSQL cannot be written.
 */
export async function writeBenchMetrics(cfg: ZakConfig['pg'], runId: string, report: BenchReport, log?: Logger, toolVersion?: string): Promise<number> {
  const pool = createPool(cfg, log, { max: 1, applicationName: 'zakocr bench' });
  const secrets = pgSecrets(cfg.url);
  try {
    const client = await pool.connect().catch((err: unknown) => {
      throw new SinkError('postgres', `cannot connect to ${describePgUrl(cfg.url!)}: ${redact(errorMessage(err), secrets)}`);
    });
    try {
      if (cfg.migrate) {
        const res = await migrate(client, { toolVersion });
        if (res.applied.length) log?.info(`postgres: applied migrations ${res.applied.map(migrationLabel).join(', ')}`);
      } else {
        await assertMigrated(client, `zakocr db migrate --pg ${describePgUrl(cfg.url!)}`);
      }
      for (const v of report.variants) {
        try {
          await client.query(UPSERT, metricsValues(variantSummary(runId, v, report), 'bench'));
        } catch (err) {
          throw new SinkError('postgres', `writing bench metrics for ${v.name} failed: ${redact(errorMessage(err), secrets)}`);
        }
      }
    } finally {
      client.release();
    }
    return report.variants.length;
  } finally {
    await pool.end();
  }
}
