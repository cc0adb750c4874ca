import { SinkError, errorMessage } from '../core/errors.js';
import type { RunContext, Sink, ZakRecord } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { createSinks } from '../sinks/registry.js';

export interface DeliveryOutcome {
  /** Every sink accepted the records (no sink configured counts as delivered). */
  delivered: boolean;
  /** One message per sink that gave up (records are in the dead-letter file it names). */
  errors: string[];
}

export interface SinkHealth {
  name: string;
  ok: boolean;
  error?: string;
}

export interface ServiceSinksOptions {
  /** Injected sinks (tests); default: the configured ones. */
  sinks?: Sink[];
  onDelivery?: (sink: string, ok: boolean) => void;
  now?: () => number;
}

/**
 * The sinks of a running service, opened once: `serve.out` files, PostgreSQL and Kafka from the same config keys
 * as `scan`, each wrapped by `createSinks` with retries, circuit breaker and dead-letter file.
 */
export class ServiceSinks {
  private readonly state = new Map<string, SinkHealth & { failedAt: number }>();
  private readonly now: () => number;

  /**
   * @param resetMs how long a sink that gave up counts as failing (`sink.circuitResetMs`, the time its circuit stays
   *   open): /readyz recovers by itself, so a balancer that took the instance out sends it traffic again and the
   *   next delivery probes the sink.
   */
  private constructor(private readonly sinks: Sink[], private readonly resetMs: number, private readonly opts: ServiceSinksOptions) {
    this.now = opts.now ?? Date.now;
    for (const s of sinks) this.state.set(s.name, { name: s.name, ok: true, failedAt: 0 });
  }

  /**
   * @throws SinkError / UsageError when a sink cannot be opened.
   */
  static async open(config: ZakConfig, ctx: RunContext, opts: ServiceSinksOptions = {}): Promise<ServiceSinks> {
    const sinks = opts.sinks ?? (await createSinks({ ...config, out: config.serve.out }, { ...ctx, outputs: config.serve.out }));
    const opened: Sink[] = [];
    try {
      for (const s of sinks) {
        await s.open(ctx);
        opened.push(s);
      }
    } catch (err) {
      await Promise.allSettled(opened.map((s) => s.close({ interrupted: true })));
      throw err;
    }
    return new ServiceSinks(sinks, config.sink.circuitResetMs, opts);
  }

  get count(): number {
    return this.sinks.length;
  }

  /** Hands records to every sink at once and waits for each to accept them or give up. Never throws. */
  async deliver(records: ZakRecord[]): Promise<DeliveryOutcome> {
    if (this.sinks.length === 0 || records.length === 0) return { delivered: true, errors: [] };
    const outcomes = await Promise.allSettled(this.sinks.map((s) => s.write(records)));
    const errors: string[] = [];
    outcomes.forEach((o, i) => {
      const name = this.sinks[i].name;
      const ok = o.status === 'fulfilled';
      if (!ok) errors.push(errorMessage(o.reason));
      this.state.set(name, ok ? { name, ok, failedAt: 0 } : { name, ok, error: errorMessage(o.reason), failedAt: this.now() });
      this.opts.onDelivery?.(name, ok);
    });
    return { delivered: errors.length === 0, errors };
  }

  /** Each sink's state: failing from a delivery that gave up until a later one succeeds or `resetMs` passes. */
  health(): SinkHealth[] {
    const now = this.now();
    return [...this.state.values()].map(({ failedAt, ...h }) => (h.ok || now - failedAt >= this.resetMs ? { name: h.name, ok: true } : h));
  }

  /** Flushes and closes every sink (file outputs are renamed into place). Returns the sinks that failed. */
  async close(interrupted = false): Promise<SinkError[]> {
    const failed: SinkError[] = [];
    for (const s of this.sinks) {
      try {
        await s.close({ interrupted });
      } catch (err) {
        failed.push(err instanceof SinkError ? err : new SinkError(s.name, `${s.name}: close failed: ${errorMessage(err)}`, { cause: err }));
      }
    }
    return failed;
  }
}
