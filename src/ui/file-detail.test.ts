import { describe, expect, it } from 'vitest';
import { failedRecord, identity, okRecord } from '../../test/helpers/records.js';
import { makeOkRecord } from '../core/record.js';
import type { Quality } from '../core/types.js';
import { decisionText, detailFields, timingText } from './file-detail.js';

/** A page as engine `auto` leaves it: stage timings with the engine's own stages and its re-read counts. */
const AUTO_TIMINGS = {
  read: 5, decode: 27, preprocess: 823, barcode: 1322, ocr: 1915, 'ocr.det': 469.8, 'ocr.crop': 96.6, 'ocr.cls': 52.9, 'ocr.rec': 1263.3,
  'ocr.reread': 210.4, 'ocr.rereadLines': 2, 'ocr.replacedLines': 1, extract: 64, total: 2846,
};
const QUALITY: Quality = { score: 0.87, blur: 300, brightness: 0.9, contrast: 0.8, skewDeg: 1.24, rotation: 90, issues: ['blur'] };
const autoPage = makeOkRecord(identity(1, { engine: { name: 'auto', models: [], device: 'cpu', version: '1' } }), {
  docType: 'receipt',
  quality: QUALITY,
  preprocess: ['deskew', 'contrast'],
  review: ['missing_field:date'],
  timingsMs: AUTO_TIMINGS,
  lines: [
    { text: 'Basmati Rice', confidence: 0.95, engine: 'paddle', box: [0, 0, 10, 10] },
    { text: 'Tk 450.00', confidence: 0.97, engine: 'paddle', box: [0, 10, 10, 10] },
    { text: 'মোট', confidence: 0.7, engine: 'tesseract', box: [0, 20, 10, 10] },
  ],
});

describe('timingText (--verbose)', () => {
  it.each<[string, Record<string, number>, string]>([
    ['stages in order, the engine\'s own inside ocr, counts left out', AUTO_TIMINGS,
      'read 5 · decode 27 · preprocess 823 · barcode 1322 · ocr 1915 (det 470, crop 97, cls 53, rec 1263, reread 210) · extract 64 · total 2846 ms'],
    ['tenths only under 10 ms and only when not whole', { read: 1, decode: 8, ocr: 4.25, 'ocr.det': 0.4, total: 13.6 }, 'read 1 · decode 8 · ocr 4.3 (det 0.4) · total 14 ms'],
    ['a failed read', { read: 3, total: 3 }, 'read 3 · total 3 ms'],
    ['nothing timed', {}, 'no timings'],
  ])('%s', (_label, timings, want) => {
    expect(timingText(timings)).toBe(want);
  });
});

describe('decisionText (--debug)', () => {
  it('says what the engine did: lines per engine, re-reads, orientation, quality, preprocessing, type, review', () => {
    expect(decisionText(autoPage)).toBe(
      'engine auto on cpu · 3 lines (paddle 2, tesseract 1) · reread 2, replaced 1 · turned 90°, skew 1.2° · quality 0.87 (blur) · ' +
        'preprocess deskew, contrast · receipt · review missing_field:date',
    );
  });

  it('a failed page says where it failed', () => {
    expect(decisionText(failedRecord(2))).toBe('engine none on none · 0 lines · preprocess none · failed at decode: corrupt_image · unknown');
  });
});

describe('detailFields (--json-log with --verbose / --debug)', () => {
  it('--verbose: flat camelCase timing fields, no dots (ocr and ocr.det would clash in a log index)', () => {
    expect(detailFields(okRecord(3), false)).toEqual({ file: 'in/3.png', decodeMs: 3, ocrMs: 40, totalMs: 50 });
    const f = detailFields(autoPage, false);
    expect(f).toMatchObject({ ocrDetMs: 469.8, ocrRereadMs: 210.4 });
    expect(f).not.toHaveProperty('ocrRereadLines');
  });

  it('--debug: the decisions too, every value a scalar', () => {
    const f = detailFields(autoPage, true);
    expect(f).toMatchObject({
      engine: 'auto', device: 'cpu', lines: 3, linesPaddle: 2, linesTesseract: 1, ocrRereadLines: 2, ocrReplacedLines: 1,
      quality: 0.87, rotation: 90, skewDeg: 1.24, qualityIssues: 'blur', preprocess: 'deskew,contrast', barcodes: 0,
    });
    for (const v of Object.values(f)) expect(['string', 'number']).toContain(typeof v);
  });

  it('names the page of a multi-page file', () => {
    expect(detailFields(okRecord(4, { page: 2 }), false)).toMatchObject({ file: 'in/4.png', page: 2 });
  });
});
