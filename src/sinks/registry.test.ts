import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { RunContext } from '../core/types.js';
import { defaults } from '../config/defaults.js';
import type { ZakConfig } from '../config/defaults.js';
import { createFileSink, createSinks } from './registry.js';

const ctx = {} as RunContext;
const withOut = (out: string[]) => ({ ...structuredClone(defaults), out }) as unknown as ZakConfig;

describe('createFileSink', () => {
  it.each([
    ['r.jsonl', 'jsonl'],
    ['r.NDJSON', 'jsonl'],
    ['r.json', 'json'],
    ['out/r.csv', 'csv'],
  ])('%s → %s', (out, kind) => {
    expect(createFileSink(out, '/tmp').name).toContain(kind);
  });

  it('rejects an unknown extension, naming the file and the known ones', () => {
    expect(() => createFileSink('r.txt')).toThrow(UsageError);
    expect(() => createFileSink('r.txt')).toThrow(/r\.txt.*\.jsonl, \.ndjson, \.json, \.csv/);
  });
});

describe('createSinks', () => {
  it.each([
    [['r.jsonl', 'r.jsonl']],
    [['r.jsonl', './r.jsonl']],
    [['-', '-']],
  ])('refuses the same output twice: %j', async (out) => {
    await expect(createSinks(withOut(out), ctx)).rejects.toThrow(/given twice/);
  });
});

describe('createSinks cwd', () => {
  it('resolves relative output paths under the scan cwd, not the process cwd', async () => {
    const sinks = await createSinks(withOut(['r.jsonl', 'sub/r.csv']), { runId: 'r', outputs: ['r.jsonl'] } as RunContext, { cwd: '/srv/shop' });
    expect(sinks.map((s) => s.name)).toEqual(['jsonl:/srv/shop/r.jsonl', 'csv:/srv/shop/sub/r.csv']);
  });
});
