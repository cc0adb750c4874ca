import { describe, expect, it } from 'vitest';
import { okRecord } from '../../test/helpers/records.js';
import { jobRow } from '../db/rows.js';
import { rowsJson } from './pg.js';

describe('rowsJson', () => {
  it('is plain JSON when there is no U+0000', () => {
    const rows = [jobRow(okRecord(1))];
    expect(rowsJson(rows)).toBe(JSON.stringify(rows));
  });
  it('replaces U+0000 (which jsonb refuses) with U+FFFD everywhere, keeping a literal backslash-u text intact', () => {
    const r = okRecord(2);
    r.text = 'a\u0000b \\u0000';
    r.lines[0].text = '\u0000';
    const parsed = JSON.parse(rowsJson([jobRow(r)]));
    expect(parsed[0].record.text).toBe('a\uFFFDb \\u0000');
    expect(parsed[0].record.lines[0].text).toBe('\uFFFD');
  });
});
