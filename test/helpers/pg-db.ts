import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL (trust auth); override with ZAKOCR_TEST_PG_ADMIN. */
export const ADMIN_URL = process.env.ZAKOCR_TEST_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb {
  name: string;
  url: string;
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  /**
   * Terminates zakocr's connections to this database (what a failover or a DBA does); with `busyOnly`
   * only those running a statement or inside a transaction.
   */
  killConnections(opts?: { busyOnly?: boolean }): Promise<number>;
  drop(): Promise<void>;
}

/** True when the admin URL accepts connections. */
export async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Creates a fresh, uniquely named database for one test file; `drop()` removes it (and its connections). */
export async function createTestDb(prefix = 'zk_test'): Promise<TestDb> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  return {
    name,
    url: url.toString(),
    async query(sql, values) {
      return (await pool.query(sql, values)).rows;
    },
    async killConnections(opts = {}) {
      const states = opts.busyOnly ? ['active', 'idle in transaction'] : ['active', 'idle', 'idle in transaction'];
      const rows = (await pool.query<{ n: string }>(
        `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE $1 AND state = ANY($2)`,
        ['zakocr%', states])).rows;
      return Number(rows[0].n);
    },
    async drop() {
      await pool.end();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
