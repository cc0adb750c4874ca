import { describe, expect, it } from 'vitest';
import {
  checkAgainstBaseline, checkRequirements, compareWithBaseline, metricDef, parseRequirement, validateBaseline,
} from './compare.js';
import type { BaselineFile } from './types.js';

const opts = { tolerancePp: 0.5, latencyTolerancePct: null };

describe('metricDef', () => {
  it.each([
    ['cer', 'rate', 'lower'],
    ['wer', 'rate', 'lower'],
    ['failureRate', 'rate', 'lower'],
    ['field.total.exact', 'rate', 'higher'],
    ['barcode.EAN_13.recall', 'rate', 'higher'],
    ['latency.p95Ms', 'ms', 'lower'],
    ['throughput', 'per_s', 'higher'],
  ])('%s is a %s metric, %s is better', (name, unit, better) => {
    expect(metricDef(name)).toEqual({ unit, better });
  });
});

describe('checkAgainstBaseline', () => {
  it.each<[string, string, number, number, 'pass' | 'fail', string]>([
    ['equal passes', 'cer', 0.02, 0.02, 'pass', 'cer 2.00% vs baseline 2.00% (+0.00 pp; tolerance 0.5 pp)'],
    ['within 0.5 pp passes', 'cer', 0.0249, 0.02, 'pass', 'cer 2.49% vs baseline 2.00% (+0.49 pp; tolerance 0.5 pp)'],
    ['beyond 0.5 pp fails', 'cer', 0.0251, 0.02, 'fail', 'cer 2.51% vs baseline 2.00% (+0.51 pp; tolerance 0.5 pp)'],
    ['better CER passes', 'cer', 0.01, 0.02, 'pass', 'cer 1.00% vs baseline 2.00% (-1.00 pp; tolerance 0.5 pp)'],
    ['zeroed baseline fails', 'wer', 0.0333, 0, 'fail', 'wer 3.33% vs baseline 0.00% (+3.33 pp; tolerance 0.5 pp)'],
    ['accuracy drop fails', 'field.total.exact', 0.9, 0.95, 'fail', 'field.total.exact 90.00% vs baseline 95.00% (-5.00 pp; tolerance 0.5 pp)'],
    ['accuracy gain passes', 'barcode.all.recall', 1, 0.9, 'pass', 'barcode.all.recall 100.00% vs baseline 90.00% (+10.00 pp; tolerance 0.5 pp)'],
  ])('%s', (_n, metric, cur, base, status, message) => {
    const c = checkAgainstBaseline('v', metric, cur, base, opts);
    expect(c.status).toBe(status);
    expect(c.message).toBe(message);
  });

  it('reports latency without gating it unless --latency-tolerance is given', () => {
    expect(checkAgainstBaseline('v', 'latency.p95Ms', 300, 100, opts)).toMatchObject({
      status: 'info', message: 'latency.p95Ms 300 ms vs baseline 100 ms (+200.0%; not gated without --latency-tolerance)',
    });
    expect(checkAgainstBaseline('v', 'latency.p95Ms', 120, 100, { ...opts, latencyTolerancePct: 25 }).status).toBe('pass');
    expect(checkAgainstBaseline('v', 'latency.p95Ms', 130, 100, { ...opts, latencyTolerancePct: 25 }).status).toBe('fail');
    expect(checkAgainstBaseline('v', 'throughput', 7, 10, { ...opts, latencyTolerancePct: 25 }).status).toBe('fail');
    expect(checkAgainstBaseline('v', 'throughput', 12, 10, { ...opts, latencyTolerancePct: 25 }).status).toBe('pass');
  });

  it('skips a baseline metric the run does not have', () => {
    expect(checkAgainstBaseline('v', 'field.total.exact', undefined, 0.9, opts)).toMatchObject({
      status: 'skip', message: 'field.total.exact is in the baseline but not in this run',
    });
  });
});

