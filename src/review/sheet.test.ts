import { describe, expect, it } from 'vitest';
import { decodeSheet, firstInvalidUtf8, formatProblem, formatSheet, parseFieldValue, parseSheet, unescapeCell } from './sheet.js';
import type { ReviewRow } from './rows.js';

function row(over: Partial<ReviewRow>): ReviewRow {
  return {
    rowId: 'L-000000000001', kind: 'line', file: 'a.jpg', page: null, sha256: 'a'.repeat(64), pipelineVersion: 'v1', docType: 'receipt',
    engineStamp: null, lineIndex: 0, field: null, fieldType: null, text: 'TOTAL 31.00', confidence: 0.42, engine: 'paddle',
    box: [1, 2, 30, 10], quad: null, crop: 'crops/L-000000000001.png', image: '/x/a.jpg', ...over,
  };
}

const rows = new Map<string, ReviewRow>([
  ['L-000000000001', row({})],
  ['F-000000000002', row({ rowId: 'F-000000000002', kind: 'field:total', field: 'total', fieldType: 'number', text: '31', lineIndex: null })],
  ['F-000000000003', row({ rowId: 'F-000000000003', kind: 'field:date', field: 'date', fieldType: 'date', text: '' })],
]);
const HEADER = 'row_id,file,page,kind,current_text,confidence,engine,crop,corrected';
const sheet = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8');
const parseText = (bytes: Buffer) => parseSheet({ bytes, rows, packageDir: '/pkg' });

describe('formatSheet', () => {
  it('writes a BOM, the header and spreadsheet-safe cells', () => {
    const text = formatSheet([row({ text: '=HYPERLINK("x")', confidence: 0.123456 }), row({ rowId: 'F-1', kind: 'field:date', text: '', confidence: null, page: 0 })]);
    expect(text.startsWith('\ufeffrow_id,file,page,kind,current_text')).toBe(true);
    expect(text).toContain(`L-000000000001,a.jpg,,line,"'=HYPERLINK(""x"")",0.123,paddle,crops/L-000000000001.png,\r\n`);
    expect(text).toContain('F-1,a.jpg,1,field:date,,,paddle,crops/L-000000000001.png,\r\n');
  });
});

