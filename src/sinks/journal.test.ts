import { appendFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okRecord } from '../../test/helpers/records.js';
import { RecordJournal } from './journal.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-journal-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RecordJournal', () => {
  it('keeps what was appended across reopening, and a later line for a key replaces the earlier one', async () => {
    const file = path.join(dir, 'a.journal');
    const j = await RecordJournal.open(file, false);
    await j.append([{ key: '/in/1.png', records: [okRecord(1)] }, { key: '/in/2.png', records: [okRecord(2)] }]);
    await j.append([{ key: '/in/1.png', records: [okRecord(1), okRecord(11)] }]);
    await j.close();
    const again = await RecordJournal.open(file, true);
    expect(again.files).toBe(2);
    expect(again.supersededLines).toBe(1);
    expect(again.order).toEqual(['/in/1.png', '/in/2.png']);
    expect((await again.records('/in/1.png'))?.map((r) => r.sha256)).toEqual([okRecord(1).sha256, okRecord(11).sha256]);
    expect(again.has('/in/2.png', okRecord(2).sha256, okRecord(2).pipelineVersion)).toBe(true);
    expect(again.has('/in/2.png', okRecord(2).sha256, 'other-version')).toBe(false);
    expect(again.has('/in/3.png', okRecord(2).sha256, okRecord(2).pipelineVersion)).toBe(false);
    await again.close();
  });

  it('cuts a torn last line (a crash mid-append) and appends cleanly after it', async () => {
    const file = path.join(dir, 'torn.journal');
    const j = await RecordJournal.open(file, false);
    await j.append([{ key: '/in/1.png', records: [okRecord(1)] }]);
    await j.close();
    appendFileSync(file, '{"key":"/in/2.png","sha256":"ab');
    const again = await RecordJournal.open(file, true);
    expect(again.files).toBe(1);
    await again.append([{ key: '/in/3.png', records: [okRecord(3)] }]);
    await again.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { key: string }).key)).toEqual(['/in/1.png', '/in/3.png']);
  });

  it('without keep, starts empty', async () => {
    const file = path.join(dir, 'a.journal');
    const j = await RecordJournal.open(file, false);
    expect(j.files).toBe(0);
    await j.close();
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
