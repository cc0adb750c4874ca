import { describe, expect, it } from 'vitest';
import { linesText, makeOkRecord, withoutControls, type RecordIdentity } from './record.js';

const id: RecordIdentity = { file: 'a.pdf', page: 0, sha256: 'x', bytes: 1, pipelineVersion: 'v', runId: 'r', engine: { name: 'null', models: [], device: 'none', version: '0' } };

describe('record text', () => {
  it.each([
    ['Phone\u0019\u0012', 'Phone'],
    ['a\r\nb\rc', 'a\nb\nc'],
    ['tab\tand\nnewline stay', 'tab\tand\nnewline stay'],
    ['\u0000\u0007\u001b[0m\u007f\u0085\u009f', '[0m'],
    ['৳ 450 টাকা', '৳ 450 টাকা'],
  ])('withoutControls(%j) = %j', (input, output) => {
    expect(withoutControls(input)).toBe(output);
  });

  it('separates layout blocks by a blank line', () => {
    expect(linesText([{ text: 'a', block: 0 }, { text: 'b', block: 0 }, { text: 'c', block: 1 }])).toBe('a\nb\n\nc');
    expect(linesText([{ text: 'a' }, { text: 'b' }])).toBe('a\nb');
  });

  it('never lets a control character into text or line text, whoever built the lines', () => {
    const rec = makeOkRecord(id, {
      lines: [{ text: '"7+%-\u0019\u0012', confidence: 1, engine: 'pdf-text', box: [0, 0, 1, 1] }, { text: 'two\nlines\tx', confidence: 1, engine: 'x', box: [0, 0, 1, 1] }],
      text: 'raw\u0003 text',
    });
    expect(rec.text).toBe('raw text');
    expect(rec.lines.map((l) => l.text)).toEqual(['"7+%-', 'two lines x']);
    expect(makeOkRecord(id, { lines: rec.lines }).text).toBe('"7+%-\ntwo lines x');
  });
});
