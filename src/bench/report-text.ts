/**
 * The terminal report: variants side by side with deltas to the first, the per-doc-type
 * breakdown, the worst items with their diff, and the gate. Pure: returns the text.
 */
import { clip, comparisonRows, compactDiff, editCounts, runHeadline } from './format.js';
import type { BenchReport, VariantResult } from './types.js';

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Terminal diffs are cut here (the HTML report has the whole diff). */
const DIFF_CHARS = 220;

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
const ms = (v: number | null): string => (v === null ? '—' : `${v.toFixed(0)} ms`);

function docTypeTable(v: VariantResult): string {
  const rows = v.metrics.byDocType.map((d) => [
    d.docType, String(d.items), String(d.failed), pct(d.cer), pct(d.wer), pct(d.fieldsNormalized), pct(d.barcodeRecall), ms(d.latencyP50Ms), ms(d.latencyP95Ms),
  ]);
  return table(['doc type', 'items', 'failed', 'CER', 'WER', 'fields norm.', 'barcode recall', 'p50', 'p95'], rows);
}

function worstLines(v: VariantResult, max: number): string[] {
  return v.worst.slice(0, max).map((w, i) => {
    const head = `${String(i + 1).padStart(2)}. ${w.id}`;
    if (w.error) return `${head}  failed: ${w.error.code}: ${w.error.message}`;
    if (w.diff) return `${head}  CER ${pct(w.cer)}  ${clip(compactDiff(w.diff), DIFF_CHARS)}`;
    if (w.fields) {
      const wrong = w.fields.filter((f) => !f.normalized).map((f) => `${f.field}: want ${JSON.stringify(f.expected)} got ${JSON.stringify(f.actual)}`);
      return `${head}  ${wrong.join('; ')}`;
    }
    if (w.barcodes) {
      const want = w.barcodes.expected.map((b) => `${b.format} ${JSON.stringify(b.text)}`).join(', ');
      const got = w.barcodes.decoded.map((b) => `${b.format} ${JSON.stringify(b.text)}`).join(', ') || 'nothing';
      return `${head}  want ${want}; decoded ${got}`;
    }
    return head;
  });
}

/** The whole terminal report. `worst` caps the worst items listed per variant. */
export function renderText(r: BenchReport, opts: { worst?: number } = {}): string {
  const out: string[] = [];
  out.push(`zakocr bench ${runHeadline(r)}`);
  for (const v of r.variants) {
    out.push(`  ${v.name}: ${v.engine.name} on ${v.engine.device} (${v.engine.models.join(', ') || 'no models'}) — ${v.source}` +
      (Object.keys(v.settings).length ? `; differs: ${Object.entries(v.settings).map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(', ')}` : ''));
  }
  out.push('');
  const rows = comparisonRows(r.variants).map((row) => [row.label, ...row.cells]);
  const counts = r.variants.map((v) => editCounts(v));
  if (counts.some(Boolean)) rows.splice(r.variants.some((v) => v.flat.wer !== undefined) ? 2 : 1, 0, ['  chars', ...counts.map((c) => c ?? '—')]);
  const bc = r.variants.map((v) => (v.metrics.barcodes ? String(v.metrics.barcodes.total.falseDecodes) : '—'));
  if (bc.some((b) => b !== '—')) rows.push(['barcode false decodes', ...bc]);
  rows.push(['items (failed)', ...r.variants.map((v) => `${v.metrics.items} (${v.metrics.failed})`)]);
  out.push(table(['metric', ...r.variants.map((v) => v.name)], rows));

  for (const v of r.variants) {
    if (v.metrics.byDocType.length > 1) {
      out.push('', `per doc type — ${v.name}`, docTypeTable(v));
    }
  }
  const worst = opts.worst ?? 5;
  for (const v of r.variants) {
    const lines = worstLines(v, worst);
    if (lines.length) out.push('', `worst items — ${v.name}`, ...lines);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  const gated = r.gate.checks.filter((c) => c.kind !== 'record');
  if (gated.length) {
    out.push('', `gate${r.gate.baseline ? ` vs ${r.gate.baseline}` : ''}: ${r.gate.passed ? 'PASS' : 'FAIL'}`);
    for (const c of gated.filter((c) => c.status === 'fail' || c.status === 'skip')) out.push(`  ${c.status.toUpperCase()} ${c.variant}: ${c.message}`);
    const passed = gated.filter((c) => c.status === 'pass').length;
    out.push(`  ${passed} of ${gated.filter((c) => c.status !== 'info').length} gated metrics within tolerance`);
  }
  return out.join('\n') + '\n';
}

