import { describe, expect, it } from 'vitest';
import { failedRecord, okRecord } from '../../test/helpers/records.js';
import type { SourceItem } from '../core/types.js';
import { applyEvent, clock, finish, initialProgress, progressLines } from './progress-state.js';

const item = (i: number): SourceItem => ({ path: `in/${i}.png`, absPath: `/x/in/${i}.png`, size: 1 });
const text = (lines: ReturnType<typeof progressLines>) => lines.map((l) => l.map((s) => s.text).join(''));
const engine = { name: 'auto', models: [], device: 'cpu' as const, version: '1' };

describe('progress display', () => {
  it.each([[0, '0:00'], [59.4, '0:59'], [61, '1:01'], [3599, '59:59'], [3600, '1:00:00'], [45296, '12:34:56']])('clock(%d) = %s', (s, want) => {
    expect(clock(s)).toBe(want);
  });

  it('says the engines are loading until the scan starts, then shows total, rate and ETA as h:mm:ss', () => {
    const s = initialProgress(0);
    expect(text(progressLines(s, 9_000))).toEqual(['loading models and starting workers… 0:09']);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 2, manifest: 'm' }, 10_000);
    applyEvent(s, { type: 'discovered', count: 8, final: true }, 10_000);
    for (let i = 0; i < 2; i++) applyEvent(s, { type: 'file', item: item(i), records: [okRecord(i)], ms: 100 }, 11_000);
    const [bar, counts, current] = text(progressLines(s, 14_000));
    expect(bar).toMatch(/ 2\/8 files · 0\.50\/s · 0:14 · ETA 0:12 · engine auto on cpu$/u);
    expect(counts).toBe('ok 2 · review 0 · failed 0');
    expect(current).toBe('▸ in/1.png');
  });

  it('after Ctrl-C says it is stopping and never claims all files were seen; the final screen drops the current file', () => {
    const s = initialProgress(0);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 2, manifest: 'm' }, 0);
    applyEvent(s, { type: 'discovered', count: 8 }, 0);
    for (let i = 0; i < 5; i++) applyEvent(s, { type: 'file', item: item(i), records: [i === 3 ? failedRecord(i) : okRecord(i)], ms: 100 }, 1000);
    applyEvent(s, { type: 'draining', inFlight: 1 }, 1000);
    expect(text(progressLines(s, 2000))[2]).toMatch(/^stopping: finishing 1 file\(s\) in progress/u);
    applyEvent(s, { type: 'file', item: item(5), records: [okRecord(5)], ms: 100 }, 2500);
    finish(s);
    const lines = text(progressLines(s, 3000));
    expect(lines[0]).toContain(' 6/8+ files');
    expect(lines[0]).not.toContain('ETA');
    expect(lines.slice(1)).toEqual(['ok 5 · review 0 · failed 1', '✗ in/3.png: corrupt_image']);
  });

  it('counts resumed (skipped) files as done but not in the rate', () => {
    const s = initialProgress(0);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 1, manifest: 'm' }, 0);
    for (let i = 0; i < 4; i++) applyEvent(s, { type: 'skipped', item: item(i) }, 0);
    applyEvent(s, { type: 'file', item: item(4), records: [okRecord(4)], ms: 100 }, 1000);
    expect(text(progressLines(s, 2000))[0]).toContain(' 5/5+ files · 0.50/s');
  });
});
