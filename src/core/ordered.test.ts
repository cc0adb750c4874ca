import { describe, expect, it } from 'vitest';
import { runOrdered, type Ordered } from './ordered.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collect<T, R>(gen: AsyncIterable<Ordered<T, R>>): Promise<Ordered<T, R>[]> {
  const out: Ordered<T, R>[] = [];
  for await (const o of gen) out.push(o);
  return out;
}

/** Tasks that report how many run at once and how many were started but not yet delivered. */
function probe() {
  const s = { running: 0, maxRunning: 0, started: 0, delivered: 0, maxWaiting: 0, finished: 0 };
  const task = async (ms: number, i: number) => {
    s.started++;
    s.running++;
    s.maxRunning = Math.max(s.maxRunning, s.running);
    s.maxWaiting = Math.max(s.maxWaiting, s.started - s.delivered);
    await tick(ms);
    s.running--;
    s.finished++;
    return i * 10;
  };
  return { s, task };
}

describe('runOrdered', () => {
  it('delivers results in input order whatever order they finish in', async () => {
    const delays = [30, 5, 20, 1, 15, 2, 25, 3];
    const { task } = probe();
    const out = await collect(runOrdered(delays, task, { concurrency: 3 }));
    expect(out.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out.map((o) => o.item)).toEqual(delays);
    expect(out.map((o) => (o.result.status === 'fulfilled' ? o.result.value : null))).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });

  it('runs at most `concurrency` tasks, and uses them all', async () => {
    const { s, task } = probe();
    await collect(runOrdered(Array.from({ length: 12 }, () => 5), task, { concurrency: 3, window: 12 }));
    expect(s.maxRunning).toBe(3);
  });

  it('holds at most `window` started tasks that were not delivered, behind a slow head', async () => {
    const { s, task } = probe();
    const items = [80, ...Array.from({ length: 20 }, () => 1)];
    for await (const o of runOrdered(items, task, { concurrency: 2, window: 5 })) {
      expect(o.index).toBe(s.delivered);
      s.delivered++;
      await tick(2); // a slow consumer (sink writes)
    }
    expect(s.delivered).toBe(21);
    expect(s.maxWaiting).toBeLessThanOrEqual(5);
    expect(s.maxWaiting).toBe(5);
  });

  it('reads a lazy source only as far as the window allows', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const gen = runOrdered(source(), async (i) => i, { concurrency: 2, window: 4 });
    const first = await gen.next();
    expect(first.value?.index).toBe(0);
    expect(pulled).toBeLessThanOrEqual(4);
    await gen.return(undefined);
  });

  it('isolates a failing task: it is delivered as rejected, the others still run', async () => {
    const out = await collect(
      runOrdered([1, 2, 3, 4], async (n) => {
        if (n === 2) throw new Error('bad file');
        return n;
      }, { concurrency: 2 }),
    );
    expect(out.map((o) => o.result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(out[1].result.status === 'rejected' && (out[1].result.reason as Error).message).toBe('bad file');
  });

  it('stops starting tasks on abort and still delivers the started ones', async () => {
    const ac = new AbortController();
    const { s, task } = probe();
    const out: number[] = [];
    for await (const o of runOrdered(Array.from({ length: 50 }, () => 5), task, { concurrency: 2, window: 4, signal: ac.signal })) {
      out.push(o.index);
      if (o.index === 3) ac.abort();
    }
    expect(s.started).toBeLessThan(50);
    expect(out).toEqual(Array.from({ length: s.started }, (_, i) => i));
    expect(s.finished).toBe(s.started);
  });

  it('a consumer that leaves early waits for the started tasks and closes the source', async () => {
    let closed = false;
    function* source() {
      try {
        for (let i = 0; i < 100; i++) yield 20;
      } finally {
        closed = true;
      }
    }
    const { s, task } = probe();
    for await (const o of runOrdered(source(), task, { concurrency: 3, window: 6 })) {
      if (o.index === 1) break;
    }
    expect(s.started).toBeGreaterThan(2);
    expect(s.finished).toBe(s.started); // nothing outlives the loop
    expect(closed).toBe(true);
  });

  it('delivers what the source gave before it failed, then throws its error', async () => {
    function* source() {
      yield 1;
      yield 2;
      throw new Error('folder vanished');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const o of runOrdered(source(), async (n) => n, { concurrency: 2 })) seen.push(o.item);
      })(),
    ).rejects.toThrow('folder vanished');
    expect(seen).toEqual([1, 2]);
  });
});
