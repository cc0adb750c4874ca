/**
 * Assembles the bench report and the baseline file from variant results and gate checks. Pure.
 */
import { createHash } from 'node:crypto';
import type { Dataset } from './datasets.js';
import type { TextCompareOptions } from './metrics.js';
import {
  BENCH_BASELINE_SCHEMA, BENCH_REPORT_SCHEMA, type BaselineFile, type BenchReport, type GateCheck, type VariantResult,
} from './types.js';

/** SHA-256 over the sorted item ids: tells whether a baseline was measured on the same items. */
export function itemsHash(dataset: Dataset): string {
  return createHash('sha256').update(dataset.items.map((i) => i.id).sort().join('\n')).digest('hex').slice(0, 16);
}

export interface BuildReportInput {
  dataset: Dataset;
  compare: TextCompareOptions;
  variants: VariantResult[];
  checks: GateCheck[];
  baseline: string | null;
  tolerancePp: number;
  latencyTolerancePct: number | null;
  warnings: string[];
  zakocrVersion: string;
  now?: Date;
}

export function buildReport(i: BuildReportInput): BenchReport {
  return {
    schema: BENCH_REPORT_SCHEMA,
    createdAt: (i.now ?? new Date()).toISOString(),
    zakocrVersion: i.zakocrVersion,
    dataset: { name: i.dataset.name, path: i.dataset.root, format: i.dataset.format, items: i.dataset.items.length, itemsHash: itemsHash(i.dataset) },
    compare: i.compare,
    variants: i.variants,
    gate: {
      baseline: i.baseline,
      tolerancePp: i.tolerancePp,
      latencyTolerancePct: i.latencyTolerancePct,
      checks: i.checks,
      passed: !i.checks.some((c) => c.status === 'fail'),
    },
    warnings: i.warnings,
  };
}

/** The baseline to save: the flat metrics of every variant plus what identifies the run. */
export function toBaseline(r: BenchReport): BaselineFile {
  return {
    schema: BENCH_BASELINE_SCHEMA,
    createdAt: r.createdAt,
    dataset: r.dataset,
    compare: r.compare,
    variants: Object.fromEntries(r.variants.map((v) => [v.name, { engine: v.engine, pipelineVersion: v.pipelineVersion, metrics: v.flat }])),
  };
}

/** The JSON report text (items included, diffs of the worst items included). */
export function renderJson(r: BenchReport): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
