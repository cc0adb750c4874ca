import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { okRecord } from '../../test/helpers/records.js';
import { ConfigError, SinkError } from '../core/errors.js';
import type { RunContext, RunSummary, Sink, ZakRecord } from '../core/types.js';
import { DeadLetterFile, type DeadLetterEntry } from './dead-letter.js';
import { backoffDelay, DeliverySink, isRetriable, type DeliveryPolicy } from './retry.js';

/** An in-memory sink whose writes fail while `failures` > 0 (or forever with Infinity). */
class FlakySink implements Sink {
  readonly name = 'flaky';
  written: string[] = [];
  calls = 0;
  batches: number[] = [];
  /** Called before each failure (tests advance the fake clock: a slow failure, like a connect timeout). */
  onFailure: () => void = () => {};
  constructor(public failures: number, private readonly err: () => Error = () => new Error('connection reset (password hunter2)')) {}
  async open(): Promise<void> {}
  async write(records: ZakRecord[]): Promise<void> {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      this.onFailure();
      throw this.err();
    }
    this.batches.push(records.length);
    this.written.push(...records.map((r) => r.file));
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  summaries: RunSummary[] = [];
  async summarize(s: RunSummary): Promise<void> {
    if (this.failures > 0) throw this.err();
    this.summaries.push(s);
  }
}

const policy: DeliveryPolicy = { retries: 3, backoffMs: 100, maxBackoffMs: 1000, circuitResetMs: 5000, maxBatch: 100 };

