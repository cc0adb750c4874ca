/**
 * The HTTP contract of `zakocr serve`, every status code, against the real service (Fastify on a loopback port,
 * real decoder, preprocessing, extraction, spool folder) with a scripted engine where the OCR itself does not matter.
 */
import http from 'node:http';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrashingEngine } from '../fakes/engines/crashing.js';
import { EmptyEngine } from '../fakes/engines/empty.js';
import { ScriptedEngine } from '../fakes/engines/scripted.js';
import { assertValidRecords } from '../helpers/record-schema.js';
import { formWith, startTestServe, TEST_KEY, type TestServe } from '../helpers/serve.js';
import { tempDir, writeTextImage } from './scan-helpers.js';

const RECEIPT = ['ZAKPOS GENERAL STORE', 'Basmati Rice 5kg Tk 450.00', 'Mustard Oil 1L Tk 210.00', 'TOTAL Tk 660.00'];
const MAX_BYTES = 60_000;
let dir: string;
let png: Buffer;
let server: TestServe;

beforeAll(async () => {
  dir = await tempDir('serve-api');
  png = await sharp(await writeTextImage(dir, 'receipt.png', RECEIPT, { fontSize: 18 })).toBuffer();
  server = await startTestServe(new ScriptedEngine(RECEIPT), {
    'limits.maxBytes': MAX_BYTES,
    'limits.maxPixels': 1_000_000,
    'serve.apiKeys': [TEST_KEY, 'second-key-abcdefgh'],
    'serve.jobs.roots': [path.join(dir, 'root')],
    'serve.corsOrigins': ['https://pos.example.com'],
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function json(res: Response): Promise<Record<string, any>> {
  return (await res.json()) as Record<string, any>;
}

const raw = (body: BodyInit, type = 'image/png'): RequestInit => ({ method: 'POST', body, headers: { 'content-type': type } });

describe('POST /v1/scan', () => {
  it('200: a raw-body image gives its record, fields extracted, delivered', async () => {
    const res = await server.request('/v1/scan?filename=till-3.png', raw(png));
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/queue;dur=[\d.]+, analyse;dur=[\d.]+, deliver;dur=/);
    const body = await json(res);
    expect(body.record.schema).toBe('zakocr.record/v1');
    expect(body.record.file).toBe('till-3.png');
    expect(body.record.text).toBe(RECEIPT.join('\n'));
    expect(body.record.fields.total.value).toBe(660);
    expect(body.delivered).toBe(true);
    expect(body.records).toBeUndefined();
    assertValidRecords([body.record], 'POST /v1/scan');
  });

  it('200: a multipart upload keeps the client file name, without folders', async () => {
    const res = await server.request('/v1/scan', { method: 'POST', body: formWith([['../../etc/shelf 7.png', png]]) });
    expect(res.status).toBe(200);
    expect((await json(res)).record.file).toBe('shelf 7.png');
  });

  it('400: damaged image, unknown option, option value not enabled, empty body, two files, a form field', async () => {
    const damaged = Buffer.concat([png.subarray(0, 200), Buffer.alloc(300, 7)]);
    let res = await server.request('/v1/scan', raw(damaged));
    expect(res.status).toBe(400);
    let body = await json(res);
    expect(body.record.error.code).toBe('corrupt_image');
    expect(body.error.code).toBe('corrupt_image');

    res = await server.request('/v1/scan?colour=red', raw(png));
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toBe('unknown querystring option "colour"');

    res = await server.request('/v1/scan?lang=ben', raw(png));
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toBe('lang "ben" is not enabled on this server; allowed: eng (serve.langs)');

    res = await server.request('/v1/scan', { method: 'POST' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/^empty request/);

    res = await server.request('/v1/scan', { method: 'POST', body: formWith([['a.png', png], ['b.png', png]]) });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toBe('send one file per /v1/scan request (POST /v1/jobs takes many)');

    const form = formWith([['a.png', png]]);
    form.append('lang', 'eng');
    res = await server.request('/v1/scan', { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/send options in the query string/);
  });

  it('401: no key, a wrong key, a malformed header; the key is never logged', async () => {
    for (const auth of [null, 'Bearer wrong-secret-xyz-123', 'Basic dXNlcjpwYXNz']) {
      const res = await server.request('/v1/scan', { ...raw(png), auth });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="zakocr"/);
      expect((await json(res)).error.code).toBe('unauthorized');
    }
    const logged = server.log.lines.join('\n');
    expect(logged).not.toContain('wrong-secret-xyz-123');
    expect(logged).not.toContain(TEST_KEY);
  });

  it('413: a declared body over limits.maxBytes, a streamed one, an image over limits.maxPixels', async () => {
    let res = await server.request('/v1/scan', raw(Buffer.alloc(MAX_BYTES + 1, 1)));
    expect(res.status).toBe(413);
    expect((await json(res)).error.message).toBe(`request body of ${MAX_BYTES + 1} bytes is over the limit of ${MAX_BYTES} bytes (limits.maxBytes)`);

    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(server.url + '/v1/scan', { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'image/png', 'transfer-encoding': 'chunked' } }, (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(10_000, 2));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.message).toBe(`upload is over the upload limit of ${MAX_BYTES} bytes (limits.maxBytes)`);

    const huge = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#fff' } }).png().toBuffer();
    res = await server.request('/v1/scan', raw(huge));
    expect(res.status).toBe(413);
    expect((await json(res)).record.error.code).toBe('too_large');
  });

  it('415: bytes that are no image or PDF, and a JSON body', async () => {
    let res = await server.request('/v1/scan', raw('not an image at all', 'application/octet-stream'));
    expect(res.status).toBe(415);
    const failed = await json(res);
    expect(failed.record.error.code).toBe('unsupported_format');
    assertValidRecords([failed.record], 'POST /v1/scan (failed)');
    res = await server.request('/v1/scan', raw(JSON.stringify({ image: 'x' }), 'application/json'));
    expect(res.status).toBe(415);
    expect((await json(res)).error.code).toBe('unsupported_media_type');
  });

  it('leaves no upload behind in the spool folder', async () => {
    expect(await readdir(server.ctx.spool.dir)).toEqual([]);
  });
});

describe('jobs', () => {
  it('202 for uploads, then GET gives every record; another key gets 404', async () => {
    const res = await server.request('/v1/jobs', { method: 'POST', body: formWith([['a.png', png], ['b.png', png], ['c.txt', Buffer.from('plain text')]]) });
    expect(res.status).toBe(202);
    const job = await json(res);
    expect(res.headers.get('location')).toBe(`/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ state: expect.stringMatching(/queued|running/), total: 3, backend: 'in-process' });
    let view: Record<string, any> = {};
    const until = Date.now() + 60_000; // sized for a loaded machine
    while (Date.now() < until && view.state !== 'done') {
      view = await json(await server.request(`/v1/jobs/${job.id}`));
      if (view.state !== 'done') await new Promise((r) => setTimeout(r, 100));
    }
    expect(view.state).toBe('done');
    expect(view.records.map((r: { file: string }) => r.file).sort()).toEqual(['a.png', 'b.png', 'c.txt']);
    expect(view.counts.ok + view.counts.needs_review).toBe(2);
    expect(view.counts).toMatchObject({ failed: 1, skipped: 0 });
    const other = await server.request(`/v1/jobs/${job.id}`, { auth: 'Bearer second-key-abcdefgh' });
    expect(other.status).toBe(404);
    expect(await readdir(server.ctx.spool.dir)).toEqual([]);
  });

  it('jobs by server path: inside serve.jobs.roots 202; outside or through a link out 403; relative or s3:// 400', async () => {
    const root = path.join(dir, 'root');
    await mkdir(path.join(root, 'in'), { recursive: true });
    await writeFile(path.join(root, 'in', 'one.png'), png);
    await writeFile(path.join(root, 'in', 'two.png'), png);
    await symlink('/etc/hostname', path.join(root, 'escape.png'));
    const post = (inputs: string[]) => server.request('/v1/jobs', { method: 'POST', body: JSON.stringify({ inputs }), headers: { 'content-type': 'application/json' } });
    const ok = await post([path.join(root, 'in')]);
    expect(ok.status).toBe(202);
    expect((await json(ok)).total).toBe(2);
    for (const [input, status, message] of [
      ['/etc/hostname', 403, 'job input "/etc/hostname" is outside serve.jobs.roots'],
      [path.join(root, 'escape.png'), 403, `job input "${path.join(root, 'escape.png')}" is outside serve.jobs.roots`],
      ['in/one.png', 400, 'job input "in/one.png" must be an absolute path or a file:// URI'],
      ['s3://bucket/one.png', 400, "s3:// inputs are not supported by this server's job backend (file paths and file:// URIs under serve.jobs.roots are)"],
    ] as const) {
      const res = await post([input]);
      expect(res.status, input).toBe(status);
      expect((await json(res)).error.message).toBe(message);
    }
  });

  it('404: an unknown job, an unknown route', async () => {
    expect((await server.request('/v1/jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    const res = await server.request('/v2/scan');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
  });
});

describe('ops', () => {
  it('healthz and readyz answer without a key; readyz names the engine and device', async () => {
    expect((await server.request('/healthz', { auth: null })).status).toBe(200);
    const ready = await server.request('/readyz', { auth: null });
    expect(ready.status).toBe(200);
    expect((await json(ready)).engines[0]).toMatchObject({ name: 'fake-scripted', device: 'cpu', lang: 'eng' });
  });

  it('/metrics needs the key and has requests, stage latency, failures by code, queue depth and the engine device', async () => {
    expect((await server.request('/metrics', { auth: null })).status).toBe(401);
    const text = await (await server.request('/metrics')).text();
    expect(text).toContain('zakocr_http_requests_total{route="/v1/scan",method="POST",status="200"}');
    expect(text).toMatch(/zakocr_stage_duration_seconds_count\{stage="ocr"\} \d+/);
    expect(text).toMatch(/zakocr_failures_total\{code="unsupported_format"\} [1-9]/);
    expect(text).toMatch(/zakocr_failures_total\{code="unauthorized"\} [1-9]/);
    expect(text).toContain('zakocr_queue_depth 0');
    expect(text).toContain('zakocr_engine_info{engine="fake-scripted",device="cpu"');
    expect(text).toContain('zakocr_process_resident_memory_bytes');
  });

  it('CORS: the allow-listed origin gets its header, another does not', async () => {
    const preflight = (origin: string) => fetch(server.url + '/v1/scan', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const allowed = await preflight('https://pos.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://pos.example.com');
    const other = await preflight('https://evil.example.net');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('/openapi.json is OpenAPI 3.1 with the scan options the route validates', async () => {
    const doc = await json(await server.request('/openapi.json', { auth: null }));
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/scan'].post.parameters.map((p: { name: string }) => p.name)).toEqual(['engine', 'lang', 'barcodes', 'filename']);
    expect(Object.keys(doc.paths['/v1/scan'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '413', '415', '429', '503']));
    // The record is the shipped schema/record.schema.json, its $defs hoisted into components.
    expect(doc.components.schemas.Record.properties.schema.const).toBe('zakocr.record/v1');
    expect(doc.components.schemas.Record_line).toMatchObject({ type: 'object' });
  });
});

describe('statuses that need their own server', () => {
  it('200 with status needs_review in the body when nothing is read', async () => {
    const s = await startTestServe(new EmptyEngine());
    try {
      const res = await s.request('/v1/scan', raw(png));
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body.record.status).toBe('needs_review');
      expect(body.record.review).toContain('no_text_found');
    } finally {
      await s.close();
    }
  });

  it('429 past serve.rateLimitMax for one key, with Retry-After; another key still passes', async () => {
    const s = await startTestServe(new ScriptedEngine(['x']), { 'serve.rateLimitMax': 2, 'serve.apiKeys': [TEST_KEY, 'second-key-abcdefgh'] });
    try {
      expect((await s.request('/v1/jobs/nope')).status).toBe(404);
      expect((await s.request('/v1/jobs/nope')).status).toBe(404);
      const limited = await s.request('/v1/scan', raw(png));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await json(limited)).error.code).toBe('rate_limited');
      expect((await s.request('/v1/scan', { ...raw(png), auth: 'Bearer second-key-abcdefgh' })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('500 when the engine crashes on the file (engine_failed); the server keeps answering', async () => {
    const s = await startTestServe(new CrashingEngine());
    try {
      const res = await s.request('/v1/scan', raw(png));
      expect(res.status).toBe(500);
      expect((await json(res)).record.error.code).toBe('engine_failed');
      expect((await s.request('/healthz')).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
