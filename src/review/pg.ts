import type pg from 'pg';
import { errorMessage, SinkError } from '../core/errors.js';
import type { ZakRecord } from '../core/types.js';
import type { ApplyTarget } from './import.js';

/**
 * The PostgreSQL side of the review loop, on the `ocr_processing_jobs` table of `zakocr db migrate`:
 * records to review are read in id order (keyset pages, bounded memory), and corrections are applied
 * in one transaction with the rows locked (`FOR UPDATE`), so a concurrent scan cannot interleave.
 * Parameterised SQL only.
 */

/** Rows fetched per page when reading records to review. */
const PAGE_SIZE = 500;

/**
 * Records that may need review: needs_review ones, and ok ones with an unverified line under
 * `maxLineConfidence` (the finer selection happens in `rowsOfRecord`).
 */
export async function* pgReviewRecords(pool: pg.Pool, maxLineConfidence: number, runId?: string): AsyncGenerator<ZakRecord> {
  let last = 0;
  for (;;) {
    const res = await pool.query<{ id: string; record: ZakRecord }>(
      `SELECT id, record FROM ocr_processing_jobs
        WHERE id > $1
          AND ($3::text IS NULL OR run_id = $3)
          AND (status = 'needs_review'
               OR (status = 'ok' AND EXISTS (
                     SELECT 1 FROM jsonb_array_elements(record->'lines') AS l
                      WHERE (l->>'confidence')::float8 < $2 AND coalesce((l->>'verified')::boolean, false) = false)))
        ORDER BY id LIMIT ${PAGE_SIZE}`,
      [last, maxLineConfidence, runId ?? null],
    );
    for (const row of res.rows) yield row.record;
    if (res.rows.length < PAGE_SIZE) return;
    last = Number(res.rows[res.rows.length - 1].id);
  }
}

/** Applies corrections to job rows inside one transaction; `commit` commits, `abort` rolls back. */
export function pgTarget(pool: pg.Pool, describe: string): ApplyTarget {
  let client: pg.PoolClient | null = null;
  let changed = 0;
  const release = () => {
    client?.release();
    client = null;
  };
  return {
    name: describe,
    async prepare(keys, apply) {
      const seen = new Set<string>();
      try {
        client = await pool.connect();
        await client.query('BEGIN');
        for (const key of keys) {
          const [sha256, page, pipelineVersion] = key.split('|');
          const res = await client.query<{ id: string; record: ZakRecord }>(
            `SELECT id, record FROM ocr_processing_jobs
              WHERE sha256 = $1 AND coalesce(page, -1) = $2 AND pipeline_version = $3 FOR UPDATE`,
            [sha256, Number(page), pipelineVersion],
          );
          for (const row of res.rows) {
            seen.add(key);
            const next = apply(row.record);
            if (!next) continue;
            changed++;
            await client.query(`UPDATE ocr_processing_jobs SET record = $2::jsonb, status = $3, updated_at = now() WHERE id = $1`, [
              row.id,
              JSON.stringify(next),
              next.status,
            ]);
          }
        }
      } catch (err) {
        await client?.query('ROLLBACK').catch(() => undefined);
        release();
        throw new SinkError('pg', `Cannot apply corrections in PostgreSQL: ${errorMessage(err)}`, { cause: err });
      }
      return { changed, seen };
    },
    async commit() {
      try {
        await client?.query('COMMIT');
      } finally {
        release();
      }
    },
    async abort() {
      try {
        await client?.query('ROLLBACK');
      } catch {
        // the connection is gone: the transaction died with it
      } finally {
        release();
      }
    },
  };
}
