import { describe, expect, it } from 'vitest';
import { failedRecord, okRecord } from '../../test/helpers/records.js';
import type { SourceItem } from '../core/types.js';
import { applyEvent, clock, finish, initialProgress, knownTotal, progressLines, type ProgressState } from './progress-state.js';

const item = (i: number): SourceItem => ({ path: `in/${i}.png`, absPath: `/x/in/${i}.png`, size: 1 });
const text = (lines: ReturnType<typeof progressLines>) => lines.map((l) => l.map((s) => s.text).join(''));
const engine = { name: 'auto', models: [], device: 'cpu' as const, version: '1' };

describe('progress display', () => {
  it.each([[0, '0:00'], [59.4, '0:59'], [61, '1:01'], [3599, '59:59'], [3600, '1:00:00'], [45296, '12:34:56']])('clock(%d) = %s', (s, want) => {
    expect(clock(s)).toBe(want);
  });

  it('names the models while they load, then shows total, rate and ETA as h:mm:ss', () => {
    const s = initialProgress(0, ['det', 'cls', 'rec', 'tesseract eng']);
    expect(text(progressLines(s, 9_000))).toEqual(['loading models (det, cls, rec, tesseract eng)… 0:09']);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 2, manifest: 'm' }, 10_000);
    applyEvent(s, { type: 'discovered', count: 8, final: true }, 10_000);
    for (let i = 0; i < 2; i++) applyEvent(s, { type: 'file', item: item(i), records: [okRecord(i)], ms: 100 }, 11_000);
    const [bar, counts, current] = text(progressLines(s, 14_000));
    expect(bar).toMatch(/ 2\/8 files · 0\.50\/s · 0:14 · ETA 0:12 · engine auto on cpu$/u);
    expect(counts).toBe('ok 2 · review 0 · failed 0');
    expect(current).toBe('▸ in/1.png');
  });

  it('an engine that loads nothing says so', () => {
    expect(text(progressLines(initialProgress(0), 1_000))).toEqual(['starting (no OCR models to load)… 0:01']);
  });

  it('the count ahead gives the total while the models load and the ETA from the first file, before discovery ends', () => {
    const s = initialProgress(0, ['tesseract eng']);
    applyEvent(s, { type: 'counted', count: 200, final: false }, 500);
    expect(text(progressLines(s, 1_000))).toEqual(['loading models (tesseract eng)… 0:01 · 200+ files to scan']);
    applyEvent(s, { type: 'counted', count: 240, final: true }, 1_500);
    expect(text(progressLines(s, 2_000))).toEqual(['loading models (tesseract eng)… 0:02 · 240 files to scan']);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 2, manifest: 'm' }, 10_000);
    applyEvent(s, { type: 'discovered', count: 100 }, 10_000);
    for (let i = 0; i < 4; i++) applyEvent(s, { type: 'file', item: item(i), records: [okRecord(i)], ms: 100 }, 11_000);
    expect(text(progressLines(s, 12_000))[0]).toMatch(/ 4\/240 files · 2\.00\/s · 0:12 · ETA 1:58 · /u);
  });

  it('discovery\'s own end wins over the count ahead (files may come or go during a run)', () => {
    const s = initialProgress(0);
    applyEvent(s, { type: 'counted', count: 10, final: true }, 0);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 1, manifest: 'm' }, 0);
    applyEvent(s, { type: 'discovered', count: 11, final: true }, 0);
    expect(knownTotal(s)).toBe(11);
  });

  it.each<[string, (s: ProgressState) => void, string]>([
    ['no count ahead (standard input), discovery cut short by Ctrl-C', () => undefined, ' 6/6+ files'],
    ['the count ahead is the total', (s) => applyEvent(s, { type: 'counted', count: 8, final: true }, 0), ' 6/8 files'],
  ])('after Ctrl-C never claims all files were seen: %s', (_label, before, want) => {
    const s = initialProgress(0);
    before(s);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 2, manifest: 'm' }, 0);
    for (let i = 0; i < 5; i++) applyEvent(s, { type: 'file', item: item(i), records: [okRecord(i)], ms: 100 }, 1000);
    // What the scan emits on Ctrl-C: discovery ends (with what it had found), then the drain starts.
    applyEvent(s, { type: 'discovered', count: 6, final: true }, 1000);
    applyEvent(s, { type: 'draining', inFlight: 1 }, 1000);
    expect(text(progressLines(s, 1500))[0]).toContain(want.replace('6/', '5/'));
    applyEvent(s, { type: 'file', item: item(5), records: [okRecord(5)], ms: 100 }, 2000);
    finish(s, { interrupted: true });
    expect(text(progressLines(s, 3000))[0]).toContain(want);
  });

  it('an interrupted run with no drain (nothing was in flight) still shows no total from discovery', () => {
    const s = initialProgress(0);
    applyEvent(s, { type: 'start', runId: 'r', engine, pipelineVersion: 'p', concurrency: 1, manifest: 'm' }, 0);
    applyEvent(s, { type: 'file', item: item(0), records: [okRecord(0)], ms: 100 }, 1000);
    applyEvent(s, { type: 'discovered', count: 1, final: true }, 1000);
    finish(s, { interrupted: true });
    expect(text(progressLines(s, 2000))[0]).toContain(' 1/1+ files');
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
