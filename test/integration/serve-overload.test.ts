/**
 * Bounded work: a full wait queue answers 503 with Retry-After at once (the body is not read), a full job backlog
 * 503 too, a file over limits.timeoutMs 504; progress of a job as server-sent events.
 */
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HangingEngine } from '../fakes/engines/hanging.js';
import { ScriptedEngine } from '../fakes/engines/scripted.js';
import { formWith, startTestServe } from '../helpers/serve.js';
import { tempDir, writeTextImage } from './scan-helpers.js';

let dir: string;
let png: Buffer;
beforeAll(async () => {
  dir = await tempDir('serve-overload');
  png = await sharp(await writeTextImage(dir, 'label.png', ['Sugar 1kg', 'Tk 120.00'], { fontSize: 18 })).toBuffer();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const post = (body: Buffer): RequestInit => ({ method: 'POST', body, headers: { 'content-type': 'image/png' } });

describe('overload', () => {
  it('503 + Retry-After once concurrency + serve.maxWaiting requests are admitted; they all finish; then 200 again', async () => {
    const engine = new HangingEngine({ hangWhen: (_p, call) => call === 0 });
    const s = await startTestServe(engine, { concurrency: 1, 'serve.maxWaiting': 1, 'serve.retryAfterS': 7 });
    try {
      const first = s.request('/v1/scan', post(png));
      const second = s.request('/v1/scan', post(png));
      // The first analysis is inside the (hung) engine and the second waits for its slot: sized for a loaded machine.
      const until = Date.now() + 60_000;
      while (Date.now() < until && !(engine.pending === 1 && s.ctx.admission.waiting === 1)) await new Promise((r) => setTimeout(r, 20));
      expect(engine.pending).toBe(1);
      expect(s.ctx.admission.admitted).toBe(2);
      const refused = await s.request('/v1/scan', post(png));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('7');
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({ code: 'overloaded', message: 'busy: 1 analyses running and 1 waiting (serve.maxWaiting); retry in 7 s' });
      const metrics = await (await s.request('/metrics')).text();
      expect(metrics).toMatch(/zakocr_queue_depth 1/);
      expect(metrics).toMatch(/zakocr_failures_total\{code="overloaded"\} 1/);
      await engine.dispose(); // releases the hung first call; the waiting one runs next
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      expect(s.ctx.admission.admitted).toBe(0);
      expect((await s.request('/v1/scan', post(png))).status).toBe(200);
    } finally {
      await engine.dispose();
      await s.close();
    }
  });

  it('504 when a file takes longer than limits.timeoutMs; the slot is free again', async () => {
    // Only the page of this size hangs (preprocessing off, so the engine sees the page as sent).
    const SLOW_WIDTH = 333;
    const slow = await sharp({ create: { width: SLOW_WIDTH, height: 97, channels: 3, background: '#fff' } }).png().toBuffer();
    const engine = new HangingEngine({ hangWhen: (page) => page.width === SLOW_WIDTH });
    const s = await startTestServe(engine, { 'limits.timeoutMs': 1500, 'preprocess.enabled': false });
    try {
      const res = await s.request('/v1/scan', post(slow));
      expect(res.status).toBe(504);
      expect(((await res.json()) as { record: { error: { code: string } } }).record.error.code).toBe('timeout');
      expect((await s.request('/v1/scan', post(png))).status).toBe(200);
    } finally {
      await engine.dispose();
      await s.close();
    }
  });

  it('503 when a job would pass serve.jobs.maxQueuedFiles', async () => {
    const engine = new HangingEngine();
    const s = await startTestServe(engine, { 'serve.jobs.maxQueuedFiles': 2 });
    try {
      const res = await s.request('/v1/jobs', { method: 'POST', body: formWith([['a.png', png], ['b.png', png], ['c.png', png], ['d.png', png]]) });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/serve\.jobs\.maxQueuedFiles \(2\)/);
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      await engine.dispose();
      await s.close();
    }
  });
});

describe('job progress as server-sent events', () => {
  it('streams record and progress events, then done; a finished job answers done at once', async () => {
    const s = await startTestServe(new ScriptedEngine(['Sugar 1kg', 'Tk 120.00'], 150));
    try {
      const res = await s.request('/v1/jobs', { method: 'POST', body: formWith([['a.png', png], ['b.png', png], ['c.png', png], ['d.png', png]]) });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const events = await readEvents(await s.request(`/v1/jobs/${id}/events`));
      expect(events[0].event).toBe('progress');
      const done = events.at(-1)!;
      expect(done.event).toBe('done');
      expect(done.data).toMatchObject({ id, state: 'done', total: 4, done: 4 });
      const records = events.filter((e) => e.event === 'record');
      expect(records.length).toBeGreaterThanOrEqual(1);
      expect(records.every((e) => (e.data as { schema: string }).schema === 'zakocr.record/v1')).toBe(true);
      const progress = events.filter((e) => e.event === 'progress').map((e) => (e.data as { done: number }).done);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      const again = await readEvents(await s.request(`/v1/jobs/${id}/events`));
      expect(again.map((e) => e.event)).toEqual(['progress', 'done']);
      expect((await s.request('/v1/jobs/unknown/events')).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

/** Reads a whole text/event-stream response into events. */
async function readEvents(res: Response): Promise<Array<{ event: string; data: unknown }>> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine.slice('event: '.length), data: JSON.parse(dataLine.slice('data: '.length)) as unknown };
    });
}
