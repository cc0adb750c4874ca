import { setTimeout as sleepMs } from 'node:timers/promises';
import type { ZakConfig } from '../config/defaults.js';
import { SinkError, ZakocrError, errorMessage } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { redact } from '../core/redact.js';
import type { Logger, RunContext, RunSummary, Sink, ZakRecord } from '../core/types.js';
import { DeadLetterFile, deadLetterPath } from './dead-letter.js';

/** How a wrapped sink retries, dead-letters and backs off (from the `sink.*` config keys). */
export interface DeliveryPolicy {
  /** Extra attempts per batch after the first one (`sink.retries`). */
  retries: number;
  /** First back-off in ms; doubles per attempt (`sink.backoffMs`). */
  backoffMs: number;
  /** Longest single back-off in ms. */
  maxBackoffMs: number;
  /** After a batch is dead-lettered the sink is skipped this long before one probe write (`sink.circuitResetMs`). */
  circuitResetMs: number;
  /** Most records handed to the sink in one write when callers queue up (`sink.bufferSize`). */
  maxBatch: number;
}

export interface DeliveryDeps {
  log?: Logger;
  /** Strings to blank out of every message (passwords). */
  secrets?: Array<string | null | undefined>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/**
 * A failed attempt quicker than this (connection refused: the server is down or restarting) does not stop the
 * open circuit from trying the next batch once; a slower one (a connect timeout, a black-holed host) does, so an
 * unreachable server does not cost a timeout per batch.
 */
export const FAST_FAILURE_MS = 1_000;

/** The back-off cap: at most this many base periods. */
const MAX_BACKOFF_FACTOR = 64;

/**
 * Delay before retry number `attempt` (0-based): `base · 2^attempt`, capped at `max`, with jitter
 * in [50 %, 100 %] so sinks failing together do not retry in lock-step. Pure.
 */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** attempt);
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

/** Errors worth another attempt: everything except configuration mistakes and errors marked `retriable: false`. */
export function isRetriable(err: unknown): boolean {
  if ((err as { retriable?: unknown } | null)?.retriable === false) return false;
  return !(err instanceof ZakocrError && err.exitCode === ExitCode.usage);
}

interface Pending {
  records: ZakRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Wraps any sink with the delivery guarantees of SPEC.md "Sinks":
 * - a failed write is retried with exponential back-off (`retries`, `backoffMs`);
 * - after the budget the batch is appended to the dead-letter file and the write rejects with `SinkError`
 *   (exit 3); the pipeline then leaves those files out of the run manifest so `--resume` delivers them;
 * - a circuit breaker: while a sink keeps failing, later batches do not each wait out the whole budget. Each gets
 *   one attempt (no back-off) while the failures are quick (`FAST_FAILURE_MS`: a refusing server), so the first
 *   batch after the server is back is delivered, not dead-lettered; while they are slow (timeouts) batches go
 *   straight to the dead-letter file until `circuitResetMs` has passed, then one probe write may close it;
 * - writes are serialised (one batch in flight per sink, order kept); callers that queue up meanwhile are
 *   merged into one batch of at most `maxBatch` records (group commit). Each caller's promise resolves only
 *   when its own records are durably accepted, so a slow sink slows the pipeline instead of growing memory.
 */
export class DeliverySink implements Sink {
  readonly name: string;
  private readonly queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  private openUntil = 0;
  private lastError = '';
  /** How long the last failed attempt took (ms): a quick failure keeps the open circuit probing. */
  private lastFailureMs = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    readonly inner: Sink,
    private readonly policy: DeliveryPolicy,
    private readonly deadLetter: DeadLetterFile,
    private readonly deps: DeliveryDeps = {},
  ) {
    this.name = inner.name;
    this.sleep = deps.sleep ?? ((ms) => sleepMs(ms));
    this.now = deps.now ?? Date.now;
  }

  /** True while the sink is failing (batches get one attempt at most, or none while failures are slow). */
  get circuitOpen(): boolean {
    return this.openUntil > this.now();
  }

  /** Whether a batch may be tried now: the circuit is closed, or open on quick failures (a probe costs little). */
  private get mayTry(): boolean {
    return !this.circuitOpen || this.lastFailureMs < FAST_FAILURE_MS;
  }

  async open(ctx: RunContext): Promise<void> {
    await this.attempt('open', () => this.inner.open(ctx), this.policy.retries + 1);
  }

