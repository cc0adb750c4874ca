/**
 * `zakocr worker` as real processes on the machine's Redis and PostgreSQL (own queue, own database): a worker
 * killed with -9 mid-job loses nothing and PostgreSQL ends with one row per file; SIGTERM finishes the job in
 * progress and exits 143; SIGINT exits 130; `queue status --json` counts; `scan --shard` splits with no overlap.
 * Tesseract reads the small test images in a fraction of a second, so jobs are short but real.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../../src/config/defaults.js';
import { queueCounts } from '../../src/queue/admin.js';
import { openQueue, type OpenQueue } from '../../src/queue/connection.js';
import { createTestDb, type TestDb } from '../helpers/pg-db.js';
import { redisUrl, uniqueName } from '../helpers/redis.js';
import { startCli, waitFor } from '../helpers/sink-fixtures.js';
import { readJsonl, runCli, tempDir, writeNumberedImages } from '../integration/scan-helpers.js';

const QUEUE_DB = 11;
const FILES = 12;
/** Short locks so a dead worker's job comes back within ~3 s (defaults: 10 s + 5 s). */
const FAST_RECOVERY = { ZAKOCR_QUEUE_LOCK_MS: '3000', ZAKOCR_QUEUE_STALLED_INTERVAL_MS: '1000' };
const WORKER_TIMEOUT_MS = 240_000;

let dir: string;
let db: TestDb;
const dbs: TestDb[] = [];
const queues: OpenQueue[] = [];

/** Each test its own database. */
async function freshDb(): Promise<void> {
  db = await createTestDb('zk_workers');
  dbs.push(db);
}

