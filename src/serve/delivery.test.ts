import { describe, expect, it } from 'vitest';
import type { RunContext, Sink, ZakRecord } from '../core/types.js';
import { defaults, type ZakConfig } from '../config/defaults.js';
import { ServiceSinks } from './delivery.js';

/** A sink that fails while `down` is true. */
function switchableSink(name: string): Sink & { down: boolean; got: number } {
  return {
    name,
    down: false,
    got: 0,
    async open() {},
    async write(records: ZakRecord[]) {
      if (this.down) throw new Error('connection refused');
      this.got += records.length;
    },
    async flush() {},
    async close() {},
  };
}

const ctx = { runId: 'r', pipelineVersion: 'v', startedAt: new Date(), resume: false, log: { info() {}, warn() {}, error() {}, debug() {} } } as RunContext;
const record = { sha256: 'a'.repeat(64) } as ZakRecord;

describe('ServiceSinks', () => {
  it('delivers to every sink; a failing one is reported, counted as failing for sink.circuitResetMs, then ready again', async () => {
    let now = 1_000;
    const good = switchableSink('good');
    const bad = switchableSink('bad');
    const seen: string[] = [];
    const config = { ...structuredClone(defaults), sink: { ...defaults.sink, circuitResetMs: 5_000 } } as ZakConfig;
    const sinks = await ServiceSinks.open(config, ctx, { sinks: [good, bad], onDelivery: (s, ok) => seen.push(`${s}:${ok}`), now: () => now });
    expect(await sinks.deliver([record])).toEqual({ delivered: true, errors: [] });
    bad.down = true;
    expect(await sinks.deliver([record])).toEqual({ delivered: false, errors: ['connection refused'] });
    expect(good.got).toBe(2);
    expect(sinks.health()).toEqual([{ name: 'good', ok: true }, { name: 'bad', ok: false, error: 'connection refused' }]);
    now += 4_999;
    expect(sinks.health()[1].ok).toBe(false);
    now += 1;
    expect(sinks.health()[1]).toEqual({ name: 'bad', ok: true });
    expect(seen).toEqual(['good:true', 'bad:true', 'good:true', 'bad:false']);
    expect(await sinks.close()).toEqual([]);
  });

  it('no sink configured: every delivery counts as delivered', async () => {
    const sinks = await ServiceSinks.open({ ...structuredClone(defaults) } as ZakConfig, ctx, { sinks: [] });
    expect(await sinks.deliver([record])).toEqual({ delivered: true, errors: [] });
    expect(sinks.health()).toEqual([]);
  });
});