  write(records: ZakRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  async flush(): Promise<void> {
    await this.idle();
    if (!this.mayTry) throw this.failure(`not flushed: the sink is failing (${this.lastError})`, false);
    await this.attempt('flush', () => this.inner.flush(), this.policy.retries + 1);
  }

  async close(opts?: { interrupted?: boolean }): Promise<void> {
    await this.idle();
    try {
      await this.inner.close(opts);
    } catch (err) {
      throw new SinkError(this.name, `${this.name}: close failed: ${this.clean(err)}`, { cause: new Error(this.clean(err)) });
    }
  }

  async summarize(summary: RunSummary): Promise<void> {
    const inner = this.inner.summarize?.bind(this.inner);
    if (!inner) return;
    await this.idle();
    let attempts = 0;
    if (this.mayTry) {
      try {
        await this.attempt('summarize', () => inner(summary), this.circuitOpen ? 1 : this.policy.retries + 1, (n) => (attempts = n));
        return;
      } catch (err) {
        if (!(err instanceof SinkError)) throw err;
      }
    }
    await this.deadLetter.appendSummary(this.name, summary, this.lastError, attempts);
    throw this.failure(`run metrics not delivered (${this.lastError}); kept in ${this.deadLetter.file}`, true);
  }

  private async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Delivers queued writes until none is left. `draining` is cleared in the same synchronous step that
   * finds the queue empty: a caller resumed by the last batch's resolution then starts a new drain
   * instead of queueing behind one that is already over.
   */
  private async drain(): Promise<void> {
    for (;;) {
      const batch = this.takeBatch();
      if (batch.length === 0) {
        this.draining = null;
        return;
      }
      try {
        await this.deliver(batch.flatMap((p) => p.records));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }

  /** The next queued writes, merged up to `maxBatch` records (always at least one write). */
  private takeBatch(): Pending[] {
    if (this.queue.length === 0) return [];
    const batch: Pending[] = [this.queue.shift()!];
    let size = batch[0].records.length;
    while (this.queue.length > 0 && size + this.queue[0].records.length <= this.policy.maxBatch) {
      const next = this.queue.shift()!;
      size += next.records.length;
      batch.push(next);
    }
    return batch;
  }

  private async deliver(records: ZakRecord[]): Promise<void> {
    let attempts = 0;
    if (this.mayTry) {
      // Closed: the full budget. Open on quick failures, or half-open (the reset time has passed): one probe.
      const budget = this.openUntil > 0 ? 1 : this.policy.retries + 1;
      try {
        await this.attempt('write', () => this.inner.write(records), budget, (n) => (attempts = n));
        return;
      } catch (err) {
        if (!(err instanceof SinkError)) throw err;
      }
    }
    try {
      await this.deadLetter.appendRecords(this.name, records, this.lastError, attempts);
    } catch (dlErr) {
      throw this.failure(`${records.length} records not delivered (${this.lastError}) and the dead-letter file ` +
        `${this.deadLetter.file} could not be written (${errorMessage(dlErr)}); they are not marked done, --resume retries them`, false);
    }
    const why = attempts === 0 ? `skipped while the sink is failing (${this.lastError})` : `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${this.lastError}`;
    throw this.failure(`${records.length} records ${why}; written to dead-letter ${this.deadLetter.file}`, true);
  }

  /**
   * Runs `op` up to `budget` times with back-off. On success the circuit closes; when the budget is spent
   * (or the error cannot be retried) the circuit opens and a SinkError is thrown. Usage/config errors
   * (a missing migration) propagate unchanged.
   */
  private async attempt(what: string, op: () => Promise<void>, budget: number, onAttempt?: (n: number) => void): Promise<void> {
    for (let n = 1; ; n++) {
      onAttempt?.(n);
      const started = this.now();
      try {
        await op();
        if (this.openUntil > 0) this.deps.log?.info(`${this.name}: delivering again`);
        this.openUntil = 0;
        return;
      } catch (err) {
        if (err instanceof ZakocrError && err.exitCode === ExitCode.usage) throw err;
        this.lastError = this.clean(err);
        this.lastFailureMs = this.now() - started;
        if (n >= budget || !isRetriable(err)) {
          this.openUntil = this.now() + this.policy.circuitResetMs;
          const hint = what === 'open' ? 'Check that the server is reachable and the credentials are right (zakocr doctor checks both).' : undefined;
          throw this.failure(`${what} failed after ${n} attempt${n === 1 ? '' : 's'}: ${this.lastError}`, false, hint);
        }
        const delay = backoffDelay(n - 1, this.policy.backoffMs, this.policy.maxBackoffMs, this.deps.random);
        this.deps.log?.warn(`${this.name}: ${what} failed (attempt ${n}/${budget}): ${this.lastError}; retrying in ${delay} ms`);
        await this.sleep(delay);
      }
    }
  }

  /**
   * A SinkError without secrets; `deadLettered` names the dead-letter file in it. The foreign error is left
   * out on purpose (it may carry credentials); its redacted text is already in the message.
   */
  private failure(message: string, deadLettered: boolean, hint?: string): SinkError {
    return new SinkError(this.name, `${this.name}: ${message}`, {
      deadLetterPath: deadLettered ? this.deadLetter.file : undefined,
      hint,
    });
  }

  private clean(err: unknown): string {
    return redact(errorMessage(err), this.deps.secrets ?? []).replace(new RegExp(`^${escapeRegExp(this.name)}: `), '');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The delivery policy from the `sink.*` config keys. */
export function deliveryPolicy(sink: ZakConfig['sink']): DeliveryPolicy {
  return {
    retries: sink.retries,
    backoffMs: sink.backoffMs,
    maxBackoffMs: Math.max(sink.backoffMs, sink.backoffMs * MAX_BACKOFF_FACTOR),
    circuitResetMs: sink.circuitResetMs,
    maxBatch: sink.bufferSize,
  };
}

/**
 * Wraps every sink of a run (files too) with retries, the circuit breaker and one shared dead-letter file
 * (`sink.deadLetter`, default `zakocr-deadletter.jsonl` beside the first output).
 */
export function withDelivery(sinks: Sink[], config: ZakConfig, ctx: RunContext, cwd = process.cwd()): Sink[] {
  const file = new DeadLetterFile(deadLetterPath(config.sink.deadLetter, ctx.outputs ?? config.out, cwd), ctx.runId);
  const secrets = [config.kafka.saslPassword, passwordOf(config.pg.url)];
  return sinks.map((s) => new DeliverySink(s, deliveryPolicy(config.sink), file, { log: ctx.log, secrets }));
}

function passwordOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}
