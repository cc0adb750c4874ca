/**
 * The regression gate: compares a run's flat metrics with a saved baseline and with absolute
 * requirements (`--require "cer<=0.02"`). Pure, no I/O; the CLI turns a failed gate into
 * RegressionError (exit 4).
 *
 * Units. Rate metrics (cer, wer, failureRate, field and barcode accuracies) are fractions 0..1 and
 * their tolerance is in PERCENTAGE POINTS: `--tolerance 0.5` lets CER rise from 2.0 % to 2.5 %,
 * not to 2.01 %. Latency (ms) and throughput (items/s) are noisy on shared machines and are only
 * gated with `--latency-tolerance <percent>` (relative change, e.g. 25 = 25 % slower).
 */
import { UsageError, badFlag } from '../core/errors.js';
import type { BaselineFile, GateCheck } from './types.js';

export type MetricUnit = 'rate' | 'ms' | 'per_s';

export interface MetricDef {
  unit: MetricUnit;
  /** Which way is better. */
  better: 'lower' | 'higher';
}

/** Direction and unit of a flat metric name. */
export function metricDef(name: string): MetricDef {
  if (name.startsWith('latency.')) return { unit: 'ms', better: 'lower' };
  if (name === 'throughput') return { unit: 'per_s', better: 'higher' };
  if (name === 'cer' || name === 'wer' || name === 'failureRate' || name.endsWith('.cer') || name.endsWith('.wer')) {
    return { unit: 'rate', better: 'lower' };
  }
  return { unit: 'rate', better: 'higher' };
}

/** Float noise allowed when comparing equal runs (sums of many fractions). */
const EPSILON = 1e-9;

export interface GateOptions {
  /** Allowed worsening of rate metrics, percentage points. */
  tolerancePp: number;
  /** Allowed relative worsening of latency/throughput in percent; null = not gated. */
  latencyTolerancePct: number | null;
}

function fmt(name: string, v: number): string {
  const { unit } = metricDef(name);
  if (unit === 'rate') return `${(v * 100).toFixed(2)}%`;
  if (unit === 'ms') return `${v.toFixed(0)} ms`;
  return `${v.toFixed(2)}/s`;
}

/** One metric of one variant against its baseline value. */
export function checkAgainstBaseline(variant: string, metric: string, current: number | undefined, base: number, opts: GateOptions): GateCheck {
  const def = metricDef(metric);
  const common = { variant, metric, kind: 'baseline' as const, reference: base };
  if (current === undefined) {
    return { ...common, status: 'skip', current: null, delta: null, tolerance: null, message: `${metric} is in the baseline but not in this run` };
  }
  const delta = current - base;
  const worse = def.better === 'lower' ? delta : -delta;
  if (def.unit === 'rate') {
    const tol = opts.tolerancePp / 100;
    const fail = worse > tol + EPSILON;
    const pp = (delta * 100).toFixed(2);
    return {
      ...common, current, delta, tolerance: tol, status: fail ? 'fail' : 'pass',
      message: `${metric} ${fmt(metric, current)} vs baseline ${fmt(metric, base)} (${delta >= 0 ? '+' : ''}${pp} pp; tolerance ${opts.tolerancePp} pp)`,
    };
  }
  const rel = base !== 0 ? (worse / Math.abs(base)) * 100 : worse > 0 ? Infinity : 0;
  const relText = `${delta >= 0 ? '+' : ''}${base !== 0 ? ((delta / Math.abs(base)) * 100).toFixed(1) : '∞'}%`;
  if (opts.latencyTolerancePct === null) {
    return { ...common, current, delta, tolerance: null, status: 'info', message: `${metric} ${fmt(metric, current)} vs baseline ${fmt(metric, base)} (${relText}; not gated without --latency-tolerance)` };
  }
  const fail = rel > opts.latencyTolerancePct + EPSILON;
  return {
    ...common, current, delta, tolerance: opts.latencyTolerancePct, status: fail ? 'fail' : 'pass',
    message: `${metric} ${fmt(metric, current)} vs baseline ${fmt(metric, base)} (${relText}; tolerance ${opts.latencyTolerancePct}%)`,
  };
}

/**
 * Compares every variant that the baseline knows. Variants are matched by name; when both sides
 * have exactly one variant they are compared whatever their names (a note says so).
 */