async function setup(inner: Sink, over: Partial<DeliveryPolicy> = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zk-retry-'));
  const dl = new DeadLetterFile(path.join(dir, 'dead.jsonl'), 'run-1');
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const warnings: string[] = [];
  const log = { info: () => {}, debug: () => {}, error: () => {}, warn: (m: string) => warnings.push(m) };
  const sink = new DeliverySink(inner, { ...policy, ...over }, dl, {
    log,
    secrets: ['hunter2'],
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: () => 1,
  });
  const entries = async (): Promise<DeadLetterEntry[]> =>
    (await readFile(dl.file, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as DeadLetterEntry);
  return { sink, dl, sleeps, warnings, entries, advance: (ms: number) => (clock += ms) };
}

const recs = (from: number, n: number) => Array.from({ length: n }, (_, i) => okRecord(from + i));

describe('backoffDelay', () => {
  it.each([
    [0, 100, 10_000, 1, 100],
    [1, 100, 10_000, 1, 200],
    [3, 100, 10_000, 1, 800],
    [10, 100, 10_000, 1, 10_000],
    [2, 100, 10_000, 0, 200],
    [2, 0, 0, 0.7, 0],
  ])('attempt %i base %i max %i random %f → %i ms', (attempt, base, max, random, ms) => {
    expect(backoffDelay(attempt, base, max, () => random)).toBe(ms);
  });
});

describe('isRetriable', () => {
  it.each<[unknown, boolean]>([
    [new Error('ECONNRESET'), true],
    [Object.assign(new Error('too large'), { retriable: false }), false],
    [new ConfigError('pg.migrate', 'missing migrations'), false],
    [new SinkError('x', 'gave up'), true],
  ])('%s → %s', (err, expected) => {
    expect(isRetriable(err)).toBe(expected);
  });
});

describe('DeliverySink', () => {
  it('retries with exponential back-off and delivers once', async () => {
    const inner = new FlakySink(2);
    const { sink, sleeps, warnings, entries } = await setup(inner);
    await sink.write(recs(0, 3));
    expect(inner.written).toEqual(['in/0.png', 'in/1.png', 'in/2.png']);
    expect(sleeps).toEqual([100, 200]);
    expect(warnings[0]).toBe('flaky: write failed (attempt 1/4): connection reset (password ***); retrying in 100 ms');
    expect(await entries()).toEqual([]);
  });

  it('dead-letters after the budget, throws SinkError, then skips the sink while its circuit is open on slow failures', async () => {
    const inner = new FlakySink(Infinity);
    const { sink, sleeps, entries, dl, advance } = await setup(inner);
    inner.onFailure = () => void advance(2_000); // each attempt times out
    const err = await sink.write(recs(0, 2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).exitCode).toBe(3);
    expect((err as SinkError).deadLetterPath).toBe(dl.file);
    expect((err as SinkError).message).toBe(`flaky: 2 records gave up after 4 attempts: connection reset (password ***); written to dead-letter ${dl.file}`);
    expect(inner.calls).toBe(4);
    expect(sleeps).toEqual([100, 200, 400]);

    await expect(sink.write(recs(2, 1))).rejects.toThrow(/1 records skipped while the sink is failing/);
    expect(inner.calls).toBe(4); // circuit open: not tried again
    const dead = await entries();
    expect(dead.map((e) => [e.record!.file, e.attempts, e.sink, e.kind])).toEqual([
      ['in/0.png', 4, 'flaky', 'record'], ['in/1.png', 4, 'flaky', 'record'], ['in/2.png', 0, 'flaky', 'record']]);
    expect(dead[0].error).toBe('connection reset (password ***)');
    expect(JSON.stringify(dead)).not.toContain('hunter2');
  });

  it('on quick failures (server refusing) tries each batch once, and delivers the first one after the server is back', async () => {
    const inner = new FlakySink(Infinity);
    const { sink, entries, sleeps } = await setup(inner);
    await expect(sink.write(recs(0, 1))).rejects.toThrow(/gave up after 4 attempts/);
    expect(sink.circuitOpen).toBe(true);
    await expect(sink.write(recs(1, 1))).rejects.toThrow(/gave up after 1 attempt:/); // open: one attempt, no back-off
    expect([inner.calls, sleeps.length]).toEqual([5, 3]);
    inner.failures = 0; // the server is back, long before circuitResetMs
    await sink.write(recs(2, 2));
    expect(inner.written).toEqual(['in/2.png', 'in/3.png']);
    expect(sink.circuitOpen).toBe(false);
    await sink.flush();
    expect((await entries()).map((e) => e.record!.file)).toEqual(['in/0.png', 'in/1.png']);
  });

  it('probes once after the reset time and closes the circuit when the sink is back', async () => {
    const inner = new FlakySink(Infinity);
    const { sink, advance } = await setup(inner);
    inner.onFailure = () => void advance(2_000);
    await expect(sink.write(recs(0, 1))).rejects.toThrow(SinkError);
    advance(5_001);
    await expect(sink.write(recs(1, 1))).rejects.toThrow(/gave up after 1 attempt:/); // half-open: one probe
    expect(inner.calls).toBe(5);
    advance(5_001);
    inner.failures = 0;
    await sink.write(recs(2, 1));
    expect(sink.circuitOpen).toBe(false);
    expect(inner.written).toEqual(['in/2.png']);
  });

  it('does not retry errors marked permanent', async () => {
    const inner = new FlakySink(Infinity, () => Object.assign(new Error('message too large'), { retriable: false }));
    const { sink, sleeps } = await setup(inner);
    await expect(sink.write(recs(0, 1))).rejects.toThrow('flaky: 1 records gave up after 1 attempt: message too large; written to dead-letter');
    expect(sleeps).toEqual([]);
  });

  it('lets configuration errors from open through unchanged', async () => {
    const inner = new FlakySink(0);
    inner.open = async () => {
      throw new ConfigError('pg.migrate', 'The PostgreSQL schema is missing migrations 0001_x');
    };
    const { sink } = await setup(inner);
    await expect(sink.open({} as RunContext)).rejects.toBeInstanceOf(ConfigError);
  });

  it('merges writes that queue up behind a slow one, at most maxBatch records per write, in order', async () => {
    const inner = new FlakySink(0);
    const { sink } = await setup(inner, { maxBatch: 5 });
    await Promise.all([sink.write(recs(0, 2)), sink.write(recs(2, 2)), sink.write(recs(4, 2)), sink.write(recs(6, 4))]);
    expect(inner.batches).toEqual([2, 4, 4]);
    expect(inner.written).toEqual(recs(0, 10).map((r) => r.file));
  });

  it('takes back-to-back awaited writes (a caller resumed by one write immediately writes again)', async () => {
    const inner = new FlakySink(0);
    const { sink } = await setup(inner);
    for (let i = 0; i < 5; i++) await sink.write(recs(i, 1));
    expect(inner.written).toEqual(recs(0, 5).map((r) => r.file));
  });

  it('dead-letters run metrics the sink cannot take', async () => {
    const inner = new FlakySink(Infinity);
    const { sink, entries } = await setup(inner, { retries: 0 });
    const summary = { runId: 'run-1', files: 1 } as RunSummary;
    await expect(sink.summarize(summary)).rejects.toThrow(/run metrics not delivered/);
    expect((await entries()).map((e) => [e.kind, e.summary?.files])).toEqual([['summary', 1]]);
  });
});
