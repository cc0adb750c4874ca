/**
 * Markdown report for CI job summaries (`$GITHUB_STEP_SUMMARY`): gate verdict, side-by-side
 * metrics with deltas, per-doc-type table, worst items in a collapsed block. Pure.
 */
import { clip, comparisonRows, compactDiff, editCounts, runHeadline } from './format.js';
import type { BenchReport } from './types.js';

/** Escapes text for a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\\/gu, '\\\\').replace(/\|/gu, '\\|').replace(/\r?\n/gu, '⏎').replace(/([*_`<>[\]])/gu, '\\$1');
}

/** Markdown diffs are cut here (job summaries have a size limit; the HTML report has the whole diff). */
const DIFF_CHARS = 600;

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

export function renderMarkdown(r: BenchReport, opts: { worst?: number } = {}): string {
  const out: string[] = [];
  const gated = r.gate.checks.filter((c) => c.kind !== 'record' && c.status !== 'info');
  const verdict = gated.length ? (r.gate.passed ? '✅ gate passed' : '❌ regression') : 'no gate';
  out.push(`## zakocr bench — ${mdCell(r.dataset.name)} (${verdict})`, '', mdCell(runHeadline(r)), '');
  out.push('| metric | ' + r.variants.map((v) => mdCell(`${v.name} (${v.engine.device})`)).join(' | ') + ' |');
  out.push('|---|' + r.variants.map(() => '---:').join('|') + '|');
  for (const row of comparisonRows(r.variants)) {
    out.push(`| ${mdCell(row.label)} | ` + row.cells.map((c, i) => (row.worse[i] ? `**${mdCell(c)}**` : mdCell(c))).join(' | ') + ' |');
  }
  if (r.variants.some((v) => v.metrics.chars)) {
    out.push('| char edits | ' + r.variants.map((v) => mdCell(editCounts(v) ?? '—')).join(' | ') + ' |');
  }
  out.push('| items (failed) | ' + r.variants.map((v) => `${v.metrics.items} (${v.metrics.failed})`).join(' | ') + ' |', '');
  out.push('Deltas are against the first column; rate deltas in percentage points (pp). Bold: worse than the first column.', '');

  if (gated.length) {
    out.push(`### Gate${r.gate.baseline ? ` vs \`${mdCell(r.gate.baseline)}\`` : ''} (tolerance ${r.gate.tolerancePp} pp${r.gate.latencyTolerancePct !== null ? `, latency ${r.gate.latencyTolerancePct}%` : ''})`, '');
    out.push('| | variant | check |', '|---|---|---|');
    for (const c of gated) out.push(`| ${c.status === 'pass' ? '✅' : c.status === 'fail' ? '❌' : '⏭️'} | ${mdCell(c.variant)} | ${mdCell(c.message)} |`);
    out.push('');
  }

  for (const v of r.variants) {
    const b = v.metrics.barcodes;
    if (!b) continue;
    out.push(`### Barcodes per format — ${mdCell(v.name)}`, '', '| format | labelled | found | decoded | false decodes | recall | precision |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const p of [...b.perFormat, b.total]) {
      out.push(`| ${p.format === '*' ? 'all formats' : mdCell(p.format)} | ${p.expected} | ${p.found} | ${p.decoded} | ${p.falseDecodes} | ${pct(p.recall)} | ${pct(p.precision)} |`);
    }
    out.push('');
  }

  for (const v of r.variants) {
    if (v.metrics.byDocType.length < 2) continue;
    out.push(`### Per doc type — ${mdCell(v.name)}`, '', '| doc type | items | failed | CER | WER | fields norm. | barcode recall | p50 ms | p95 ms |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const d of v.metrics.byDocType) {
      out.push(`| ${mdCell(d.docType)} | ${d.items} | ${d.failed} | ${pct(d.cer)} | ${pct(d.wer)} | ${pct(d.fieldsNormalized)} | ${pct(d.barcodeRecall)} | ${d.latencyP50Ms?.toFixed(0) ?? '—'} | ${d.latencyP95Ms?.toFixed(0) ?? '—'} |`);
    }
    out.push('');
  }

  const max = opts.worst ?? 10;
  for (const v of r.variants) {
    if (!v.worst.length) continue;
    out.push(`<details><summary>Worst ${Math.min(max, v.worst.length)} items — ${mdCell(v.name)}</summary>`, '');
    for (const w of v.worst.slice(0, max)) {
      // Diffs go in code spans (rendered literally, nothing to escape but the backtick); prose is escaped.
      const code = (t: string): string => `\`${t.replace(/`/gu, "'").replace(/\r?\n/gu, '⏎')}\``;
      const detail = w.error
        ? `failed: ${mdCell(w.error.code)}`
        : w.diff
          ? `CER ${pct(w.cer)}: ${code(clip(compactDiff(w.diff), DIFF_CHARS))}`
          : w.fields
            ? w.fields.filter((f) => !f.normalized).map((f) => `${mdCell(f.field)} want ${code(JSON.stringify(f.expected))} got ${code(JSON.stringify(f.actual))}`).join('; ')
            : w.barcodes
              ? `missed ${w.barcodes.missed}, false decodes ${w.barcodes.falseDecodes}`
              : '';
      out.push(`- ${code(w.id)} ${detail}`);
    }
    out.push('', '</details>', '');
  }
  for (const w of r.warnings) out.push(`> warning: ${mdCell(w)}`);
  return out.join('\n') + '\n';
}
