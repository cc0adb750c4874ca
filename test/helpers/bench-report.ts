/**
 * A synthetic bench report with two variants over text, field and barcode items (one failure),
 * built with the real scorers, for the report writers' tests.
 */
import { makeFailedRecord, makeOkRecord, type RecordIdentity } from '../../src/core/record.js';
import type { Fields, RecordBarcode, ZakRecord } from '../../src/core/types.js';
import type { BenchItem, Dataset } from '../../src/bench/datasets.js';
import { compareWithBaseline, recordChecks } from '../../src/bench/compare.js';
import { buildReport, toBaseline } from '../../src/bench/report.js';
import { firstPageLines, pickWorst } from '../../src/bench/runner.js';
import { scoreItem } from '../../src/bench/score-item.js';
import { flattenMetrics, summarize } from '../../src/bench/summary.js';
import type { BenchReport, VariantResult } from '../../src/bench/types.js';

export const ITEMS: BenchItem[] = [
  { id: 'l1.png', images: ['/nonexistent/l1.png'], docType: 'line', layout: 'line', text: 'দাম ৳৪৫০ টাকা' },
  { id: 'l2.png', images: ['/nonexistent/l2.png'], docType: 'line', layout: 'line', text: 'Efficient <Algorithms> & "Graphs"' },
  { id: 'r1.jpg', images: ['/nonexistent/r1.jpg'], docType: 'receipt', layout: 'page', text: 'SHOP A\nTOTAL 80.90', fields: { company: 'SHOP A', total: '80.90', date: '25/12/2018' } },
  { id: 'b1.png', images: ['/nonexistent/b1.png'], docType: 'label', layout: 'page', barcodes: [{ format: 'EAN_13', text: '4006381333931' }] },
  { id: 'b2.png', images: ['/nonexistent/b2.png'], docType: 'label', layout: 'page', barcodes: [{ format: 'QR_CODE', text: 'http://example.com/x' }] },
];

export const DATASET: Dataset = { name: 'synthetic', root: '/nonexistent', format: 'manifest', items: ITEMS, compare: { foldWhitespace: true }, warnings: [] };

function id(file: string, engine: string): RecordIdentity {
  return { file, page: null, sha256: 'a'.repeat(64), bytes: 10, pipelineVersion: `0.1.0+${engine}`, runId: 'r', engine: { name: engine, models: [`${engine}-model`], device: 'cpu', version: '1' } };
}

function ok(file: string, engine: string, text: string, fields: Fields = {}, barcodes: RecordBarcode[] = []): ZakRecord {
  return makeOkRecord(id(file, engine), {
    text,
    lines: text ? text.split('\n').map((t) => ({ text: t, confidence: 0.9, engine, box: [0, 0, 10, 10] as [number, number, number, number] })) : [],
    fields,
    barcodes,
    docType: 'receipt',
  });
}

const ean = (text: string): RecordBarcode => ({ format: 'EAN_13', text, box: null, valid: true });

/** Records per item id for the good and the worse engine. */
function outputs(engine: 'good' | 'worse'): Record<string, ZakRecord[]> {
  const good = engine === 'good';
  return {
    'l1.png': [ok('l1.png', engine, good ? 'দাম ৳৪৫০ টাকা' : 'দাম ৳৪৫০ টকা')],
    'l2.png': [ok('l2.png', engine, good ? 'Efficient <Algorithms> & "Graphs"' : 'Eficient <Algorithms> & Graphs')],
    'r1.jpg': [ok('r1.jpg', engine, good ? 'SHOP A\nTOTAL 80.90' : 'SHOP A\nTOTAI 80.90', {
      merchant: { value: good ? 'SHOP A' : 'SHOP', confidence: 0.8 },
      total: { value: 80.9, confidence: 0.9 },
      date: { value: '2018-12-25', confidence: 0.9, kind: 'date' },
    })],
    'b1.png': [ok('b1.png', engine, '', {}, [ean('4006381333931')])],
    'b2.png': good
      ? [ok('b2.png', engine, '', {}, [{ format: 'QR_CODE', text: 'http://example.com/x', box: null, valid: null }])]
      : [makeFailedRecord(id('b2.png', engine), { code: 'corrupt_image', message: 'b2.png: cannot decode', stage: 'decode' })],
  };
}

export function variant(name: 'good' | 'worse', latencies = [100, 200, 300, 400, 500]): VariantResult {
  const out = outputs(name);
  const items = ITEMS.map((it, i) => scoreItem(it, out[it.id]!, latencies[i]!, DATASET.compare));
  const pageLines = new Map(ITEMS.flatMap((it) => {
    const lines = firstPageLines(it, out[it.id]!);
    return lines ? [[it.id, lines] as const] : [];
  }));
  const metrics = summarize(items, 1500);
  return {
    name,
    source: `--engine ${name}`,
    engine: { name, models: [`${name}-model`], device: 'cpu', version: '1' },
    pipelineVersion: `0.1.0+${name}`,
    settings: name === 'worse' ? { lang: 'ben' } : {},
    metrics,
    flat: flattenMetrics(metrics),
    worst: pickWorst(items, DATASET, 10, DATASET.compare, pageLines),
    items,
  };
}

/** Two variants; with `gateAgainst` the first variant's baseline gates both (the worse one fails). */
export function syntheticReport(opts: { gate?: boolean } = {}): BenchReport {
  const variants = [variant('good'), variant('worse')];
  const checks = recordChecks(variants);
  if (opts.gate) {
    const base = toBaseline(buildReport({ dataset: DATASET, compare: DATASET.compare, variants: [variants[0]!], checks: [], baseline: null, tolerancePp: 0.5, latencyTolerancePct: null, warnings: [], zakocrVersion: '0.1.0' }));
    base.variants.worse = base.variants.good!;
    checks.unshift(...compareWithBaseline(variants, base, { tolerancePp: 0.5, latencyTolerancePct: null }).checks);
  }
  return buildReport({
    dataset: DATASET, compare: DATASET.compare, variants, checks, baseline: opts.gate ? 'base.json' : null, tolerancePp: 0.5,
    latencyTolerancePct: null, warnings: ['a <warning> & note'], zakocrVersion: '0.1.0', now: new Date('2026-11-28T00:00:00Z'),
  });
}
