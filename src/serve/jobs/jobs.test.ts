import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import type { ZakRecord } from '../../core/types.js';
import { JobBook } from './book.js';
import { completedOutcome, failedOutcome } from './queue.js';
import { chooseJobBackend } from './select.js';
import type { JobEvent } from './types.js';

const variant = { engine: 'none', lang: 'eng', barcodes: false } as const;
const rec = (file: string, status: ZakRecord['status']) => ({ file, status }) as ZakRecord;

describe('chooseJobBackend', () => {
  it('auto is the queue only when queue.redis was set; explicit choices win', async () => {
    expect(chooseJobBackend('auto', false)).toBe('in-process');
    expect(chooseJobBackend('auto', true)).toBe('queue');
    expect(chooseJobBackend('in-process', true)).toBe('in-process');
    expect(chooseJobBackend('queue', false)).toBe('queue');
    const { explicit } = await loadConfig({ cwd: '/', env: { ZAKOCR_QUEUE_REDIS: 'redis://q:6379' }, flags: { 'serve.port': 0, quiet: undefined } });
    expect(explicit).toEqual(expect.arrayContaining(['queue.redis', 'serve.port']));
    expect(explicit).not.toContain('quiet');
    expect((await loadConfig({ cwd: '/', env: {} })).explicit).not.toContain('queue.redis');
  });
});

describe('queue results → file outcomes', () => {
  it('books the records of a result, says so when an older worker returned none, and fails undelivered', () => {
    expect(completedOutcome('a.png', { records: 1, status: 'ok', results: [rec('a.png', 'ok')] })).toEqual({ file: 'a.png', records: [rec('a.png', 'ok')] });
    expect(completedOutcome('a.png', { records: 1, status: 'ok' }).errors?.[0]).toContain('done earlier by a queue job that kept no records');
    expect(failedOutcome('a.png', 'not delivered to pg')).toMatchObject({ records: [], delivered: false, errors: ['a.png: queue job failed after its tries: not delivered to pg (zakocr queue retry-failed)'] });
  });
});

describe('JobBook', () => {
  it('counts files, emits record/progress/done, is owner-scoped, and ignores files after a cancel', () => {
    const book = new JobBook({ retainMs: 60_000 });
    const job = book.create('queue', 'k1', variant, 2);
    const events: JobEvent['type'][] = [];
    book.subscribe(job.summary.id, 'k1', (e) => events.push(e.type));
    expect(book.subscribe(job.summary.id, 'k2', () => undefined)).toBeNull();
    book.fileDone(job, { file: 'a', records: [rec('a', 'ok')] });
    expect(book.get(job.summary.id, 'k1')).toMatchObject({ state: 'running', done: 1, counts: { ok: 1 } });
    book.fileDone(job, { file: 'b', records: [], delivered: false, errors: ['sink down', 'sink down'] });
    expect(book.get(job.summary.id, 'k1')).toMatchObject({ state: 'done', done: 2, delivered: false, sinkErrors: ['sink down'] });
    expect(events).toEqual(['progress', 'record', 'progress', 'progress', 'done']);

    const other = book.create('queue', 'k1', variant, 1);
    book.cancelUnfinished('queue');
    book.fileDone(other, { file: 'c', records: [rec('c', 'ok')] });
    expect(book.get(other.summary.id, 'k1')).toMatchObject({ state: 'cancelled', done: 0, records: [] });
    expect(book.get(book.create('in-process', 'k1', variant, 0).summary.id, 'k1')?.state).toBe('done');
    book.close();
  });
});
