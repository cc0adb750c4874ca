/**
 * `zakocr bench` as a user runs it: the built CLI, real Tesseract, real UW-III lines (a 3-line subset
 * keeps it to seconds). A saved baseline gates an equal run (exit 0) and a degraded config (exit 4);
 * the HTML report of a real run is well-formed, self-contained and shows every metric.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { externalReferences, markupProblems } from '../helpers/markup-check.js';
import { repoRoot, runCli, tempDir } from '../integration/scan-helpers.js';

const uw3 = path.resolve(repoRoot, '../shared/datasets/uw3-printed-lines');
const SUBSET = ['--engine', 'tesseract', '--limit', '3', '--concurrency', '1'];

describe.skipIf(!existsSync(uw3))('zakocr bench (CLI)', () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    dir = await tempDir('bench-cli');
    await writeFile(path.join(dir, 'degraded.json'), JSON.stringify({ lang: 'ben' })); // English lines read as Bengali
    first = await runCli(['bench', uw3, ...SUBSET, '--save-baseline', path.join(dir, 'base.json'), '--report-json', path.join(dir, 'r.json'),
      '--report-html', path.join(dir, 'r.html'), '--junit', path.join(dir, 'j.xml'), '--report-md', path.join(dir, 'r.md')], { timeoutMs: 180_000 });
  }, 200_000);

  it('prints CER/WER side by side and writes every report and the baseline', async () => {
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/Error/u) });
    expect(first.stdout).toMatch(/^CER\s+\d+\.\d\d%$/mu);
    expect(first.stdout).toMatch(/^WER\s+\d+\.\d\d%$/mu);
    const report = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8'));
    expect(report.dataset).toMatchObject({ name: 'uw3-printed-lines', format: 'gt-lines', items: 3 });
    expect(report.variants[0].engine.name).toBe('tesseract');
    expect(report.variants[0].flat.cer).toBeLessThan(0.1);
    const base = JSON.parse(await readFile(path.join(dir, 'base.json'), 'utf8'));
    expect(base.variants.tesseract.metrics.cer).toBe(report.variants[0].flat.cer);
    const junit = await readFile(path.join(dir, 'j.xml'), 'utf8');
    expect(markupProblems(junit, 'xml')).toEqual([]);
    expect(junit).toContain('name="cer"');
  });

  it('writes a valid, self-contained HTML report containing every metric', async () => {
    const html = await readFile(path.join(dir, 'r.html'), 'utf8');
    expect(markupProblems(html, 'html')).toEqual([]);
    expect(externalReferences(html)).toEqual([]);
    const report = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8'));
    for (const metric of Object.keys(report.variants[0].flat)) expect(html).toContain(`data-metric="${metric}"`);
    expect(html).toContain('aria-label="Error distribution (per-item CER)"');
    expect(html).toContain('aria-label="Latency per item"');
    // the worst items carry crops of the real line images
    if (report.variants[0].worst.length) expect(html).toMatch(/<img alt="[^"]+" src="data:image\/jpeg;base64,[A-Za-z0-9+/=]{100,}">/u);
  });

  it('an equal run passes the saved baseline (exit 0)', async () => {
    const r = await runCli(['bench', uw3, ...SUBSET, '--baseline', path.join(dir, 'base.json'), '--junit', path.join(dir, 'j2.xml')], { timeoutMs: 180_000 });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(r.stdout).toMatch(/gate vs .*base\.json: PASS/u);
    expect(await readFile(path.join(dir, 'j2.xml'), 'utf8')).toMatch(/<testsuites [^>]*failures="0"/u);
  }, 200_000);

  it('a degraded config against the baseline exits 4 and does not overwrite it', async () => {
    const before = await readFile(path.join(dir, 'base.json'), 'utf8');
    const r = await runCli(['bench', uw3, ...SUBSET, '--config', path.join(dir, 'degraded.json'), '--baseline', path.join(dir, 'base.json'),
      '--save-baseline', path.join(dir, 'base.json'), '--junit', path.join(dir, 'j3.xml')], { timeoutMs: 180_000 });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: \d+ metric gate\(s\) failed: degraded:tesseract cer /mu);
    expect(r.stderr).toContain('baseline not saved');
    expect(await readFile(path.join(dir, 'base.json'), 'utf8')).toBe(before);
    const junit = await readFile(path.join(dir, 'j3.xml'), 'utf8');
    expect(junit).toMatch(/name="cer" time="0">\s*<failure message="cer /u);
  }, 200_000);

  it('a bad flag exits 2 with the message naming it', async () => {
    const r = await runCli(['bench', uw3, '--tolerance', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --tolerance -1: must be a number ≥ 0');
  });

  it('an unknown layout exits 2 and names the formats', async () => {
    const empty = await tempDir('bench-empty');
    const r = await runCli(['bench', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: Cannot tell the layout of ${empty}`);
    expect(r.stderr).toContain('fix: pass --format manifest|zxing|sroie|gt-lines|invoice2data');
  });
});
