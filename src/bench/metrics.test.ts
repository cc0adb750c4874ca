import { describe, expect, it } from 'vitest';
import {
  aggregateErrors,
  align,
  alignChars,
  asciiDigits,
  cer,
  charErrors,
  compareField,
  expandUpcE,
  fieldKindOf,
  graphemes,
  gtinKey,
  levenshtein,
  matchBarcodes,
  normalizeText,
  parseAmount,
  parseDate,
  percentile,
  scoreBarcodes,
  scoreFields,
  summarizeLatency,
  throughput,
  wer,
  wordErrors,
  type TextCompareOptions,
} from './metrics.js';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['same', 'same', 0],
    ['👍', '👎', 1], // astral code points are one unit, not two UTF-16 halves
  ])('levenshtein(%j, %j) = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });

  it('takes token arrays', () => {
    expect(levenshtein(['the', 'cat'], ['the', 'dog', 'cat'])).toBe(1);
  });
});

describe('align', () => {
  it('gives the edit script kitten → sitting', () => {
    const a = align([...'kitten'], [...'sitting']);
    expect(a.ops.map((o) => o.op)).toEqual([
      'substitute', 'equal', 'equal', 'equal', 'substitute', 'equal', 'insert',
    ]);
    expect([a.substitutions, a.insertions, a.deletions, a.hits, a.edits]).toEqual([2, 1, 0, 4, 3]);
    expect(a.ops[0]).toEqual({ op: 'substitute', ref: 'k', hyp: 's' });
    expect(a.ops[6]).toEqual({ op: 'insert', hyp: 'g' });
  });

  it('counts deletions of a reference the hypothesis lacks', () => {
    const a = align([...'abcde'], [...'abXd']);
    expect([a.substitutions, a.deletions, a.insertions, a.edits, a.rate]).toEqual([1, 1, 0, 2, 0.4]);
  });

  it('aligns two empty sequences', () => {
    expect(align([], [])).toMatchObject({ ops: [], edits: 0, refLength: 0, rate: 0 });
  });

  it('refuses inputs above the cell limit with a RangeError', () => {
    const big = new Array<string>(9000).fill('a');
    expect(() => align(big, big)).toThrow('Expected at most 67108864 alignment cells, got 9000 × 9000 tokens');
  });
});

