import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okRecord } from '../../test/helpers/records.js';
import { csvFormat } from '../sinks/csv.js';
import { isZakRecord, readRecordLines, readRecords, recordText } from './record-io.js';
import type { ZakRecord } from './types.js';

describe('recordText', () => {
  it.each([
    ['{"a":1}', { json: '{"a":1}', suffix: '' }],
    ['\ufeff{"a":1}', { json: '{"a":1}', suffix: '' }],
    ['{"a":1},', { json: '{"a":1}', suffix: ',' }],
    ['  {"a":1}  ', { json: '{"a":1}', suffix: '' }],
    ['[', null],
    [']', null],
    ['[]', null],
    ['   ', null],
  ])('%j → %j', (line, want) => expect(recordText(line)).toEqual(want));
});

describe('isZakRecord', () => {
  it.each([
    [{ file: 'a.png', lines: [] }, true],
    [{ file: 'a.png' }, false],
    [{ lines: [] }, false],
    [{ file: 3, lines: [] }, false],
    [null, false],
    ['{"file":"a"}', false],
  ])('%j → %s', (value, want) => expect(isZakRecord(value)).toBe(want));
});

describe('readRecords', () => {
  let dir: string;
  const recs: ZakRecord[] = [okRecord(1), okRecord(2), okRecord(3)];
  const write = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text, 'utf8');
    return file;
  };
  const all = async (it: AsyncIterable<ZakRecord>) => {
    const out: ZakRecord[] = [];
    for await (const r of it) out.push(r);
    return out;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-record-io-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads JSON Lines, the JSON sink array and the CSV sink rows alike', async () => {
    const jsonl = await write('r.jsonl', recs.map((r) => JSON.stringify(r)).join('\n') + '\n\n');
    const json = await write('r.json', '[\n' + recs.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n');
    const csv = await write('r.csv', csvFormat.header() + recs.map((r, i) => csvFormat.serialise(r, i)).join(''));
    for (const file of [jsonl, json, csv]) expect(await all(readRecords(file)), file).toEqual(recs);
  });

  it('names the file and line of a bad row', async () => {
    const file = await write('bad.jsonl', `${JSON.stringify(recs[0])}\n{not json\n`);
    await expect(all(readRecords(file))).rejects.toThrow(`${file} line 2: not valid JSON`);
    const other = await write('other.jsonl', '{"hello":"world"}\n');
    await expect(all(readRecords(other))).rejects.toThrow(`${other} line 1: not a zakocr record (expected "file" and "lines")`);
  });

  it('skips bad rows when asked, but never hides an unreadable file', async () => {
    const file = await write('mixed.jsonl', `${JSON.stringify(recs[0])}\n{cut off\n{"a":1}\n${JSON.stringify(recs[1])}\n`);
    expect(await all(readRecords(file, { onInvalid: 'skip' }))).toEqual([recs[0], recs[1]]);
    await expect(all(readRecords(path.join(dir, 'missing.jsonl'), { onInvalid: 'skip' }))).rejects.toThrow(/^Cannot read .*missing\.jsonl: ENOENT/);
  });

  it('gives every physical line with its record and suffix, for rewriting in place', async () => {
    const file = await write('lines.json', `[\n${JSON.stringify(recs[0])},\n${JSON.stringify(recs[1])}\n]\n`);
    const lines = [];
    for await (const l of readRecordLines(file)) lines.push([l.lineNo, l.record?.file ?? null, l.suffix]);
    expect(lines).toEqual([[1, null, ''], [2, recs[0].file, ','], [3, recs[1].file, ''], [4, null, '']]);
  });

});
