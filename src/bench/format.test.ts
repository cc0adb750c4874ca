import { describe, expect, it } from 'vitest';
import { compactDiff, comparisonRows, diffSegments, formatDelta, metricLabel } from './format.js';
import { alignChars } from './metrics.js';
import { variant } from '../../test/helpers/bench-report.js';

describe('diffs', () => {
  it('groups substitutions into a deletion and an insertion', () => {
    expect(diffSegments(alignChars('The cot sat', 'The cat sat').ops)).toEqual([
      { op: 'equal', text: 'The c' }, { op: 'delete', text: 'a' }, { op: 'insert', text: 'o' }, { op: 'equal', text: 't sat' },
    ]);
  });

  it.each([
    ['The cot sat', 'The cat sat', 'The c[-a-]{+o+}t sat'],
    ['', 'ab', '[-ab-]'],
    ['ab', '', '{+ab+}'],
    ['line one\nline tw0', 'line one\nline two', 'line one⏎line tw[-o-]{+0+}'],
    ['কমা', 'ক্ষমা', '[-ক্ষ-]{+ক+}মা'],
  ])('compactDiff(%j vs %j)', (hyp, ref, want) => {
    expect(compactDiff(alignChars(hyp, ref).ops)).toBe(want);
  });

  it('shortens long equal runs around the errors', () => {
    const ref = `${'a'.repeat(40)}X${'b'.repeat(40)}`;
    const hyp = `${'a'.repeat(40)}Y${'b'.repeat(40)}`;
    expect(compactDiff(alignChars(hyp, ref).ops, 5)).toBe('…aaaaa[-X-]{+Y+}bbbbb…');
  });
});

describe('formatDelta', () => {
  it.each([
    ['cer', 0.02, 0.025, '+0.50 pp'],
    ['field.total.exact', 0.9, 0.8, '-10.00 pp'],
    ['latency.p50Ms', 100, 150, '+50%'],
    ['throughput', 10, 5, '-50%'],
    ['latency.p50Ms', 0, 0, '+0%'],
    ['cer', null, 0.1, ''],
  ])('%s %j → %j = %s', (metric, a, b, want) => {
    expect(formatDelta(metric, a, b)).toBe(want);
  });
});

describe('comparisonRows', () => {
  it('lists every metric of any variant with deltas against the first and marks the worse side', () => {
    const rows = comparisonRows([variant('good'), variant('worse')]);
    const cer = rows.find((r) => r.metric === 'cer')!;
    expect(rows[0]!.metric).toBe('cer');
    expect(cer.worse).toEqual([false, true]);
    expect(cer.cells[1]).toMatch(/^\d+\.\d\d% \(\+\d+\.\d\d pp\)$/u);
    expect(rows.map((r) => r.metric)).toContain('barcode.QR_CODE.recall');
    expect(metricLabel('field.total.normalized')).toBe('field total normalised');
    expect(metricLabel('barcode.all.recall')).toBe('barcode all formats recall');
  });
});
