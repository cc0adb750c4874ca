import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/pg-db.js';
import { makeImages, runCli, startCli, waitFor } from '../helpers/sink-fixtures.js';
import { assertValidRecords } from '../helpers/record-schema.js';

/**
 * The PostgreSQL sink against the machine's server: a fresh database per run, `db migrate`, scans of
 * generated images with the `none` engine (the sink is under test, not OCR), rows checked.
 */
describe('PostgreSQL sink (real server)', () => {
  let db: TestDb;
  let dir: string;
  const N = 40;

  beforeAll(async () => {
    db = await createTestDb();
    dir = await makeImages(N);
    await writeFile(path.join(dir, 'in', 'zz_broken.png'), 'this is not a PNG');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0].n);

  it('refuses to scan into an unmigrated database (exit 2) and names the command that fixes it', async () => {
    const r = await runCli(['scan', 'in', '--engine', 'none', '--pg', db.url, '-q'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('The PostgreSQL schema is missing migrations 0001_jobs_metrics_errors, 0002_products');
    expect(r.stderr).toContain(`Run: zakocr db migrate --pg ${db.url}`);
  });

  it('db migrate applies every migration once; a second run has nothing to do', async () => {
    const first = await runCli(['db', 'migrate', '--pg', db.url], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('applied 0001_jobs_metrics_errors');
    expect(first.stderr).toContain('applied 0002_products');
    const again = await runCli(['db', 'migrate', '--pg', db.url], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('schema up to date (version 2), nothing to apply');
    expect(await db.query('SELECT version, name FROM zakocr_schema_migrations ORDER BY version')).toEqual([
      { version: 1, name: 'jobs_metrics_errors' }, { version: 2, name: 'products' }]);
    const status = await runCli(['db', 'status', '--pg', db.url], dir);
    expect(status.code, status.stderr).toBe(0);
  });

  it('writes one row per file, failures to ocr_error_logs, run metrics; a re-run adds no rows', async () => {
    const r = await runCli(['scan', 'in', '--engine', 'none', '--pg', db.url, '--out', 'rows.jsonl', '-q'], dir);
    expect(r.code, r.stderr).toBe(1); // the broken file failed
    expect(await count('ocr_processing_jobs')).toBe(N + 1);
    const failed = await db.query<{ path: string; status: string; error_code: string }>(
      "SELECT path, status, error_code FROM ocr_processing_jobs WHERE status = 'failed'");
    expect(failed).toEqual([{ path: 'in/zz_broken.png', status: 'failed', error_code: 'unsupported_format' }]);
    const errors = await db.query<{ path: string; code: string; stage: string }>('SELECT path, code, stage FROM ocr_error_logs');
    expect(errors).toEqual([{ path: 'in/zz_broken.png', code: 'unsupported_format', stage: 'decode' }]);

    // Rows carry the record as jsonb, identical to the file sink's line for the same file.
    const lines = (await readFile(path.join(dir, 'rows.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { sha256: string; runId: string });
    const [row] = await db.query<{ record: unknown; sha256: string; run_id: string; pipeline_version: string }>(
      'SELECT record, sha256, run_id, pipeline_version FROM ocr_processing_jobs WHERE sha256 = $1', [lines[0].sha256]);
    expect(row.record).toEqual(lines[0]);
    assertValidRecords([row.record], 'ocr_processing_jobs.record');
    expect(row.run_id).toBe(lines[0].runId);

    const metrics = await db.query<{ images: number; records: number; failed: number; model: string; source: string }>(
      'SELECT images, records, failed, model, source FROM ocr_model_metrics');
    expect(metrics).toEqual([{ images: N + 1, records: N + 1, failed: 1, model: 'none', source: 'scan' }]);

    const before = await db.query<{ id: string; created_at: Date }>('SELECT id::text, created_at FROM ocr_processing_jobs ORDER BY id');
    const again = await runCli(['scan', 'in', '--engine', 'none', '--pg', db.url, '--out', 'rows2.jsonl'], dir);
    expect(again.code, again.stderr).toBe(1);
    const after = await db.query<{ id: string; created_at: Date }>('SELECT id::text, created_at FROM ocr_processing_jobs ORDER BY id');
    expect(after).toEqual(before); // same rows, same ids: upserted, nothing inserted
    expect(await count('ocr_error_logs'), again.stderr).toBe(2); // one per failure per run
    expect(await count('ocr_model_metrics')).toBe(2); // one per run
  });
});

describe('PostgreSQL sink under connection kills (pg_terminate_backend mid-run)', () => {
  let db: TestDb;
  let dir: string;
  const N = 300;

  beforeAll(async () => {
    db = await createTestDb();
    dir = await makeImages(N);
    const m = await runCli(['db', 'migrate', '--pg', db.url], dir);
    expect(m.code, m.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('delivers every record exactly once', async () => {
    const run = startCli(['scan', 'in', '--engine', 'none', '--pg', db.url, '--concurrency', '2'], dir,
      { ZAKOCR_SINK_BACKOFF_MS: '50' });
    let exited = false;
    void run.done.then(() => (exited = true));
    const rows = async () => Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM ocr_processing_jobs'))[0].n);
    await waitFor(async () => exited || (await rows()) > 0, 60_000, 10);
    // Kill connections inside a transaction (the write fails half-way and must be retried) and, now and
    // then, every connection (idle ones die in the pool and are replaced).
    let busyKills = 0;
    let allKills = 0;
    let lastAll = Date.now();
    while (!exited) {
      if (busyKills < 2) busyKills += await db.killConnections({ busyOnly: true });
      if (Date.now() - lastAll > 500 && allKills < 4) {
        allKills += await db.killConnections();
        lastAll = Date.now();
      }
      await new Promise((r) => setTimeout(r, 3));
    }
    const r = await run.done;
    expect(busyKills).toBeGreaterThan(0);
    // The first failed attempt may report the kill itself (57P01) or a pooled client that died with it.
    expect(r.stderr).toMatch(/warn: postgres: write failed \(attempt 1\/6\): writing \d+ records failed: .+; retrying in \d+ ms/);
    expect(r.stderr).toMatch(/terminating connection due to administrator command/);
    expect(r.stderr, r.stderr).not.toContain('dead-letter');
    expect(r.code, r.stderr).toBe(0);
    const [{ rows: total, distinct }] = await db.query<{ rows: number; distinct: number }>(
      'SELECT count(*)::int AS rows, count(DISTINCT sha256)::int AS distinct FROM ocr_processing_jobs');
    expect(total).toBe(N);
    expect(distinct).toBe(N);
    const runs = await db.query<{ n: number }>('SELECT count(DISTINCT run_id)::int AS n FROM ocr_processing_jobs');
    expect(runs).toEqual([{ n: 1 }]);
    console.log(`pg fault test: ${busyKills} busy + ${allKills} other backends killed; retries logged: ${(r.stderr.match(/retrying in/g) ?? []).length}`);
  });
});
