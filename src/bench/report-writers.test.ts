import { describe, expect, it } from 'vitest';
import { externalReferences, markupProblems } from '../../test/helpers/markup-check.js';
import { syntheticReport } from '../../test/helpers/bench-report.js';
import { renderHtml } from './report-html.js';
import { renderJunit, xmlEscape } from './report-junit.js';
import { renderMarkdown } from './report-md.js';
import { renderText } from './report-text.js';
import { renderJson, toBaseline } from './report.js';

const PIXEL = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==';

describe('markup checker (sanity)', () => {
  it.each([
    ['<!DOCTYPE html><html><p>a & b</p></html>', 'html', ['bad entity at 26: "& b</p></htm"']],
    ['<!DOCTYPE html><html><p></div></html>', 'html', ['</div> closes <p> at 24']],
    ['<a><b/></a>', 'xml', []],
    ['<a>&nbsp;</a>', 'xml', ['bad entity at 3: "&nbsp;</a>"']],
  ])('%s', (src, mode, want) => {
    expect(markupProblems(src, mode as 'html' | 'xml')).toEqual(want);
  });
});

describe('JUnit report', () => {
  it('is well-formed, one test case per metric gate, failures for regressions', () => {
    const xml = renderJunit(syntheticReport({ gate: true }));
    expect(markupProblems(xml, 'xml')).toEqual([]);
    expect(xml).toContain('<testsuite name="zakocr.bench.synthetic.good"');
    expect(xml).toMatch(/<testcase classname="zakocr.bench.synthetic.worse" name="cer" time="0">\s*<failure message="cer [\d.]+% vs baseline [\d.]+% \(\+[\d.]+ pp; tolerance 0.5 pp\)" type="regression">/u);
    expect(xml).not.toMatch(/zakocr.bench.synthetic.good" name="cer" time="0">\s*<failure/u);
    const failures = Number(/<testsuites [^>]*failures="(\d+)"/u.exec(xml)![1]);
    expect(failures).toBeGreaterThan(0);
  });

  it('records every metric as a passing case when there is no gate', () => {
    const r = syntheticReport();
    const xml = renderJunit(r);
    for (const metric of Object.keys(r.variants[0]!.flat)) expect(xml).toContain(`name="${metric}"`);
    expect(xml).toContain('failures="0"');
  });

  it.each([
    ['a<b>&"c\'', 'a&lt;b&gt;&amp;&quot;c&apos;'],
    ['bell\u0007', 'bell\uFFFD'],
  ])('escapes %j', (s, want) => {
    expect(xmlEscape(s)).toBe(want);
  });
});

describe('HTML report', () => {
  const r = syntheticReport({ gate: true });
  const html = renderHtml(r, { good: { 'l1.png': { page: PIXEL } }, worse: { 'l1.png': { page: PIXEL }, 'r1.jpg': { lines: [PIXEL] } } });

  it('is well-formed HTML', () => {
    expect(markupProblems(html, 'html')).toEqual([]);
  });

  it('is self-contained: no external URLs, scripts or stylesheets; crops are data: URIs', () => {
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain(`<img alt="l1.png" src="${PIXEL}">`);
    // text that merely contains a URL (a QR payload) is escaped content, not a reference
    expect(html).toContain('http://example.com/x');
  });

  it('shows a page item through crops of its worst lines, with what was read, not the whole page', () => {
    const card = /<div class="card" data-item="r1\.jpg">.*?<\/div>/su.exec(html.split('<h3>worse</h3>').at(-1)!)![0];
    expect(card).toContain('Worst lines:');
    expect(card).toContain(`<img alt="r1.jpg line: TOTAI 80.90" src="${PIXEL}">`);
    expect(card).toContain('read <code>TOTAI 80.90</code>');
    expect(card).toMatch(/1 edit from the closest reference text/u);
    expect(card).not.toContain('<img alt="r1.jpg" ');
  });

  it('charts: whole, evenly spaced count ticks and a latency axis in one unit', () => {
    const chart = /<svg[^>]*aria-label="Latency per item".*?<\/svg>/su.exec(html)![0];
    const ticks = [...chart.matchAll(/<text class="tick"[^>]*>(\d+)<\/text>/gu)].map((m) => Number(m[1]));
    expect(ticks[0]).toBe(0);
    expect(new Set(ticks.slice(1).map((t, i) => t - ticks[i]!)).size).toBe(1);
    expect(chart).toContain('milliseconds per item');
    expect(chart).not.toMatch(/≤[\d.]+s</u);
  });

  it('contains every metric of every variant, the charts and the gate', () => {
    for (const v of r.variants) for (const metric of Object.keys(v.flat)) expect(html).toContain(`data-metric="${metric}"`);
    expect(html).toContain('data-metric="chars"');
    for (const title of ['Error distribution (per-item CER)', 'Field accuracy', 'Barcodes per format', 'Latency per item']) {
      expect(html).toContain(`aria-label="${title}"`);
    }
    expect(html).toContain('REGRESSION: gate failed');
    expect(html).toContain('<h2>Barcodes per format</h2>');
    expect(html).toMatch(/<td>QR_CODE<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>0.00%<\/td><td>—<\/td>/u);
    expect(html).toContain('<del>');
    expect(html).toContain('a &lt;warning&gt; &amp; note');
  });
});

describe('Markdown, terminal and JSON reports', () => {
  const r = syntheticReport({ gate: true });

  it('Markdown has the verdict, one row per metric and escaped cells', () => {
    const md = renderMarkdown(r);
    expect(md.split('\n')[0]).toBe('## zakocr bench — synthetic (❌ regression)');
    expect(md).toContain('| metric | good (cpu) | worse (cpu) |');
    for (const metric of ['CER', 'WER', 'field total exact', 'barcode QR\\_CODE recall', 'latency p95']) expect(md).toContain(`| ${metric} |`);
    expect(md).toContain('\\<warning\\>');
    expect(md).toContain('| all formats | 2 | 1 | 1 | 0 | 50.00% | 100.00% |');
    // diffs sit in code spans: literal, no Markdown escapes inside
    expect(md).toMatch(/^- `l2\.png` CER \d+\.\d\d%: `[^`]*\[-f-\][^`]*\[-"-\][^`]*`$/mu);
  });

  it('terminal report puts the variants side by side with deltas', () => {
    const text = renderText(r);
    expect(text).toMatch(/^CER\s+\d+\.\d\d%\s+\d+\.\d\d% \(\+\d+\.\d\d pp\)$/mu);
    expect(text).toContain('gate vs base.json: FAIL');
    expect(text).toContain('worst items — worse');
  });

  it('JSON and baseline carry both variants and their CER', () => {
    const json = JSON.parse(renderJson(r));
    expect(json.schema).toBe('zakocr.bench/v1');
    expect(json.variants.map((v: { name: string }) => v.name)).toEqual(['good', 'worse']);
    const base = toBaseline(r);
    expect(Object.keys(base.variants)).toEqual(['good', 'worse']);
    expect(base.variants.good!.metrics.cer).toBe(0);
    expect(base.variants.worse!.metrics.cer).toBeGreaterThan(0);
  });
});
