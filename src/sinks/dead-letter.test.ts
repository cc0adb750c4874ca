import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { okRecord } from '../../test/helpers/records.js';
import { DeadLetterFile, deadLetterPath } from './dead-letter.js';

describe('deadLetterPath', () => {
  it.each<[string | null, string[], string]>([
    [null, ['out/results.jsonl'], '/w/out/zakocr-deadletter.jsonl'],
    [null, ['-', 'rows.csv'], '/w/zakocr-deadletter.jsonl'],
    [null, ['-'], '/w/zakocr-deadletter.jsonl'],
    [null, [], '/w/zakocr-deadletter.jsonl'],
    ['dl/failed.jsonl', ['out/results.jsonl'], '/w/dl/failed.jsonl'],
    ['/abs/failed.jsonl', [], '/abs/failed.jsonl'],
  ])('configured %s, outputs %o → %s', (configured, outputs, expected) => {
    expect(deadLetterPath(configured, outputs, '/w')).toBe(expected);
  });
});

describe('DeadLetterFile', () => {
  it('creates nothing until written, then appends one line per record, in call order', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zk-dl-'));
    const dl = new DeadLetterFile(path.join(dir, 'sub', 'dead.jsonl'), 'run-9');
    await expect(stat(dl.file)).rejects.toThrow();
    await Promise.all([dl.appendRecords('kafka', [okRecord(1), okRecord(2)], 'broker down', 3), dl.appendRecords('postgres', [okRecord(3)], 'db down', 1)]);
    const lines = (await readFile(dl.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.schema, l.sink, l.runId, l.record.file, l.error, l.attempts])).toEqual([
      ['zakocr.deadletter/v1', 'kafka', 'run-9', 'in/1.png', 'broker down', 3],
      ['zakocr.deadletter/v1', 'kafka', 'run-9', 'in/2.png', 'broker down', 3],
      ['zakocr.deadletter/v1', 'postgres', 'run-9', 'in/3.png', 'db down', 1],
    ]);
    expect(dl.count).toBe(3);
  });

  it('rejects when the file cannot be written, and later appends still work', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zk-dl-'));
    const bad = new DeadLetterFile(path.join(dir, 'x'), null);
    await bad.appendRecords('a', [okRecord(1)], 'e', 1);
    const blocked = new DeadLetterFile(path.join(dir, 'x', 'below-a-file.jsonl'));
    await expect(blocked.appendRecords('a', [okRecord(1)], 'e', 1)).rejects.toThrow(/ENOTDIR|EEXIST/);
    await bad.appendRecords('a', [okRecord(2)], 'e', 1);
    expect(bad.count).toBe(2);
  });
});
