/**
 * The HTML report: one self-contained file (inline CSS and SVG, crops as data: URIs, no scripts,
 * no external URLs) that opens offline. Pure: crops are made by `crops.ts` and passed in.
 */
import { diffSegments, comparisonRows, editCounts, runHeadline } from './format.js';
import { barChart, binErrors, errorBinLabels, esc, histogramChart, latencyBins, PALETTE } from './report-svg.js';
import type { BenchReport, VariantResult, WorstItem } from './types.js';

/** Pictures of one worst item: its worst lines (same order as `WorstItem.lines`; null where no crop), else the page. */
export interface ItemCrops {
  page?: string;
  lines?: ReadonlyArray<string | null>;
}

/** Crop data URIs by variant name, then item id. */
export type CropMap = Readonly<Record<string, Readonly<Record<string, ItemCrops>>>>;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Bengali",sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1b1b1b}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}td.worse{color:#b00020;font-weight:600}
.verdict{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600;margin:8px 0}
.pass{background:#e3f5e8;color:#116329}.fail{background:#fde7ea;color:#a40e26}.none{background:#eee;color:#444}
.charts{display:flex;flex-wrap:wrap;gap:24px}.chart{background:#fff;border:1px solid #eee;padding:6px;font-family:inherit}
.chart .bar:hover{opacity:.8}.card{border:1px solid #ddd;border-radius:6px;padding:10px;margin:10px 0}
.card img{max-width:100%;max-height:640px;border:1px solid #ccc;display:block;margin:6px 0;background:#fff}
.lines{list-style:none;padding:0;margin:6px 0}.lines li{margin:0 0 8px}.lines code{background:#fafafa;padding:1px 4px}
.diff{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word;background:#fafafa;padding:6px;border-radius:4px;max-height:320px;overflow:auto}
del{background:#ffd7d5;color:#82071e;text-decoration:line-through}ins{background:#ccffd8;color:#116329;text-decoration:none}
.muted{color:#666}.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
`;

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);

function variantLegend(r: BenchReport): string {
  return '<ul>' + r.variants.map((v, i) =>
    `<li><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span><b>${esc(v.name)}</b>: ${esc(v.engine.name)} on ${esc(v.engine.device)}` +
    ` (${esc(v.engine.models.join(', ') || 'no models')}, ${esc(v.engine.version)}) — ${esc(v.source)}` +
    (Object.keys(v.settings).length ? `; differs: <code>${esc(Object.entries(v.settings).map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(', '))}</code>` : '') +
    `</li>`).join('') + '</ul>';
}

function metricsTable(r: BenchReport): string {
  const head = `<tr><th>metric</th>${r.variants.map((v) => `<th>${esc(v.name)}</th>`).join('')}</tr>`;
  const rows = comparisonRows(r.variants).map((row) =>
    `<tr data-metric="${esc(row.metric)}"><td>${esc(row.label)} <span class="muted">(${esc(row.metric)})</span></td>` +
    row.cells.map((c, i) => `<td${row.worse[i] ? ' class="worse"' : ''}>${esc(c)}</td>`).join('') + '</tr>');
  if (r.variants.some((v) => v.metrics.chars)) {
    rows.splice(Math.min(2, rows.length), 0, `<tr data-metric="chars"><td>character edits (ins · del · sub of ref)</td>${r.variants.map((v) => `<td>${esc(editCounts(v) ?? '—')}</td>`).join('')}</tr>`);
  }
  if (r.variants.some((v) => v.metrics.barcodes)) {
    rows.push(`<tr data-metric="barcode.falseDecodes"><td>barcode false decodes</td>${r.variants.map((v) => `<td>${v.metrics.barcodes?.total.falseDecodes ?? '—'}</td>`).join('')}</tr>`);
  }
  rows.push(`<tr data-metric="items"><td>items (failed, needs review)</td>${r.variants.map((v) => `<td>${v.metrics.items} (${v.metrics.failed}, ${v.metrics.needsReview})</td>`).join('')}</tr>`);
  rows.push(`<tr data-metric="meanConfidence"><td>mean line confidence</td>${r.variants.map((v) => `<td>${pct(v.metrics.meanConfidence)}</td>`).join('')}</tr>`);
  return `<table class="metrics">${head}${rows.join('')}</table><p class="muted">Deltas in brackets are against the first variant; rate deltas in percentage points (pp). Red: worse than the first variant.</p>`;
}

function charts(r: BenchReport): string {
  const out: string[] = [];
  const vs = r.variants;
  if (vs.some((v) => v.items.length)) {
    const hasText = vs.some((v) => v.items.some((i) => i.text));
    out.push(histogramChart(hasText ? 'Error distribution (per-item CER)' : 'Error distribution (per-item error score)', errorBinLabels(),
      vs.map((v) => ({ name: v.name, counts: binErrors(v.items.map((i) => i.score)) })), hasText ? 'CER of the item' : 'share of labels missed'));
  }
  const fieldNames = [...new Set(vs.flatMap((v) => v.metrics.fields.map((f) => f.field)))].sort();
  if (fieldNames.length) {
    const cats = fieldNames.flatMap((f) => [`${f} exact`, `${f} normalised`]);
    out.push(barChart('Field accuracy', cats, vs.map((v) => ({
      name: v.name,
      values: fieldNames.flatMap((f) => {
        const row = v.metrics.fields.find((x) => x.field === f);
        return [row?.exactRate ?? null, row?.normalizedRate ?? null];
      }),
    }))));
  }
  const formats = [...new Set(vs.flatMap((v) => v.metrics.barcodes?.perFormat.map((p) => p.format) ?? []))].sort();
  if (formats.length) {
    const cats = formats.flatMap((f) => [`${f} recall`, `${f} precision`]);
    out.push(barChart('Barcodes per format', cats, vs.map((v) => ({
      name: v.name,
      values: formats.flatMap((f) => {
        const row = v.metrics.barcodes?.perFormat.find((p) => p.format === f);
        return [row?.recall ?? null, row?.precision ?? null];
      }),
    }))));
  }
  const lat = latencyBins(vs.map((v) => ({ name: v.name, ms: v.items.map((i) => i.latencyMs) })));
  if (lat.labels.length) out.push(histogramChart('Latency per item', lat.labels, lat.counts, `${lat.unit === 's' ? 'seconds' : 'milliseconds'} per item (upper bound of bin)`));
  return `<div class="charts">${out.join('')}</div>`;
}

const DOC_COLUMNS: Array<[string, (d: VariantResult['metrics']['byDocType'][number]) => string, boolean]> = [
  ['items', (d) => String(d.items), true],
  ['failed', (d) => String(d.failed), true],
  ['CER', (d) => pct(d.cer), false],
  ['WER', (d) => pct(d.wer), false],
  ['fields exact', (d) => pct(d.fieldsExact), false],
  ['fields norm.', (d) => pct(d.fieldsNormalized), false],
  ['barcode recall', (d) => pct(d.barcodeRecall), false],
  ['p50 ms', (d) => d.latencyP50Ms?.toFixed(0) ?? '—', true],
  ['p95 ms', (d) => d.latencyP95Ms?.toFixed(0) ?? '—', true],
];

function docTypes(v: VariantResult): string {
  // Columns that no doc type has a value for (no field labels, no barcodes) are left out.
  const cols = DOC_COLUMNS.filter(([, get, always]) => always || v.metrics.byDocType.some((d) => get(d) !== '—'));
  const rows = v.metrics.byDocType.map((d) => `<tr><td>${esc(d.docType)}</td>${cols.map(([, get]) => `<td>${esc(get(d))}</td>`).join('')}</tr>`);
  return `<h3>${esc(v.name)}</h3><table><tr><th>doc type</th>${cols.map(([h]) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

function diffHtml(w: WorstItem): string {
  if (!w.diff) return '';
  const body = diffSegments(w.diff).map((s) => (s.op === 'equal' ? esc(s.text) : s.op === 'delete' ? `<del>${esc(s.text)}</del>` : `<ins>${esc(s.text)}</ins>`)).join('');
  return `<div class="diff">${body}</div><p class="muted"><del>struck</del> = in the reference, missing or misread; <ins>green</ins> = what the engine produced instead.</p>`;
}

/** The worst lines, each with its crop, what the engine read and how many edits it is from the reference. */
function worstLinesHtml(w: WorstItem, crops: ReadonlyArray<string | null>): string {
  const items = (w.lines ?? []).map((l, i) =>
    `<li data-line="${i}">${crops[i] ? `<img alt="${esc(`${w.id} line: ${l.text}`)}" src="${crops[i]}">` : ''}` +
    `read <code>${esc(l.text)}</code> <span class="muted">— ${l.errors} edit${l.errors === 1 ? '' : 's'} from the closest reference text; box ${l.box.map((n) => Math.round(n)).join(', ')}</span></li>`);
  return `<p class="muted">Worst lines:</p><ul class="lines">${items.join('')}</ul>`;
}

function worstCard(w: WorstItem, crop: ItemCrops | undefined): string {
  const parts = [`<div class="card" data-item="${esc(w.id)}"><b>${esc(w.id)}</b> <span class="muted">${esc(w.docType)}</span> — ` +
    (w.cer !== null ? `CER ${pct(w.cer)}` : `error score ${pct(w.score)}`)];
  if (crop?.lines?.length && w.lines?.length) parts.push(worstLinesHtml(w, crop.lines));
  else if (crop?.page) parts.push(`<img alt="${esc(w.id)}" src="${crop.page}">`);
  if (w.error) parts.push(`<p class="fail">failed: ${esc(w.error.code)}: ${esc(w.error.message)}</p>`);
  parts.push(diffHtml(w));
  if (w.fields) {
    parts.push('<table><tr><th>field</th><th>expected</th><th>got</th><th>exact</th><th>normalised</th></tr>' +
      w.fields.map((f) => `<tr><td>${esc(f.field)}</td><td>${esc(JSON.stringify(f.expected))}</td><td>${esc(JSON.stringify(f.actual))}</td><td>${f.exact ? '✓' : '✗'}</td><td>${f.normalized ? '✓' : '✗'}</td></tr>`).join('') + '</table>');
  }
  if (w.barcodes) {
    parts.push(`<p>expected: ${esc(w.barcodes.expected.map((b) => `${b.format} ${JSON.stringify(b.text)}`).join(', '))}<br>decoded: ` +
      `${esc(w.barcodes.decoded.map((b) => `${b.format} ${JSON.stringify(b.text)}`).join(', ') || 'nothing')}</p>`);
  }
  parts.push('</div>');
  return parts.join('');
}

function gate(r: BenchReport): string {
  const gated = r.gate.checks.filter((c) => c.kind !== 'record');
  if (!gated.length) return '<p class="verdict none">no gate (pass --baseline or --require)</p>';
  const rows = gated.map((c) => `<tr data-gate="${esc(c.metric)}"><td>${c.status === 'pass' ? '✅' : c.status === 'fail' ? '❌' : c.status === 'skip' ? '⏭️' : 'ℹ️'} ${esc(c.status)}</td><td>${esc(c.variant)}</td><td>${esc(c.kind)}</td><td style="text-align:left">${esc(c.message)}</td></tr>`);
  return `<p class="verdict ${r.gate.passed ? 'pass' : 'fail'}">${r.gate.passed ? 'gate passed' : 'REGRESSION: gate failed'}` +
    `${r.gate.baseline ? ` vs ${esc(r.gate.baseline)}` : ''} (tolerance ${r.gate.tolerancePp} pp${r.gate.latencyTolerancePct !== null ? `, latency ${r.gate.latencyTolerancePct}%` : ''})</p>` +
    `<table><tr><th>status</th><th>variant</th><th>kind</th><th>check</th></tr>${rows.join('')}</table>`;
}

function barcodeTable(v: VariantResult): string {
  const b = v.metrics.barcodes;
  if (!b) return '';
  const row = (p: typeof b.total): string =>
    `<tr><td>${esc(p.format === '*' ? 'all formats' : p.format)}</td><td>${p.expected}</td><td>${p.found}</td><td>${p.decoded}</td><td>${p.correct}</td><td>${p.falseDecodes}</td><td>${pct(p.recall)}</td><td>${pct(p.precision)}</td></tr>`;
  return `<h3>${esc(v.name)}</h3><table><tr><th>format</th><th>labelled</th><th>found</th><th>decoded</th><th>correct</th><th>false decodes</th><th>recall</th><th>precision</th></tr>` +
    `${b.perFormat.map(row).join('')}${row(b.total)}</table>`;
}

/** The complete HTML document. */
export function renderHtml(r: BenchReport, crops: CropMap = {}, opts: { worst?: number } = {}): string {
  const max = opts.worst ?? 10;
  const worst = r.variants.map((v) =>
    `<h3>${esc(v.name)}</h3>` + (v.worst.length ? v.worst.slice(0, max).map((w) => worstCard(w, crops[v.name]?.[w.id])).join('') : '<p>No item with errors.</p>')).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>zakocr bench — ${esc(r.dataset.name)}</title><style>${CSS}</style></head>
<body>
<h1>zakocr bench — ${esc(r.dataset.name)}</h1>
<p class="muted">${esc(runHeadline(r))} · ${esc(r.createdAt)} · zakocr ${esc(r.zakocrVersion)}</p>
${variantLegend(r)}
${gate(r)}
<h2>Metrics</h2>
${metricsTable(r)}
<h2>Charts</h2>
${charts(r)}
${r.variants.some((v) => v.metrics.barcodes) ? `<h2>Barcodes per format</h2>${r.variants.map(barcodeTable).join('')}` : ''}
<h2>Per doc type</h2>
${r.variants.map(docTypes).join('')}
<h2>Worst items</h2>
${worst}
${r.warnings.length ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
<h2>Definitions</h2>
<p class="muted">CER = character edits / reference characters (extended grapheme clusters after Unicode NFC unless the run says code points), summed over items (micro average).
WER likewise over whitespace-separated words. Field "normalised" compares amounts to the cent, dates as ISO days, codes without separators, currencies as ISO 4217, text case- and punctuation-insensitively.
Barcode recall = labelled symbols decoded / labelled symbols; precision = correct decodes / decodes. Latency = wall time per item at the run's concurrency.</p>
</body></html>
`;
}