describe('parseSheet', () => {
  it('reads corrections, skips empty ones, types field values and undoes the formula escape', () => {
    const res = parseText(
      sheet(
        'L-000000000001,a.jpg,,line,TOTAL 31.00,0.42,paddle,crops/L-000000000001.png,"TOTAL  31.50 "',
        'F-000000000002,a.jpg,,field:total,31,0.3,paddle,,"Tk 1,250.50"',
        'F-000000000003,a.jpg,,field:date,,,paddle,,২০২৬-১১-২৮',
        ',,,,,,,,',
      ),
    );
    expect(res.problems).toEqual([]);
    expect(res.corrections).toEqual([
      { sheetRow: 2, rowId: 'L-000000000001', text: 'TOTAL 31.50', value: 'TOTAL 31.50' },
      { sheetRow: 3, rowId: 'F-000000000002', text: '1250.5', value: 1250.5 },
      { sheetRow: 4, rowId: 'F-000000000003', text: '2026-11-28', value: '2026-11-28' },
    ]);
    expect(parseText(sheet(`L-000000000001,,,,,,,,'-12.50`)).corrections[0].text).toBe('-12.50');
  });

  it('accepts semicolon-separated sheets (spreadsheets in comma-decimal locales)', () => {
    const bytes = Buffer.from('row_id;corrected\r\nL-000000000001;TOTAL 9\r\n', 'utf8');
    expect(parseText(bytes).corrections.map((c) => c.text)).toEqual(['TOTAL 9']);
  });

  it.each([
    ['a missing corrected column', Buffer.from('row_id,file,current_text\r\nL-000000000001,a.jpg,x\r\n'), 'row 1, column corrected: missing column "corrected" (the header has: row_id, file, current_text)'],
    ['a missing row_id column', Buffer.from('id,corrected\r\nL-1,x\r\n'), 'row 1, column row_id: missing column "row_id" (the header has: id, corrected)'],
    ['an unknown row id', sheet('L-ffffffffffff,,,,,,,,TOTAL'), 'row 2, column row_id: unknown row id "L-ffffffffffff" (not in this review package)'],
    ['a correction without row id', sheet(',,,,,,,,TOTAL'), 'row 2, column row_id: empty row id next to a correction'],
    ['a crop path escaping the package', sheet('L-000000000001,,,,,,,../../etc/passwd,TOTAL'), 'row 2, column crop: path "../../etc/passwd" leaves the review package folder; crop paths must stay inside it'],
    ['an absolute crop path', sheet('L-000000000001,,,,,,,/etc/passwd,TOTAL'), 'row 2, column crop: path "/etc/passwd" leaves the review package folder; crop paths must stay inside it'],
    ['a non-number for a number field', sheet('F-000000000002,,,,,,,,abc'), 'row 2, column corrected: expected a number for field total (like 1250.50), got "abc"'],
    ['a non-ISO date', sheet('F-000000000003,,,,,,,,28/11/2026'), 'row 2, column corrected: expected a real date as YYYY-MM-DD for field date, got "28/11/2026"'],
    ['an impossible date', sheet('F-000000000003,,,,,,,,2026-02-30'), 'row 2, column corrected: expected a real date as YYYY-MM-DD for field date, got "2026-02-30"'],
    ['a row id twice with different answers', sheet('L-000000000001,,,,,,,,A', 'L-000000000001,,,,,,,,B'), 'row 3, column row_id: row id L-000000000001 appears again (row 2) with another correction'],
    ['Windows-1252 bytes', Buffer.concat([Buffer.from(`${HEADER}\r\nL-000000000001,,,,,,,,Caf`), Buffer.from([0xe9]), Buffer.from('\r\n')]), 'row 2: not UTF-8 text (byte 0xe9 at offset 94); save the sheet as "CSV UTF-8 (comma delimited)", not as ANSI/Windows-1252 CSV'],
    ['UTF-16', Buffer.from('\ufeffrow_id\tcorrected\r\n', 'utf16le'), 'the file is UTF-16 ("Unicode Text"), not UTF-8; save it as "CSV UTF-8 (comma delimited)"'],
    ['an empty file', Buffer.alloc(0), 'row 1: the sheet is empty (no header row)'],
  ])('reports %s', (_name, bytes, message) => {
    const res = parseText(bytes);
    expect(res.problems.map(formatProblem)).toEqual([message]);
  });

  it('lists every problem, not only the first', () => {
    const res = parseText(sheet('L-nope,,,,,,,,x', 'F-000000000002,,,,,,,,y', 'L-000000000001,,,,,,,,ok'));
    expect(res.problems.map((p) => p.sheetRow)).toEqual([2, 3]);
  });
});

describe('helpers', () => {
  it.each([
    [[0x41, 0xc3, 0xa9], -1],
    [[0xe0, 0xa6, 0x95], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x41, 0xe9, 0x41], 1],
    [[0xc0, 0x80], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xe0, 0xa6], 0],
  ])('firstInvalidUtf8(%j) = %i', (bytes, want) => expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(want));

  it.each([
    ["'=1+1", '=1+1'],
    ["'-5", '-5'],
    ["'hello", "'hello"],
    ['plain', 'plain'],
  ])('unescapeCell(%j) = %j', (cell, want) => expect(unescapeCell(cell)).toBe(want));

  it.each([
    ['number', '৳ ১,২৫০.৫০', 1250.5],
    ['number', 'RM 31', 31],
    ['number', '-3.5', -3.5],
    ['text', '  Basmati  ', '  Basmati  '],
    ['date', '2024-02-29', '2024-02-29'],
  ] as const)('parseFieldValue(%s, %j)', (type, raw, want) => expect(parseFieldValue(type, 'f', raw)).toEqual({ value: want }));

  it('decodes a BOM-prefixed sheet', () => {
    expect(decodeSheet(Buffer.from('\ufeffa,b', 'utf8'))).toEqual({ text: 'a,b' });
  });
});
