/**
 * JUnit XML: one <testsuite> per variant, one <testcase> per metric gate (baseline comparison or
 * `--require`); a failed gate is a <failure>, a baseline metric this run lacks is <skipped>.
 * Metrics no gate covers are recorded as passing test cases with their value, so CI dashboards
 * can chart them. Pure.
 */
import type { BenchReport, GateCheck } from './types.js';

// XML 1.0 allows tab, LF, CR and U+0020 upwards (minus surrogates and U+FFFE/U+FFFF).
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/"/gu, '&quot;')
    .replace(/'/gu, '&apos;');
}

function testcase(suite: string, c: GateCheck): string {
  const name = c.kind === 'require' ? `${c.metric} (required)` : c.metric;
  const open = `    <testcase classname="${xmlEscape(suite)}" name="${xmlEscape(name)}" time="0">`;
  const out = `      <system-out>${xmlEscape(c.message)}</system-out>`;
  if (c.status === 'fail') {
    return `${open}\n      <failure message="${xmlEscape(c.message)}" type="regression">${xmlEscape(c.message)}</failure>\n${out}\n    </testcase>`;
  }
  if (c.status === 'skip') return `${open}\n      <skipped message="${xmlEscape(c.message)}"/>\n    </testcase>`;
  return `${open}\n${out}\n    </testcase>`;
}

export function renderJunit(r: BenchReport): string {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const v of r.variants) {
    const suite = `zakocr.bench.${r.dataset.name}.${v.name}`;
    const gated = r.gate.checks.filter((c) => c.variant === v.name && c.kind !== 'record');
    const covered = new Set(gated.map((c) => c.metric));
    const recorded = r.gate.checks.filter((c) => c.variant === v.name && c.kind === 'record' && !covered.has(c.metric));
    const cases = [...gated, ...recorded];
    const f = cases.filter((c) => c.status === 'fail').length;
    const s = cases.filter((c) => c.status === 'skip').length;
    total += cases.length;
    failures += f;
    skipped += s;
    const props = [
      ['engine', v.engine.name], ['device', v.engine.device], ['engineVersion', v.engine.version], ['models', v.engine.models.join(',')],
      ['pipelineVersion', v.pipelineVersion], ['source', v.source], ['dataset', r.dataset.path], ['items', String(v.metrics.items)],
    ].map(([k, val]) => `      <property name="${xmlEscape(k!)}" value="${xmlEscape(val!)}"/>`);
    suites.push(
      `  <testsuite name="${xmlEscape(suite)}" tests="${cases.length}" failures="${f}" errors="0" skipped="${s}" ` +
        `time="${(v.metrics.wallMs / 1000).toFixed(3)}" timestamp="${xmlEscape(r.createdAt)}">\n` +
        `    <properties>\n${props.join('\n')}\n    </properties>\n` +
        cases.map((c) => testcase(suite, c)).join('\n') + '\n  </testsuite>',
    );
  }
  const time = r.variants.reduce((s, v) => s + v.metrics.wallMs, 0) / 1000;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="zakocr bench ${xmlEscape(r.dataset.name)}" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">\n` +
    suites.join('\n') + '\n</testsuites>\n'
  );
}