export function compareWithBaseline(
  current: ReadonlyArray<{ name: string; flat: Record<string, number> }>,
  baseline: BaselineFile,
  opts: GateOptions,
): { checks: GateCheck[]; notes: string[] } {
  const checks: GateCheck[] = [];
  const notes: string[] = [];
  const baseNames = Object.keys(baseline.variants);
  for (const v of current) {
    let baseName: string | undefined = baseline.variants[v.name] ? v.name : undefined;
    if (!baseName && baseNames.length === 1 && current.length === 1) {
      baseName = baseNames[0]!;
      notes.push(`baseline variant "${baseName}" compared with this run's "${v.name}" (the only one on each side)`);
    }
    if (!baseName) {
      notes.push(`variant "${v.name}" is not in the baseline (has: ${baseNames.join(', ') || 'none'}); not gated`);
      continue;
    }
    const base = baseline.variants[baseName]!.metrics;
    for (const metric of Object.keys(base).sort()) {
      const b = base[metric];
      if (typeof b !== 'number' || !Number.isFinite(b)) continue;
      checks.push(checkAgainstBaseline(v.name, metric, v.flat[metric], b, opts));
    }
  }
  return { checks, notes };
}

export interface Requirement {
  metric: string;
  op: '<=' | '>=' | '<' | '>';
  value: number;
}

const REQUIREMENT = /^\s*([A-Za-z0-9_.*-]+)\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)(%?)\s*$/u;

/**
 * Parses `--require` expressions: `cer<=0.02`, `cer<=2%`, `field.total.normalized>=0.9`.
 * A trailing % divides the value by 100.
 * @throws UsageError naming the expression and the expected form.
 */
export function parseRequirement(expr: string): Requirement {
  const m = REQUIREMENT.exec(expr);
  if (!m) {
    throw badFlag('--require', expr, 'must be <metric><=|>=|<|><number>[%]', {
      hint: 'for example --require "cer<=0.02" --require "barcode.all.recall>=90%"',
    });
  }
  const value = Number(m[3]) / (m[4] ? 100 : 1);
  return { metric: m[1]!, op: m[2] as Requirement['op'], value };
}

/** Absolute requirements for every variant; a metric the run lacks fails (a typo must not pass). */
export function checkRequirements(
  current: ReadonlyArray<{ name: string; flat: Record<string, number> }>,
  reqs: readonly Requirement[],
): GateCheck[] {
  const out: GateCheck[] = [];
  for (const v of current) {
    for (const r of reqs) {
      const cur = v.flat[r.metric];
      const label = `${r.metric} ${r.op} ${fmt(r.metric, r.value)}`;
      if (cur === undefined) {
        out.push({
          variant: v.name, metric: r.metric, kind: 'require', status: 'fail', current: null, reference: r.value, delta: null, tolerance: null,
          message: `required ${label}, but this run has no ${r.metric} (known: ${Object.keys(v.flat).slice(0, 8).join(', ')}…)`,
        });
        continue;
      }
      const ok = r.op === '<=' ? cur <= r.value + EPSILON : r.op === '>=' ? cur >= r.value - EPSILON : r.op === '<' ? cur < r.value : cur > r.value;
      out.push({
        variant: v.name, metric: r.metric, kind: 'require', status: ok ? 'pass' : 'fail', current: cur, reference: r.value,
        delta: cur - r.value, tolerance: null, message: `${r.metric} ${fmt(r.metric, cur)} (required ${label})`,
      });
    }
  }
  return out;
}

/** Every metric of every variant as an informational check (JUnit records them without a gate). */
export function recordChecks(current: ReadonlyArray<{ name: string; flat: Record<string, number> }>): GateCheck[] {
  return current.flatMap((v) =>
    Object.entries(v.flat).map(([metric, cur]) => ({
      variant: v.name, metric, kind: 'record' as const, status: 'info' as const, current: cur, reference: null, delta: null, tolerance: null,
      message: `${metric} ${fmt(metric, cur)}`,
    })),
  );
}

/**
 * Validates a parsed baseline file.
 * @throws UsageError when it is not a zakocr bench baseline.
 */
export function validateBaseline(v: unknown, file: string): BaselineFile {
  const o = v as Partial<BaselineFile> | null;
  if (!o || typeof o !== 'object' || o.schema !== 'zakocr.bench-baseline/v1' || !o.variants || typeof o.variants !== 'object') {
    throw new UsageError(`Expected a zakocr bench baseline (schema zakocr.bench-baseline/v1) in ${file}`, {
      hint: 'write one with zakocr bench <dataset> --save-baseline baseline.json',
    });
  }
  for (const [name, entry] of Object.entries(o.variants)) {
    if (!entry || typeof entry !== 'object' || !entry.metrics || typeof entry.metrics !== 'object') {
      throw new UsageError(`Expected {"metrics": {...}} for variant ${JSON.stringify(name)} in ${file}`);
    }
  }
  return o as BaselineFile;
}

/** The short format used by every report for a metric value. */
export { fmt as formatMetric };