beforeAll(async () => {
  dir = await tempDir('workers');
  await writeNumberedImages(path.join(dir, 'in'), FILES);
}, 120_000);
afterAll(async () => {
  for (const q of queues) {
    await q.queue.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  for (const d of dbs) await d.drop();
  await rm(dir, { recursive: true, force: true });
});

async function pushedQueue(): Promise<{ name: string; q: OpenQueue }> {
  const name = uniqueName('zk-test-w');
  const push = await runCli(['queue', 'push', 'in', '--redis', redisUrl(QUEUE_DB), '--queue', name], { cwd: dir });
  expect(push.code, push.stderr).toBe(0);
  expect(push.stdout).toContain(`queued ${FILES} of ${FILES} files on ${name}`);
  const q = await openQueue({ ...defaults.queue, redis: redisUrl(QUEUE_DB), name });
  queues.push(q);
  return { name, q };
}

function worker(name: string, extra: string[] = []) {
  return startCli(['worker', '--redis', redisUrl(QUEUE_DB), '--queue', name, '--pg', db.url, '--migrate', '--engine', 'tesseract', '--no-barcodes', '-c', '1', ...extra], dir, FAST_RECOVERY);
}

const doneLines = (stderr: string) => stderr.split('\n').filter((l) => /: (ok|needs_review|failed) \(\d+ ms\)$/.test(l)).length;

async function rows(): Promise<{ rows: number; distinct: number }> {
  const [r] = await db.query<{ rows: string; distinct: string }>(
    'SELECT count(*)::text AS rows, count(DISTINCT (sha256, page, pipeline_version))::text AS distinct FROM ocr_processing_jobs');
  return { rows: Number(r.rows), distinct: Number(r.distinct) };
}

describe('zakocr worker processes', () => {
  it('kill -9 mid-job: the job comes back, another worker finishes the batch, one row per file', async () => {
    await freshDb();
    const { name, q } = await pushedQueue();
    const a = worker(name);
    // Killed while it holds a job: two done, and the next one taken (active in Redis).
    await waitFor(async () => (doneLines(a.stderr()) >= 2 && (await queueCounts(q.queue)).active > 0) || a.child.exitCode !== null, 180_000, 10);
    a.child.kill('SIGKILL');
    await a.done;
    const atKill = await queueCounts(q.queue);
    expect(atKill.completed).toBeLessThan(FILES); // work was left: the test means something
    expect(atKill.active).toBe(1); // the dead worker's job, until its lock runs out
    const b = worker(name, ['--until-empty', '--out', 'out/rows.jsonl', '--worker-id', 'b']);
    const res = await Promise.race([b.done, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`worker b did not finish:\n${b.stderr()}`)), WORKER_TIMEOUT_MS))]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('lost its worker (crash or kill): back in the queue');
    expect(await queueCounts(q.queue)).toMatchObject({ waiting: 0, active: 0, delayed: 0, completed: FILES, failed: 0 });
    expect(await rows()).toEqual({ rows: FILES, distinct: FILES });
    // b's own JSONL holds what b did, durably (appended and synced before each ack)
    const bRecords = await readJsonl(path.join(dir, 'out', 'rows.b.jsonl'));
    expect(bRecords.length).toBe(FILES - atKill.completed);

    const st = await runCli(['queue', 'status', '--redis', redisUrl(QUEUE_DB), '--queue', name, '--json'], { cwd: dir });
    expect(st.code, st.stderr).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ queue: name, remaining: 0, counts: { completed: FILES, failed: 0 } });
  }, 400_000);

  it('SIGTERM: the job in progress finishes and is acknowledged, then exit 143', async () => {
    await freshDb();
    const { name, q } = await pushedQueue();
    const c = worker(name);
    await waitFor(() => doneLines(c.stderr()) >= 1 || c.child.exitCode !== null, 180_000, 25);
    c.child.kill('SIGTERM');
    const res = await c.done;
    expect(res.code, res.stderr).toBe(143);
    expect(res.stderr).toContain('stopped by SIGTERM');
    const counts = await queueCounts(q.queue);
    expect(counts.active).toBe(0);
    expect(counts.completed).toBeGreaterThanOrEqual(1);
    expect(counts.completed + counts.waiting).toBe(FILES);
    expect((await rows()).rows).toBe(counts.completed); // acknowledged ⇔ in PostgreSQL
  }, 300_000);

  it('SIGINT on an idle worker: exit 130', async () => {
    const name = uniqueName('zk-test-idle');
    const q = await openQueue({ ...defaults.queue, redis: redisUrl(QUEUE_DB), name });
    queues.push(q);
    const w = startCli(['worker', '--redis', redisUrl(QUEUE_DB), '--queue', name, '--engine', 'none', '--out', 'out/idle.jsonl'], dir);
    await waitFor(async () => (await q.queue.getWorkersCount()) > 0 || w.child.exitCode !== null, 120_000, 100);
    w.child.kill('SIGINT');
    const res = await w.done;
    expect(res.code, res.stderr).toBe(130);
  }, 200_000);
});

describe('zakocr scan --shard', () => {
  it('two shards cover the folder with no overlap; a bad value is a usage error', async () => {
    const parts = [];
    for (const i of [0, 1]) {
      const r = await runCli(['scan', 'in', '--engine', 'none', '--no-barcodes', '--shard', `${i}/2`, '--out', `shards/s${i}.jsonl`], { cwd: dir });
      expect([0, 1], r.stderr).toContain(r.code);
      parts.push((await readJsonl(path.join(dir, 'shards', `s${i}.jsonl`))).map((x) => x.file));
    }
    expect([...parts[0], ...parts[1]].sort()).toEqual(Array.from({ length: FILES }, (_, i) => `in/img-${String(i).padStart(3, '0')}.png`));
    expect(parts[0].filter((f) => parts[1].includes(f))).toEqual([]);
    const bad = await runCli(['scan', 'in', '--engine', 'none', '--shard', '2/2', '--out', 'shards/bad.jsonl'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Expected i/N with 0 ≤ i < N ≤ 100000 for --shard, got "2/2"');
  }, 200_000);
});
