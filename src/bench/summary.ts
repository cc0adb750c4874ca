/**
 * Per-variant metrics from item results, and the flat metric map the gate, baseline and JUnit use.
 * Pure, no I/O.
 */
import { scoreBarcodes } from './barcode-metrics.js';
import { scoreFields } from './field-metrics.js';
import { aggregateErrors } from './metrics.js';
import { LineConfidenceMean, summarizeLatency } from '../core/stats.js';
import { throughput } from './stats.js';
import type { DocTypeMetrics, ItemResult, VariantMetrics } from './types.js';

function fieldTotals(items: readonly ItemResult[]): { exact: number | null; normalized: number | null } {
  let n = 0;
  let exact = 0;
  let norm = 0;
  for (const it of items) {
    for (const f of it.fields ?? []) {
      n++;
      if (f.exact) exact++;
      if (f.normalized) norm++;
    }
  }
  return n ? { exact: exact / n, normalized: norm / n } : { exact: null, normalized: null };
}

function byDocType(items: readonly ItemResult[]): DocTypeMetrics[] {
  const groups = new Map<string, ItemResult[]>();
  for (const it of items) {
    const g = groups.get(it.docType);
    if (g) g.push(it);
    else groups.set(it.docType, [it]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([docType, group]) => {
      const texts = group.filter((g) => g.text);
      const chars = texts.length ? aggregateErrors(texts.map((g) => g.text!.chars)) : null;
      const words = texts.length ? aggregateErrors(texts.map((g) => g.text!.words)) : null;
      const f = fieldTotals(group);
      const withBarcodes = group.filter((g) => g.barcodes);
      const bc = withBarcodes.length ? scoreBarcodes(withBarcodes.map((g) => g.barcodes!)) : null;
      const lat = summarizeLatency(group.map((g) => g.latencyMs));
      return {
        docType,
        items: group.length,
        failed: group.filter((g) => g.status === 'failed').length,
        cer: chars?.rate ?? null,
        wer: words?.rate ?? null,
        fieldsExact: f.exact,
        fieldsNormalized: f.normalized,
        barcodeRecall: bc?.total.recall ?? null,
        latencyP50Ms: lat.p50,
        latencyP95Ms: lat.p95,
      };
    });
}

/** Aggregates a variant's item results; `wallMs` is the wall time of the whole variant run. */
export function summarize(items: readonly ItemResult[], wallMs: number): VariantMetrics {
  const texts = items.filter((i) => i.text);
  const chars = texts.length ? aggregateErrors(texts.map((i) => i.text!.chars)) : null;
  const words = texts.length ? aggregateErrors(texts.map((i) => i.text!.words)) : null;
  const withFields = items.filter((i) => i.fields);
  const fields = scoreFields(
    withFields.map((i) => ({
      expected: Object.fromEntries(i.fields!.map((f) => [f.field, f.expected])),
      actual: Object.fromEntries(i.fields!.map((f) => [f.field, f.actual])),
    })),
  );
  const ft = fieldTotals(items);
  const withBarcodes = items.filter((i) => i.barcodes);
  // Every OCR line weighs the same, as in `zakocr scan`'s run summary (both go to ocr_model_metrics.mean_confidence).
  const confidence = new LineConfidenceMean();
  for (const i of items) if (i.confidence !== null) confidence.addMean(i.confidence, i.lines ?? 1);
  const failed = items.filter((i) => i.status === 'failed').length;
  return {
    items: items.length,
    pages: items.reduce((s, i) => s + i.pages, 0),
    failed,
    needsReview: items.filter((i) => i.status === 'needs_review').length,
    failureRate: items.length ? failed / items.length : 0,
    cer: chars?.rate ?? null,
    wer: words?.rate ?? null,
    chars,
    words,
    fields,
    fieldsExact: ft.exact,
    fieldsNormalized: ft.normalized,
    barcodes: withBarcodes.length ? scoreBarcodes(withBarcodes.map((i) => i.barcodes!)) : null,
    latency: summarizeLatency(items.map((i) => i.latencyMs)),
    throughput: throughput(items.length, wallMs),
    wallMs,
    meanConfidence: confidence.value,
    byDocType: byDocType(items),
  };
}

/**
 * The gateable figures of a variant under stable names. Rates are fractions (0..1); latency in ms;
 * throughput in items/s. Names: cer, wer, failureRate, fields.exact, fields.normalized,
 * field.<name>.exact|normalized, barcode.<FORMAT|all>.recall|precision, latency.p50Ms|p95Ms|maxMs, throughput.
 */
export function flattenMetrics(m: VariantMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (k: string, v: number | null | undefined): void => {
    if (v !== null && v !== undefined && Number.isFinite(v)) out[k] = v;
  };
  put('cer', m.cer);
  put('wer', m.wer);
  put('failureRate', m.failureRate);
  put('fields.exact', m.fieldsExact);
  put('fields.normalized', m.fieldsNormalized);
  for (const f of m.fields) {
    put(`field.${f.field}.exact`, f.exactRate);
    put(`field.${f.field}.normalized`, f.normalizedRate);
  }
  if (m.barcodes) {
    for (const row of [...m.barcodes.perFormat, { ...m.barcodes.total, format: 'all' }]) {
      put(`barcode.${row.format}.recall`, row.recall);
      put(`barcode.${row.format}.precision`, row.precision);
    }
  }
  put('latency.p50Ms', m.latency.p50);
  put('latency.p95Ms', m.latency.p95);
  put('latency.maxMs', m.latency.max);
  put('throughput', m.throughput);
  return out;
}
