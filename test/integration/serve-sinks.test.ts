/**
 * Records of the service go to the same sinks as `scan` (real PostgreSQL, a JSONL file); a sink that dies while
 * the service runs: the client still gets its record (delivered: false), the record is in the dead-letter file,
 * /readyz says which sink fails, /metrics counts it, and the other sinks keep receiving.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/pg-db.js';
import { ScriptedEngine } from '../fakes/engines/scripted.js';
import { startTestServe, type TestServe } from '../helpers/serve.js';
import { readJsonl, tempDir, writeTextImage } from './scan-helpers.js';

let dir: string;
let db: TestDb;
let server: TestServe;
let images: Buffer[];

beforeAll(async () => {
  dir = await tempDir('serve-sinks');
  db = await createTestDb('zk_serve');
  images = await Promise.all(['Rice Tk 450.00', 'Oil Tk 210.00'].map(async (t, i) => sharp(await writeTextImage(dir, `l${i}.png`, [t], { fontSize: 18 })).toBuffer()));
  server = await startTestServe(new ScriptedEngine(['Basmati Rice 5kg', 'Tk 450.00']), {
    'pg.url': db.url,
    'pg.migrate': true,
    'serve.out': [path.join(dir, 'served.jsonl')],
    'sink.retries': 1,
    'sink.backoffMs': 10,
    'sink.deadLetter': path.join(dir, 'dead.jsonl'),
  });
});
afterAll(async () => {
  await server?.close().catch(() => undefined);
  await db?.drop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const scan = (i: number) => server.request('/v1/scan', { method: 'POST', body: images[i], headers: { 'content-type': 'image/png' } });

describe('serve → sinks', () => {
  it('a scanned record is in PostgreSQL before the response', async () => {
    const res = await scan(0);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { record: { sha256: string }; delivered: boolean };
    expect(body.delivered).toBe(true);
    const rows = await db.query<{ sha256: string; status: string }>('SELECT sha256, status FROM ocr_processing_jobs');
    expect(rows).toEqual([{ sha256: body.record.sha256, status: expect.any(String) }]);
    expect((await server.request('/readyz')).status).toBe(200);
  });

  it('a killed database: 200 with delivered false, record dead-lettered, /readyz 503 naming the sink, metrics count it', async () => {
    await db.drop();
    const res = await scan(1);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { record: { sha256: string; text: string }; delivered: boolean; sinkErrors: string[] };
    expect(body.record.text).toBe('Basmati Rice 5kg\nTk 450.00');
    expect(body.delivered).toBe(false);
    expect(body.sinkErrors).toHaveLength(1);
    expect(body.sinkErrors[0]).toMatch(/^postgres.*written to dead-letter .*dead\.jsonl/);
    expect(await readFile(path.join(dir, 'dead.jsonl'), 'utf8')).toContain(body.record.sha256);

    const ready = await server.request('/readyz');
    expect(ready.status).toBe(503);
    const why = (await ready.json()) as { status: string; reasons: string[] };
    expect(why.status).toBe('not_ready');
    expect(why.reasons[0]).toMatch(/^sink postgres\S* is failing: /);
    const metrics = await (await server.request('/metrics')).text();
    expect(metrics).toMatch(/zakocr_sink_failures_total\{sink="postgres[^"]*"\} 1/);
    expect(metrics).toMatch(/zakocr_sink_up\{sink="postgres[^"]*"\} 0/);
  });

  it('the JSONL output got both records, finished when the service stops', async () => {
    const { sinkErrors } = await server.close();
    expect(sinkErrors).toEqual([]);
    const records = await readJsonl(path.join(dir, 'served.jsonl'));
    expect(records).toHaveLength(2);
  });
});
