import type { Logger, Sink, ZakRecord } from '../../src/core/types.js';

/** A logger that says nothing (in-process runs under test). */
export const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** A sink that keeps records in memory; `refuse`: every write fails as a database that is down. */
export class MemorySink implements Sink {
  readonly name = 'memory';
  records: ZakRecord[] = [];
  constructor(private readonly refuse = false) {}
  async open(): Promise<void> {}
  async write(records: ZakRecord[]): Promise<void> {
    if (this.refuse) throw new Error('database is down');
    this.records.push(...records);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}
