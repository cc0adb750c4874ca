/**
 * Shared formatting for the bench reports: the side-by-side comparison rows and compact diffs.
 * Pure, no I/O.
 */
import { formatMetric, metricDef } from './compare.js';
import type { EditOp } from './metrics.js';
import type { BenchReport, VariantResult } from './types.js';

export interface ComparisonRow {
  /** Flat metric name (or a pseudo name for count rows). */
  metric: string;
  label: string;
  /** Raw value per variant (null = not measured). */
  values: Array<number | null>;
  /** Formatted value per variant; variants after the first include their delta to the first. */
  cells: string[];
  /** Formatted delta per variant vs the first ('' for the first). */
  deltas: string[];
  /** Per variant: is it worse than the first (for colouring)? */
  worse: boolean[];
}

const LABELS: Record<string, string> = {
  cer: 'CER',
  wer: 'WER',
  failureRate: 'failed items',
  'fields.exact': 'fields exact (all)',
  'fields.normalized': 'fields normalised (all)',
  'latency.p50Ms': 'latency p50',
  'latency.p95Ms': 'latency p95',
  'latency.maxMs': 'latency max',
  throughput: 'throughput (items/s)',
};

/** Human label of a flat metric name. */
export function metricLabel(metric: string): string {
  if (LABELS[metric]) return LABELS[metric]!;
  let m = /^field\.(.+)\.(exact|normalized)$/u.exec(metric);
  if (m) return `field ${m[1]} ${m[2] === 'exact' ? 'exact' : 'normalised'}`;
  m = /^barcode\.(.+)\.(recall|precision)$/u.exec(metric);
  if (m) return `barcode ${m[1] === 'all' ? 'all formats' : m[1]} ${m[2]}`;
  return metric;
}

function rank(metric: string): number {
  if (metric === 'cer') return 0;
  if (metric === 'wer') return 1;
  if (metric.startsWith('fields.')) return 2;
  if (metric.startsWith('field.')) return 3;
  if (metric.startsWith('barcode.all.')) return 4;
  if (metric.startsWith('barcode.')) return 5;
  if (metric === 'latency.p50Ms') return 6;
  if (metric === 'latency.p95Ms') return 6.1;
  if (metric.startsWith('latency.')) return 6.2;
  if (metric === 'throughput') return 7;
  return 8;
}

/** Within a group: recall before precision, exact before normalised. */
function sortKey(metric: string): string {
  return metric.replace(/\.recall$/u, '.0').replace(/\.precision$/u, '.1').replace(/\.exact$/u, '.0').replace(/\.normalized$/u, '.1');
}

/** Formats `current − first` in the metric's unit: pp for rates, % for latency and throughput. */
export function formatDelta(metric: string, first: number | null, current: number | null): string {
  if (first === null || current === null) return '';
  const { unit } = metricDef(metric);
  if (unit === 'rate') {
    const pp = (current - first) * 100;
    return `${pp >= 0 ? '+' : ''}${pp.toFixed(2)} pp`;
  }
  if (first === 0) return current === 0 ? '+0%' : 'n/a';
  const pct = ((current - first) / Math.abs(first)) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%`;
}

/** Every flat metric of any variant, in report order, with per-variant values and deltas vs the first. */
export function comparisonRows(variants: readonly VariantResult[]): ComparisonRow[] {
  const names = new Set<string>();
  for (const v of variants) for (const k of Object.keys(v.flat)) names.add(k);
  const sorted = [...names].sort((a, b) => rank(a) - rank(b) || sortKey(a).localeCompare(sortKey(b)));
  return sorted.map((metric) => {
    const values = variants.map((v) => v.flat[metric] ?? null);
    const first = values[0] ?? null;
    const deltas = values.map((v, i) => (i === 0 ? '' : formatDelta(metric, first, v)));
    const better = metricDef(metric).better;
    const worse = values.map((v, i) => i > 0 && v !== null && first !== null && (better === 'lower' ? v > first + 1e-12 : v < first - 1e-12));
    const cells = values.map((v, i) => (v === null ? '—' : formatMetric(metric, v) + (i > 0 && deltas[i] ? ` (${deltas[i]})` : '')));
    return { metric, label: metricLabel(metric), values, cells, deltas, worse };
  });
}

/** Insertions/deletions/substitutions of a variant's characters, as "ins 3 · del 5 · sub 10". */
export function editCounts(v: VariantResult): string | null {
  const c = v.metrics.chars;
  return c ? `ins ${c.insertions} · del ${c.deletions} · sub ${c.substitutions} of ${c.refLength}` : null;
}

export interface DiffSegment {
  op: 'equal' | 'delete' | 'insert';
  text: string;
}

/** Alignment ops as runs of equal / deleted (reference) / inserted (hypothesis) text; a substitution is a delete + insert. */
export function diffSegments(ops: readonly EditOp[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  const push = (op: DiffSegment['op'], text: string): void => {
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  // Group a run of non-equal ops so that "abc"→"xyz" reads [-abc-]{+xyz+}, not interleaved.
  let del = '';
  let ins = '';
  const flush = (): void => {
    if (del) push('delete', del);
    if (ins) push('insert', ins);
    del = '';
    ins = '';
  };
  for (const o of ops) {
    if (o.op === 'equal') {
      flush();
      push('equal', o.ref ?? '');
    } else {
      if (o.ref !== undefined) del += o.ref;
      if (o.hyp !== undefined) ins += o.hyp;
    }
  }
  flush();
  return out;
}

/**
 * wdiff-style one-line diff: `[-deleted-]{+inserted+}`, equal runs longer than 2×`context`
 * shortened to their ends around "…"; line breaks shown as ⏎.
 */
export function compactDiff(ops: readonly EditOp[], context = 12): string {
  const show = (s: string): string => s.replace(/\r?\n/gu, '⏎');
  return diffSegments(ops)
    .map((s, i, all) => {
      if (s.op === 'delete') return `[-${show(s.text)}-]`;
      if (s.op === 'insert') return `{+${show(s.text)}+}`;
      const chars = Array.from(s.text);
      const first = i === 0;
      const last = i === all.length - 1;
      if (chars.length <= 2 * context) return show(s.text);
      const head = first ? '' : chars.slice(0, context).join('');
      const tail = last ? '' : chars.slice(-context).join('');
      return `${show(head)}…${show(tail)}`;
    })
    .join('');
}

/** One line describing the run for report headers. */
export function runHeadline(r: BenchReport): string {
  const folds = [
    r.compare.foldCase ? 'case' : '',
    r.compare.foldWhitespace ? 'whitespace' : '',
    r.compare.foldPunctuation ? 'punctuation' : '',
  ].filter(Boolean);
  return `${r.dataset.name} (${r.dataset.format}, ${r.dataset.items} items) · CER unit ${r.compare.unit ?? 'grapheme'} · folds: ${folds.join(', ') || 'none'}`;
}

/** `s` cut to `max` code points, with "…" when cut. */
export function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max).join('')}…`;
}
