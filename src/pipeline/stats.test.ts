import { describe, expect, it } from 'vitest';
import { failedRecord, okRecord } from '../../test/helpers/records.js';
import { RunStats } from './stats.js';

const run = { runId: 'r', pipelineVersion: 'p', engine: { name: 'none', models: [], device: 'none' as const, version: '0' }, durationMs: 1000 };

describe('RunStats', () => {
  it('counts statuses and summarises latency and confidence with the bench definitions', () => {
    const stats = new RunStats();
    [100, 200, 300, 400].forEach((ms, i) => stats.add([i === 3 ? failedRecord(i) : okRecord(i)], ms));
    stats.addSkipped();
    const s = stats.summary(run);
    expect([s.files, s.records, s.ok, s.failed, s.skipped]).toEqual([5, 4, 3, 1, 1]);
    // Interpolated percentiles (p95 of 100..400 = 385), whole milliseconds.
    expect(s.latencyMs).toEqual({ mean: 250, p50: 250, p95: 385, max: 400 });
    expect(s.meanConfidence).toBe(0.93); // every line of test/helpers okRecord reads 0.93; failed records have none
    expect(stats.slowest()[0]).toEqual({ file: 'in/3.png', ms: 400 });
  });
});