describe('cer', () => {
  const cp: TextCompareOptions = { unit: 'codepoint' };
  it.each<[string, string, string, TextCompareOptions, number]>([
    ['empty both', '', '', {}, 0],
    ['empty reference, non-empty hypothesis', 'abc', '', {}, 1],
    ['empty hypothesis: all deletions', '', 'abc', {}, 1],
    ['one deletion', 'helo', 'hello', {}, 0.2],
    ['insertions can exceed 1', 'abcd', 'a', {}, 3],
    ['NFC: é precomposed vs e + U+0301', 'e\u0301', '\u00e9', {}, 0],
    ['NFC: য় U+09DF vs য + nukta', '\u09af\u09bc', '\u09df', {}, 0],
    ['Bengali vowel sign: কি vs কী is one grapheme substitution', 'কি', 'কী', {}, 1],
    ['Bengali vowel sign, code points: 1 of 2', 'কি', 'কী', cp, 0.5],
    ['Bengali conjunct ক্ষমা vs কমা: 1 of 2 graphemes', 'কমা', 'ক্ষমা', {}, 0.5],
    ['Bengali conjunct, code points: 2 deletions of 5', 'কমা', 'ক্ষমা', cp, 0.4],
    ['emoji skin tone dropped: 1 of 4 graphemes', '👍 ok', '👍🏽 ok', {}, 0.25],
    ['emoji skin tone dropped: 1 of 5 code points', '👍 ok', '👍🏽 ok', cp, 0.2],
    ['ZWJ family vs man: 1 grapheme', '👨', '👨‍👩‍👧', {}, 1],
    ['ZWJ family vs man: 4 of 5 code points', '👨', '👨‍👩‍👧', cp, 0.8],
    ['case matters by default', 'Hello', 'hello', {}, 0.2],
    ['foldCase', 'HELLO', 'hello', { foldCase: true }, 0],
    ['foldPunctuation keeps ৳', 'দাম: ৳৫০।', 'দাম ৳৫০', { foldPunctuation: true }, 0],
    ['foldWhitespace collapses and trims', '  a \t b\n', 'a b', { foldWhitespace: true }, 0],
    ['all folds', 'Hello,   World!', 'hello world', { foldCase: true, foldPunctuation: true, foldWhitespace: true }, 0],
  ])('%s', (_name, hyp, ref, opts, rate) => {
    expect(cer(hyp, ref, opts)).toBeCloseTo(rate, 12);
  });

  it('reports insertions, deletions and substitutions', () => {
    expect(charErrors('abXdZZ', 'abcde')).toEqual({
      edits: 3, insertions: 1, deletions: 0, substitutions: 2, hits: 3, refLength: 5, hypLength: 6, rate: 0.6,
    });
  });

  it('segments Bengali and emoji into grapheme clusters', () => {
    expect(graphemes('ক্ষমা কী 👨‍👩‍👧')).toEqual(['ক্ষ', 'মা', ' ', 'কী', ' ', '👨‍👩‍👧']);
  });

  it('aligns characters for a diff', () => {
    expect(alignChars('কমা', 'ক্ষমা').ops).toEqual([
      { op: 'substitute', ref: 'ক্ষ', hyp: 'ক' },
      { op: 'equal', ref: 'মা', hyp: 'মা' },
    ]);
  });

  it('normalises in the documented order', () => {
    expect(normalizeText(' A.  B ', { foldCase: true, foldPunctuation: true, foldWhitespace: true })).toBe('a b');
  });
});

describe('wer', () => {
  it.each<[string, string, TextCompareOptions, number]>([
    ['', '', {}, 0],
    ['the cat', '', {}, 1],
    ['', 'the cat', {}, 1],
    ['the cat sat', 'the cat sat down', {}, 0.25],
    ['the bat sat on', 'the cat sat', {}, 2 / 3],
    ['the cat, sat', 'the cat sat', {}, 1 / 3],
    ['the cat, sat', 'the cat sat', { foldPunctuation: true }, 0],
    ['দাম ৫০ টাকা', 'দাম ৬০ টাকা', {}, 1 / 3],
    ['a   b\nc', 'a b c', {}, 0],
  ])('wer(%j, %j, %j) = %d', (hyp, ref, opts, rate) => {
    expect(wer(hyp, ref, opts)).toBeCloseTo(rate, 12);
  });

  it('reports word-level counts', () => {
    expect(wordErrors('the bat sat on', 'the cat sat')).toMatchObject({ substitutions: 1, insertions: 1, deletions: 0 });
  });
});

describe('aggregateErrors', () => {
  it('is a micro average: sum of edits over sum of reference lengths', () => {
    const a = charErrors('x', 'ab'); // 1 substitution + 1 deletion: 2 edits of 2
    const b = charErrors('abcdefgh', 'abcdefgh');
    const agg = aggregateErrors([a, b]);
    expect(agg).toMatchObject({ edits: 2, refLength: 10, substitutions: 1, deletions: 1, hits: 8 });
    expect(agg.rate).toBeCloseTo(0.2, 12); // the mean of per-item rates would be 0.5
  });

  it('is zero for no items', () => {
    expect(aggregateErrors([]).rate).toBe(0);
  });
});