function baseline(variants: Record<string, Record<string, number>>): BaselineFile {
  return {
    schema: 'zakocr.bench-baseline/v1', createdAt: '', compare: {},
    dataset: { name: 'd', path: '/d', format: 'gt-lines', items: 1, itemsHash: 'x' },
    variants: Object.fromEntries(Object.entries(variants).map(([k, metrics]) => [k, { engine: { name: k, models: [], device: 'cpu', version: '1' }, pipelineVersion: 'p', metrics }])),
  };
}

describe('compareWithBaseline', () => {
  it('matches variants by name and gates every baseline metric', () => {
    const { checks, notes } = compareWithBaseline(
      [{ name: 'tesseract', flat: { cer: 0.03, wer: 0.1 } }, { name: 'paddle', flat: { cer: 0.01 } }],
      baseline({ tesseract: { cer: 0.02, wer: 0.1 } }),
      opts,
    );
    expect(checks.map((c) => [c.variant, c.metric, c.status])).toEqual([['tesseract', 'cer', 'fail'], ['tesseract', 'wer', 'pass']]);
    expect(notes).toEqual(['variant "paddle" is not in the baseline (has: tesseract); not gated']);
  });

  it('compares the only variant on each side whatever their names', () => {
    const { checks, notes } = compareWithBaseline([{ name: 'degraded', flat: { cer: 0.5 } }], baseline({ good: { cer: 0.02 } }), opts);
    expect(checks[0]).toMatchObject({ variant: 'degraded', status: 'fail' });
    expect(notes).toEqual(['baseline variant "good" compared with this run\'s "degraded" (the only one on each side)']);
  });
});

describe('requirements', () => {
  it.each([
    ['cer<=0.02', { metric: 'cer', op: '<=', value: 0.02 }],
    [' cer <= 2% ', { metric: 'cer', op: '<=', value: 0.02 }],
    ['barcode.all.recall>=90%', { metric: 'barcode.all.recall', op: '>=', value: 0.9 }],
    ['latency.p95Ms<1500', { metric: 'latency.p95Ms', op: '<', value: 1500 }],
  ])('parses %j', (expr, want) => {
    expect(parseRequirement(expr)).toEqual(want);
  });

  it.each([
    ['cer=0.02', '--require cer=0.02: must be <metric><=|>=|<|><number>[%]'],
    ['cer<=', '--require cer<=: must be <metric><=|>=|<|><number>[%]'],
    ['<=0.1', '--require <=0.1: must be <metric><=|>=|<|><number>[%]'],
  ])('rejects %j', (expr, msg) => {
    expect(() => parseRequirement(expr)).toThrow(msg);
  });

  it('passes, fails, and fails on a metric the run lacks', () => {
    const checks = checkRequirements([{ name: 'v', flat: { cer: 0.01, 'barcode.all.recall': 0.8 } }], [
      parseRequirement('cer<=2%'), parseRequirement('barcode.all.recall>=0.9'), parseRequirement('field.total.exact>=0.9'),
    ]);
    expect(checks.map((c) => c.status)).toEqual(['pass', 'fail', 'fail']);
    expect(checks[1]!.message).toBe('barcode.all.recall 80.00% (required barcode.all.recall >= 90.00%)');
    expect(checks[2]!.message).toMatch(/^required field.total.exact >= 90.00%, but this run has no field.total.exact/u);
  });
});

describe('validateBaseline', () => {
  it.each([
    [null, 'Expected a zakocr bench baseline (schema zakocr.bench-baseline/v1) in b.json'],
    [{ schema: 'other' }, 'Expected a zakocr bench baseline (schema zakocr.bench-baseline/v1) in b.json'],
    [{ schema: 'zakocr.bench-baseline/v1', variants: { t: {} } }, 'Expected {"metrics": {...}} for variant "t" in b.json'],
  ])('rejects %j', (v, msg) => {
    expect(() => validateBaseline(v, 'b.json')).toThrow(msg);
  });
});
