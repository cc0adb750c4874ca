import { describe, expect, it } from 'vitest';
import { failedRecord, okRecord, shaOf } from '../../test/helpers/records.js';
import { fileStatus, makeOkRecord, recordKey, textOfLines, withLines, withoutControls, withReview, type RecordIdentity } from './record.js';
import { isRetriedOnResume, parseReviewReason, reasonField, reviewReason } from './review-reason.js';

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
    expect(textOfLines([{ text: 'a', block: 0 }, { text: 'b', block: 0 }, { text: 'c', block: 1 }])).toBe('a\nb\n\nc');
    expect(textOfLines([{ text: 'a' }, { text: 'b' }])).toBe('a\nb');
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

describe('recordKey', () => {
  it.each([
    [{ sha256: shaOf(1), page: null, pipelineVersion: 'v1', file: 'a.png' }, `${shaOf(1)}|-1|v1`],
    [{ sha256: shaOf(1), page: 0, pipelineVersion: 'v1', file: 'a.pdf' }, `${shaOf(1)}|0|v1`],
    [{ sha256: shaOf(1), page: 3, pipelineVersion: 'v2', file: 'b.pdf' }, `${shaOf(1)}|3|v2`],
    [{ sha256: '', page: null, pipelineVersion: 'v1', file: 'locked.png' }, 'path:locked.png|-1|v1'],
  ])('%o → %s', (r, key) => {
    expect(recordKey(r)).toBe(key);
  });
});

describe('fileStatus', () => {
  it.each([
    [['ok', 'ok'], 'ok'],
    [['ok', 'needs_review'], 'needs_review'],
    [['needs_review', 'failed'], 'failed'],
    [['ok', 'skipped'], 'ok'],
  ] as const)('%j → %s', (statuses, want) => {
    expect(fileStatus(statuses.map((status) => ({ status })))).toBe(want);
  });
});

describe('withReview', () => {
  it('a needs-review record without reasons left becomes ok, and back', () => {
    const rec = { ...okRecord(1), status: 'needs_review' as const, review: ['missing_field:date'] };
    const settled = withReview(rec, []);
    expect([settled.status, settled.review]).toEqual(['ok', []]);
    expect(withReview(settled, ['check_failed:sum']).status).toBe('needs_review');
    expect(rec.status).toBe('needs_review'); // the input is left alone
  });

  it('failed records keep their status', () => {
    expect(withReview(failedRecord(1), []).status).toBe('failed');
  });
});

describe('withLines', () => {
  it('the text follows the lines when it was their text, and stays when it was set otherwise', () => {
    const rec = okRecord(1);
    const lines = rec.lines.map((l, i) => (i === 0 ? { ...l, text: 'corrected' } : l));
    expect(withLines(rec, lines).text).toBe(textOfLines(lines));
    const layered = { ...rec, text: 'PDF text layer' };
    expect(withLines(layered, lines).text).toBe('PDF text layer');
  });
});

describe('review reasons', () => {
  it.each([
    [reviewReason.missingField('total'), 'missing_field:total', { kind: 'missing_field', field: 'total' }],
    [reviewReason.lowConfidence('date'), 'low_confidence:date', { kind: 'low_confidence', field: 'date' }],
    [reviewReason.checkFailed('sum'), 'check_failed:sum', { kind: 'check_failed', check: 'sum' }],
    [reviewReason.lowQuality(0.234, ['blur', 'dark']), 'low_quality:0.23:blur,dark', { kind: 'low_quality', score: 0.23, issues: ['blur', 'dark'] }],
    [reviewReason.lowQuality(0.5, []), 'low_quality:0.50', { kind: 'low_quality', score: 0.5, issues: [] }],
    [reviewReason.noTextFound(), 'no_text_found', { kind: 'no_text_found' }],
    [reviewReason.alreadyDone(), 'already_done', { kind: 'already_done' }],
    [reviewReason.catalogUnavailable(), 'catalog_unavailable', { kind: 'catalog_unavailable' }],
  ])('%s is written as %s and read back', (built, text, parsed) => {
    expect(built).toBe(text);
    expect(parseReviewReason(built)).toEqual(parsed);
  });

  it('only a lookup outage is retried on --resume', () => {
    expect(['catalog_unavailable', 'no_text_found', 'low_quality:0.20:too_small', 'missing_field:total', 'catalog_unavailable:x']
      .map((r) => isRetriedOnResume(parseReviewReason(r)))).toEqual([true, false, false, false, false]);
  });

  it.each(['missing_field', 'missing_field:', 'low_quality:x', 'no_text_found:extra', 'catalog_unavailable:x', 'future_reason:1'])('%s is kept as another reason', (text) => {
    expect(parseReviewReason(text)).toEqual({ kind: 'other', text });
  });

  it('names the field of field reasons only', () => {
    expect(['missing_field:total', 'low_confidence:date', 'check_failed:sum', 'no_text_found'].map((r) => reasonField(parseReviewReason(r)))).toEqual(['total', 'date', null, null]);
  });
});
