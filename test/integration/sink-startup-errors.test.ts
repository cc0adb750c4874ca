/**
 * Server errors a retry cannot fix fail fast, through the real CLI against the real PostgreSQL: a database that
 * does not exist (3D000) and an unknown user (28000) exit 2 at start-up at once with a fix; a malformed `--kafka`
 * broker address exits 2 before anything starts. A server that refuses connections is still retried (exit 3 after
 * the budget). And the circuit breaker, on the real PostgreSQL sink behind a TCP proxy: after the server is back,
 * the next batch is delivered, not dead-lettered, although the circuit's reset time has not passed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../../src/config/defaults.js';
import { DeadLetterFile } from '../../src/sinks/dead-letter.js';
import { createPgSink } from '../../src/sinks/pg.js';
import { DeliverySink, deliveryPolicy } from '../../src/sinks/retry.js';
import type { RunContext } from '../../src/core/types.js';
import { okRecord } from '../helpers/records.js';
import { createTestDb, type TestDb } from '../helpers/pg-db.js';
import { makeImages, runCli } from '../helpers/sink-fixtures.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

let dir: string;
let db: TestDb;
let proxy: TcpProxy;
const PREVIOUS = '{"previous":"results"}\n';

beforeAll(async () => {
  dir = await makeImages(2, 'zk-startup-');
  db = await createTestDb('zk_startup');
  const target = new URL(db.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
});
afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});

async function scanWith(flags: string[], env: Record<string, string> = {}) {
  const out = path.join(dir, 'r.jsonl');
  await writeFile(out, PREVIOUS);
  const t0 = Date.now();
  const res = await runCli(['scan', 'in', '--engine', 'none', '--out', 'r.jsonl', ...flags], dir, env);
  return { ...res, ms: Date.now() - t0, out: await readFile(out, 'utf8') };
}

describe('start-up errors a retry cannot fix', () => {
  it('a database that does not exist exits 2 at once, naming it, with the fix', async () => {
    const url = new URL(db.url);
    url.pathname = '/zk_no_such_db';
    const r = await scanWith(['--pg', url.toString()]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('the database does not exist: database "zk_no_such_db" does not exist (3D000)');
    expect(r.stderr).toContain('fix: Create it (createdb zk_no_such_db');
    expect(r.stderr).not.toMatch(/attempt \d\/\d/);
    expect(r.out).toBe(PREVIOUS);
    expect(r.ms).toBeLessThan(4_000);
  });

  it('an unknown user exits 2 at once, password redacted', async () => {
    const url = new URL(db.url);
    url.username = 'zk_no_such_role';
    url.password = 'hunter2';
    const r = await scanWith(['--pg', url.toString()]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('role "zk_no_such_role" does not exist (28000)');
    expect(r.stderr).toContain('fix: Check the user name');
    expect(r.stderr).not.toContain('hunter2');
    expect(r.out).toBe(PREVIOUS);
    expect(r.ms).toBeLessThan(4_000);
  });

  it.each(['notaport:abc', 'host:99999', 'broker'])('--kafka %s exits 2 before anything starts, results untouched', async (brokers) => {
    const r = await scanWith(['--kafka', brokers]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error: --kafka ${brokers}: must be host:port with a port from 1 to 65535`);
    expect(r.stderr).not.toContain('attempt');
    expect(r.out).toBe(PREVIOUS);
    expect(r.ms).toBeLessThan(4_000);
  });

  it('a server that refuses connections is still retried (exit 3 after the budget)', async () => {
    await proxy.down();
    try {
      const r = await scanWith(['--pg', proxy.url(db.url)], { ZAKOCR_SINK_RETRIES: '2', ZAKOCR_SINK_BACKOFF_MS: '10' });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/postgres: open failed \(attempt 1\/3\): .*ECONNREFUSED/);
    } finally {
      await proxy.up();
    }
  });
});

describe('circuit breaker on the real PostgreSQL sink', () => {
  it('delivers the first batch after the server is back instead of dead-lettering it', async () => {
    const m = await runCli(['db', 'migrate', '--pg', db.url], dir);
    expect(m.code, m.stderr).toBe(0);
    const config = { ...defaults, sink: { ...defaults.sink, retries: 1, backoffMs: 10, circuitResetMs: 60_000 } };
    const dl = new DeadLetterFile(path.join(dir, 'dead.jsonl'), 'run-cb');
    const warnings: string[] = [];
    const log = { info: () => {}, debug: () => {}, error: () => {}, warn: (w: string) => void warnings.push(w) };
    const sink = new DeliverySink(createPgSink({ ...defaults.pg, url: proxy.url(db.url) }, '0.1.0'), deliveryPolicy(config.sink), dl, { log });
    const ctx = { runId: 'run-cb', pipelineVersion: '0.1.0+test', log } as unknown as RunContext;
    await sink.open(ctx);
    await sink.write([okRecord(1)]);

    await proxy.down(); // PostgreSQL stops: this batch is dead-lettered, the circuit opens
    await expect(sink.write([okRecord(2)])).rejects.toThrow(/dead-letter/);
    expect(sink.circuitOpen).toBe(true);

    await proxy.up(); // back, well within circuitResetMs
    await sink.write([okRecord(3)]);
    expect(sink.circuitOpen).toBe(false);
    await sink.close();
    const rows = await db.query<{ path: string }>('SELECT path FROM ocr_processing_jobs ORDER BY path');
    expect(rows.map((r) => r.path)).toEqual(['in/1.png', 'in/3.png']);
    const dead = (await readFile(dl.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { record?: { file: string } });
    expect(dead.map((d) => d.record?.file)).toEqual(['in/2.png']);
  }, 60_000);
});
