/**
 * The one bounded, ordered executor: runs a task per input item with at most `concurrency` tasks running and at
 * most `window` started-but-not-yet-delivered ones (running + finished, waiting for their turn), and hands the
 * results back in input order. `zakocr scan` (files → sinks), `zakocr export` (documents → de-duplication) and
 * `zakocr bench` (items → scores) all run on it, so memory stays flat however long the input is: a slow head item
 * stops new starts once the window is full, never the delivery order.
 */

/** One delivered result, in input order. A task that threw is delivered as `rejected`: one bad item never ends the run. */
export interface Ordered<T, R> {
  item: T;
  /** 0-based position of the item in the input. */
  index: number;
  result: PromiseSettledResult<R>;
}

export interface OrderedOptions {
  /** Tasks running at once (≥ 1). */
  concurrency: number;
  /**
   * Most tasks started and not yet delivered, running ones included (≥ concurrency; default 2 × concurrency).
   * Bounds the finished results held while the head of the line is still running.
   */
  window?: number;
  /** Stops starting new tasks when it aborts; tasks already started still finish and are delivered. */
  signal?: AbortSignal;
}

/** A counting semaphore: `acquire` waits for a free slot, `release` hands it to the next waiter (FIFO). */
class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}

  acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used--;
  }
}

function iteratorOf<T>(source: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
}

/**
 * Runs `task` over `source` and yields every result in input order as soon as it and all before it are done.
 * The source is read lazily, only as far as the window allows. Leaving the loop early (break, throw) stops new
 * starts and waits for the started tasks to settle before the generator returns, so no task outlives it.
 * @throws what the source throws, after the results of the items it gave before are delivered.
 */
export async function* runOrdered<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  task: (item: T, index: number) => Promise<R>,
  opts: OrderedOptions,
): AsyncGenerator<Ordered<T, R>> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  const window = Math.max(concurrency, Math.floor(opts.window ?? 2 * concurrency));
  const slots = new Slots(concurrency);
  const started: Array<{ item: T; index: number; done: Promise<PromiseSettledResult<R>> }> = [];
  const it = iteratorOf(source);
  let nextIndex = 0;
  let exhausted = false;
  let sourceFailure: { error: unknown } | null = null;

  const start = (item: T, index: number) => {
    const done = (async (): Promise<PromiseSettledResult<R>> => {
      await slots.acquire();
      try {
        return { status: 'fulfilled', value: await task(item, index) };
      } catch (reason) {
        return { status: 'rejected', reason };
      } finally {
        slots.release();
      }
    })();
    started.push({ item, index, done });
  };

  try {
    while (true) {
      while (!exhausted && started.length < window && !opts.signal?.aborted) {
        let next: IteratorResult<T>;
        try {
          next = await it.next();
        } catch (error) {
          sourceFailure = { error };
          exhausted = true;
          break;
        }
        if (next.done) exhausted = true;
        else start(next.value, nextIndex++);
      }
      const head = started.shift();
      if (!head) break;
      yield { item: head.item, index: head.index, result: await head.done };
    }
    if (sourceFailure) throw sourceFailure.error;
  } finally {
    // The consumer left early (or the source failed): started tasks still run to the end, then the source is closed.
    await Promise.all(started.map((s) => s.done));
    if (!exhausted) await it.return?.();
  }
}
