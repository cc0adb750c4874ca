import type { Migration } from './types.js';

/**
 * Results, run metrics and error logs.
 * A job row is identified by (sha256, page, pipeline_version); `page` is NULL for single images, so the
 * unique index is on `coalesce(page, -1)` (plain UNIQUE treats NULLs as distinct and would let re-runs duplicate).
 * Files whose bytes could not be read have no sha256: they are keyed by path instead.
 */
export const m0001: Migration = {
  version: 1,
  name: 'jobs_metrics_errors',
  sql: `
CREATE TABLE ocr_processing_jobs (
  id               bigserial PRIMARY KEY,
  sha256           text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  page             integer CHECK (page >= 0),
  pipeline_version text NOT NULL,
  path             text NOT NULL,
  bytes            bigint NOT NULL DEFAULT 0,
  status           text NOT NULL CHECK (status IN ('ok', 'needs_review', 'failed')),
  doc_type         text NOT NULL,
  engine           text NOT NULL,
  engine_device    text,
  engine_version   text,
  barcodes         text[] NOT NULL DEFAULT '{}',
  error_code       text,
  total_ms         double precision,
  timings_ms       jsonb NOT NULL DEFAULT '{}',
  record           jsonb NOT NULL,
  run_id           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- Records are ~2-10 kB of JSON, so most are compressed (TOAST); lz4 costs the server ~20 % less CPU per
-- insert than the default pglz. PostgreSQL < 14 or a server built without lz4 keeps pglz.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN
    EXECUTE 'ALTER TABLE ocr_processing_jobs ALTER COLUMN record SET COMPRESSION lz4';
  END IF;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  NULL;
END $$;
CREATE UNIQUE INDEX ocr_processing_jobs_identity
  ON ocr_processing_jobs (sha256, (coalesce(page, -1)), pipeline_version);
CREATE UNIQUE INDEX ocr_processing_jobs_identity_unhashed
  ON ocr_processing_jobs (path, (coalesce(page, -1)), pipeline_version) WHERE sha256 IS NULL;
CREATE INDEX ocr_processing_jobs_run ON ocr_processing_jobs (run_id);
CREATE INDEX ocr_processing_jobs_status ON ocr_processing_jobs (status, created_at);
CREATE INDEX ocr_processing_jobs_barcodes ON ocr_processing_jobs USING gin (barcodes);

CREATE TABLE ocr_model_metrics (
  id               bigserial PRIMARY KEY,
  run_id           text NOT NULL,
  source           text NOT NULL DEFAULT 'scan' CHECK (source IN ('scan', 'bench')),
  model            text NOT NULL,
  engine           text NOT NULL,
  engine_device    text,
  engine_version   text,
  models           text[] NOT NULL DEFAULT '{}',
  pipeline_version text NOT NULL,
  images           integer NOT NULL,
  records          integer NOT NULL,
  ok               integer NOT NULL DEFAULT 0,
  needs_review     integer NOT NULL DEFAULT 0,
  failed           integer NOT NULL DEFAULT 0,
  skipped          integer NOT NULL DEFAULT 0,
  duration_ms      double precision NOT NULL,
  latency_mean_ms  double precision,
  latency_p50_ms   double precision,
  latency_p95_ms   double precision,
  latency_max_ms   double precision,
  mean_confidence  double precision,
  cer              double precision,
  wer              double precision,
  metrics          jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, model, source)
);
CREATE INDEX ocr_model_metrics_model ON ocr_model_metrics (model, created_at);

CREATE TABLE ocr_error_logs (
  id               bigserial PRIMARY KEY,
  run_id           text NOT NULL,
  path             text NOT NULL,
  sha256           text,
  page             integer,
  pipeline_version text NOT NULL,
  code             text NOT NULL,
  message          text NOT NULL,
  stage            text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
-- One row per failure per run, even when a batch is retried after a dropped connection.
CREATE UNIQUE INDEX ocr_error_logs_once ON ocr_error_logs (run_id, path, (coalesce(page, -1)));
CREATE INDEX ocr_error_logs_sha256 ON ocr_error_logs (sha256);
CREATE INDEX ocr_error_logs_code ON ocr_error_logs (code, created_at);
`,
};
