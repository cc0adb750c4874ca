import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_NAME, RunManifest, manifestPath, type ManifestEntry } from './manifest.js';

const entry = (sha: string, pv = 'v1', extra: Partial<ManifestEntry> = {}): ManifestEntry => ({
  sha256: sha, pipelineVersion: pv, file: `${sha}.png`, pages: 1, status: 'ok', runId: 'r1', at: '2026-11-28T00:00:00.000Z', ...extra,
});

describe('manifestPath', () => {
  it.each<[string | null, string[], string]>([
    [null, ['zakocr-results.jsonl'], `/work/run/${MANIFEST_NAME}`],
    [null, ['out/rows.csv', 'other/rows.jsonl'], `/work/run/out/${MANIFEST_NAME}`],
    [null, ['-', 'out/rows.jsonl'], `/work/run/out/${MANIFEST_NAME}`], // stdout has no folder: the first file output decides
    [null, ['-'], `/work/run/${MANIFEST_NAME}`],
    [null, [], `/work/run/${MANIFEST_NAME}`],
    [null, ['/abs/results.jsonl'], `/abs/${MANIFEST_NAME}`],
    ['m.jsonl', ['out/rows.csv'], '/work/run/m.jsonl'],
    ['/var/zak/m.jsonl', ['out/rows.csv'], '/var/zak/m.jsonl'],
  ])('manifest %j with outputs %j → %s', (configured, outputs, expected) => {
    expect(manifestPath(configured, outputs, '/work/run')).toBe(expected);
  });
});

describe('RunManifest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-manifest-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records appended files as done for their pipeline version only', async () => {
    const m = await RunManifest.open(path.join(dir, 'nested', 'm.jsonl'), true);
    expect(m.size).toBe(0);
    await m.append([entry('aa'), entry('bb')]);
    await m.append([]);
    expect([m.isDone('aa', 'v1'), m.isDone('bb', 'v1'), m.isDone('aa', 'v2'), m.isDone('cc', 'v1')]).toEqual([true, true, false, false]);
    expect(m.size).toBe(2);
    const lines = (await readFile(path.join(dir, 'nested', 'm.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).sha256)).toEqual(['aa', 'bb']);
  });

  it('reloads done files with load=true and ignores them with load=false (--force)', async () => {
    const file = path.join(dir, 'm.jsonl');
    const first = await RunManifest.open(file, false);
    await first.append([entry('aa'), entry('bb', 'v2')]);
    const resumed = await RunManifest.open(file, true);
    expect([resumed.isDone('aa', 'v1'), resumed.isDone('bb', 'v2'), resumed.size]).toEqual([true, true, 2]);
    const fresh = await RunManifest.open(file, false);
    expect([fresh.isDone('aa', 'v1'), fresh.size]).toEqual([false, 0]);
  });

  it('skips a torn last line, blank lines and entries without sha256 or version', async () => {
    const file = path.join(dir, 'm.jsonl');
    const good = JSON.stringify(entry('aa'));
    await writeFile(file, [good, '', '   ', JSON.stringify({ sha256: 'xx' }), JSON.stringify({ pipelineVersion: 'v1' }), good.slice(0, 30)].join('\n'));
    const m = await RunManifest.open(file, true);
    expect([m.size, m.isDone('aa', 'v1'), m.isDone('xx', 'v1')]).toEqual([1, true, false]);
    // Appending after a torn line still yields parseable entries for the next resume.
    await m.append([entry('bb')]);
    const again = await RunManifest.open(file, true);
    expect(again.isDone('bb', 'v1')).toBe(true);
  });

  it('keeps identical copies apart: done by content, and by path (as recorded and absolute)', async () => {
    const m = await RunManifest.open(path.join(dir, 'm.jsonl'), true);
    await m.append([entry('aa', 'v1', { file: 'in/a.png', absPath: '/w/in/a.png' })]);
    expect(m.isDone('aa', 'v1')).toBe(true);
    expect(m.isDone('aa', 'v1', 'in/a.png')).toBe(true);
    expect(m.isDone('aa', 'v1', 'in/a-copy.png')).toBe(false);
    expect(m.isDoneAt('aa', 'v1', '/w/in/a.png')).toBe(true);
    expect(m.isDoneAt('aa', 'v1', '/w/in/a-copy.png')).toBe(false);
    expect(m.isDoneAt('aa', 'v2', '/w/in/a.png')).toBe(false);
    const reloaded = await RunManifest.open(path.join(dir, 'm.jsonl'), true);
    expect([reloaded.isDone('aa', 'v1', 'in/a.png'), reloaded.isDoneAt('aa', 'v1', '/w/in/a.png'), reloaded.isDoneAt('aa', 'v1', '/w/in/a-copy.png')]).toEqual([true, true, false]);
  });

  it('entries without absPath (older manifests) match on content alone', async () => {
    const m = await RunManifest.open(path.join(dir, 'm.jsonl'), true);
    await m.append([entry('bb')]);
    expect(m.isDoneAt('bb', 'v1', '/anywhere/x.png')).toBe(true);
  });
});