describe('percentile and latency', () => {
  it.each([
    [[1, 2, 3, 4], 50, 2.5],
    [[1, 2, 3, 4], 95, 3.85],
    [[4, 1, 3, 2], 0, 1],
    [[4, 1, 3, 2], 100, 4],
    [[5], 95, 5],
  ])('percentile(%j, %d) = %d', (values, p, want) => {
    expect(percentile(values, p)).toBeCloseTo(want, 12);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it.each([
    [101, 'Expected a number between 0 and 100 for p, got 101 (number)'],
    [-1, 'Expected a number between 0 and 100 for p, got -1 (number)'],
    [Number.NaN, 'Expected a number between 0 and 100 for p, got NaN (number)'],
    ['50', 'Expected a number between 0 and 100 for p, got 50 (string)'],
  ])('rejects p = %j', (p, msg) => {
    expect(() => percentile([1], p as number)).toThrow(msg);
  });

  it('summarises latencies', () => {
    expect(summarizeLatency([10, 20, 30, 40])).toEqual({ count: 4, mean: 25, p50: 25, p95: 38.5, max: 40, min: 10 });
    expect(summarizeLatency([])).toEqual({ count: 0, mean: null, p50: null, p95: null, max: null, min: null });
  });

  it('computes throughput', () => {
    expect(throughput(10, 2000)).toBe(5);
    expect(throughput(10, 0)).toBe(0);
  });
});

describe('barcode metrics', () => {
  it.each([
    ['01234565', '012345000065'],
    ['04963406', '049000006346'],
    ['00123457', '001234000057'],
    ['04124498', '041244000098'],
    ['1234567', null],
    ['21234565', null],
  ])('expandUpcE(%s) = %s', (upce, upca) => {
    expect(expandUpcE(upce)).toBe(upca);
  });

  it('keys retail symbols by GTIN-14', () => {
    expect(gtinKey({ format: 'UPC_A', text: '036602301467' })).toBe('00036602301467');
    expect(gtinKey({ format: 'EAN_13', text: '0036602301467' })).toBe('00036602301467');
    expect(gtinKey({ format: 'UPC_E', text: '01234565' })).toBe('00012345000065');
    expect(gtinKey({ format: 'QR_CODE', text: '123' })).toBeNull();
  });

  it('matches exact, GTIN-equivalent and newline-terminated labels', () => {
    const m = matchBarcodes(
      [
        { format: 'UPC_A', text: '036602301467' },
        { format: 'QR_CODE', text: 'hello\n' },
        { format: 'CODE_128', text: 'ABC' },
      ],
      [
        { format: 'QR_CODE', text: 'hello' },
        { format: 'EAN_13', text: '0036602301467' },
        { format: 'CODE_39', text: 'ABC' },
      ],
    );
    expect(m.matched).toHaveLength(2);
    expect(m.missed).toEqual([{ format: 'CODE_128', text: 'ABC' }]);
    expect(m.falseDecodes).toEqual([{ format: 'CODE_39', text: 'ABC' }]);
  });

  it('scores recall, precision and false decodes per format', () => {
    const s = scoreBarcodes([
      { expected: [{ format: 'EAN_13', text: '4006381333931' }], decoded: [{ format: 'EAN_13', text: '4006381333931' }] },
      { expected: [{ format: 'UPC_A', text: '036602301467' }], decoded: [{ format: 'EAN_13', text: '0036602301467' }] },
      { expected: [{ format: 'QR_CODE', text: 'hi' }], decoded: [{ format: 'QR_CODE', text: 'ho' }] },
      { expected: [{ format: 'QR_CODE', text: 'x\n' }], decoded: [] },
    ]);
    expect(s.perFormat).toEqual([
      { format: 'EAN_13', expected: 1, found: 1, decoded: 2, correct: 2, falseDecodes: 0, recall: 1, precision: 1 },
      { format: 'QR_CODE', expected: 2, found: 0, decoded: 1, correct: 0, falseDecodes: 1, recall: 0, precision: 0 },
      { format: 'UPC_A', expected: 1, found: 1, decoded: 0, correct: 0, falseDecodes: 0, recall: 1, precision: null },
    ]);
    expect(s.total).toMatchObject({ expected: 4, found: 2, decoded: 3, correct: 2, falseDecodes: 1, recall: 0.5 });
    expect(s.total.precision).toBeCloseTo(2 / 3, 12);
  });
});

describe('field metrics', () => {
  it.each([
    ['total', 'amount'],
    ['amount', 'amount'],
    ['amount_tax', 'amount'],
    ['date', 'date'],
    ['invoice_date', 'date'],
    ['invoice_number', 'code'],
    ['invoiceNumber', 'code'],
    ['currency', 'currency'],
    ['company', 'text'],
    ['address', 'text'],
  ])('fieldKindOf(%s) = %s', (name, kind) => {
    expect(fieldKindOf(name)).toBe(kind);
  });

  it.each<[string, string, unknown, unknown, boolean, boolean]>([
    ['amount trailing zero', 'amount', '80.90', 80.9, false, true],
    ['amount as FieldValue', 'amount', 279.84, { value: 279.84, confidence: 0.9 }, true, true],
    ['amount with taka and Bengali digits', 'amount', '1,234.50', '৳ ১২৩৪.৫', false, true],
    ['amount decimal comma', 'amount', '12,50', 12.5, false, true],
    ['amount lakh grouping', 'amount', '1,23,456.00', 123456, false, true],
    ['amount European', 'amount', '1.234,56', 1234.56, false, true],
    ['amount wrong', 'amount', '80.90', 8.09, false, false],
    ['date dd/mm/yyyy', 'date', '25/12/2018', '2018-12-25', false, true],
    ['date dd-mm-yyyy', 'date', '23-01-2019', '2019-01-23', false, true],
    ['date month-first when day > 12', 'date', '12/25/2018', '2018-12-25', false, true],
    ['date dd Mon yyyy', 'date', '20 Mar 2023', '2023-03-20', false, true],
    ['date Month dd, yyyy', 'date', 'March 20, 2023', '2023-03-20', false, true],
    ['date two-digit year', 'date', '02/01/19', '2019-01-02', false, true],
    ['date wrong day', 'date', '25/12/2018', '2018-12-24', false, false],
    ['code separators', 'code', 'INV/2023/03/0008', 'inv 2023-03-0008', false, true],
    ['currency taka sign', 'currency', 'BDT', '৳', false, true],
    ['currency Tk', 'currency', 'BDT', 'Tk', false, true],
    ['currency dollar', 'currency', 'USD', '$', false, true],
    ['text case and punctuation', 'text', 'YONGFATT ENTERPRISE', 'Yongfatt Enterprise.', false, true],
    ['text trimmed is exact', 'text', 'ABC', ' ABC ', true, true],
    ['missing actual', 'text', 'ABC', undefined, false, false],
    ['empty actual', 'text', '', '', false, false],
  ])('%s', (_name, kind, want, got, exact, normalized) => {
    expect(compareField(kind as never, want, got)).toEqual({ exact, normalized });
  });

  it.each([
    ['31/02/2020', null],
    ['not a date', null],
    ['২০২৩-০৩-২০', '2023-03-20'],
    ['25th December 2018', '2018-12-25'],
  ])('parseDate(%j) = %j', (s, want) => {
    expect(parseDate(s)).toBe(want);
  });

  it.each([
    ['abc', null],
    ['Tk 1,250/-', 1250],
    ['RM 80.90', 80.9],
    [Number.NaN, null],
  ])('parseAmount(%j) = %j', (s, want) => {
    expect(parseAmount(s)).toBe(want);
  });

  it('converts Bengali digits', () => {
    expect(asciiDigits('৳১২৩')).toBe('৳123');
  });

  it('scores per field over labelled items', () => {
    const rows = scoreFields([
      { expected: { total: '80.90', company: 'ACME' }, actual: { total: 80.9, company: 'ACME' } },
      { expected: { total: '10.00', company: '' }, actual: {} },
    ]);
    expect(rows).toEqual([
      { field: 'company', kind: 'text', labelled: 1, present: 1, exact: 1, normalized: 1, exactRate: 1, normalizedRate: 1 },
      { field: 'total', kind: 'amount', labelled: 2, present: 1, exact: 0, normalized: 1, exactRate: 0, normalizedRate: 0.5 },
    ]);
  });
});
