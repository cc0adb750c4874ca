import PQueue from 'p-queue';
import { ServeError } from './errors.js';

/** Scans a person waits for go before job files (p-queue runs higher priorities first). */
export const PRIORITY_INTERACTIVE = 1;
export const PRIORITY_JOB = 0;

/** A place held in the admission window; `release` is idempotent. */
export interface Ticket {
  release(): void;
}

/**
 * Bounds the work in the service: at most `concurrency` analyses run at once, at most `maxWaiting` more wait
 * for a slot; a request beyond that is refused at once (503 + Retry-After) instead of piling up in memory.
 * A request takes its ticket before its body is read, so an overloaded service does not even accept uploads.
 */
export class Admission {
  private readonly queue: PQueue;
  private held = 0;

  constructor(readonly concurrency: number, readonly maxWaiting: number, private readonly retryAfterS: number) {
    this.queue = new PQueue({ concurrency });
  }

  /** Requests holding a ticket (running, waiting, or still uploading). */
  get admitted(): number {
    return this.held;
  }

  /** Analyses waiting for a slot right now. */
  get waiting(): number {
    return this.queue.size;
  }

  /** Analyses running right now. */
  get running(): number {
    return this.queue.pending;
  }

  /**
   * Takes a place for one interactive request.
   * @throws ServeError 503 with Retry-After when `concurrency + maxWaiting` requests are already admitted.
   */
  admit(): Ticket {
    if (this.held >= this.concurrency + this.maxWaiting) {
      throw new ServeError(503, 'overloaded', `busy: ${this.concurrency} analyses running and ${this.maxWaiting} waiting (serve.maxWaiting); retry in ${this.retryAfterS} s`, {
        headers: { 'retry-after': String(this.retryAfterS) },
      });
    }
    this.held++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held--;
      },
    };
  }

  /** Runs `work` when a slot is free; interactive requests overtake job files. */
  run<T>(work: () => Promise<T>, priority = PRIORITY_INTERACTIVE): Promise<T> {
    return this.queue.add(work, { priority }) as Promise<T>;
  }

  /** Resolves when nothing runs or waits. */
  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }
}
