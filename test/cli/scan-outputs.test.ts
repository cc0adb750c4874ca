/** `--out` sinks through the real CLI: JSONL, JSON and CSV files, stdout JSONL, output order, exit codes. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZakRecord } from '../../src/core/types.js';
import { readJsonl, runCli, tempDir, writeNumberedImages, type CliResult } from '../integration/scan-helpers.js';
import { assertValidRecords } from '../helpers/record-schema.js';

const FILES = 6;
let dir: string;
let expected: string[];
let run: CliResult;

beforeAll(async () => {
  dir = await tempDir('outputs');
  expected = (await writeNumberedImages(path.join(dir, 'in'), FILES)).map((f) => path.relative(dir, f)).sort();
  run = await runCli(['scan', 'in', '--engine', 'none', '--concurrency', '2', '--out', 'out/r.jsonl', '--out', 'out/r.json', '--out', 'out/r.csv'], { cwd: dir });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--out files', () => {
  it('writes every requested format, atomically (no temp files or locks left), the manifest and record journal beside the first', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['.r.jsonl.journal', '.zakocr-manifest.jsonl', 'r.csv', 'r.json', 'r.jsonl']);
  });

  it('JSONL: one v1 record per line, in sorted path order', async () => {
    const recs = await readJsonl(path.join(dir, 'out/r.jsonl'));
    expect(recs.map((r) => r.file)).toEqual(expected);
    for (const r of recs) {
      expect(r).toMatchObject({ schema: 'zakocr.record/v1', page: null, status: 'needs_review', error: null, engine: { name: 'none' } });
      expect(r.review).toContain('no_text_found');
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.bytes).toBeGreaterThan(0);
      expect(typeof r.timingsMs.total).toBe('number');
    }
  });

  it('JSON: a parseable array with the same records', async () => {
    const arr = assertValidRecords(JSON.parse(readFileSync(path.join(dir, 'out/r.json'), 'utf8')) as ZakRecord[], 'out/r.json');
    expect(Array.isArray(arr)).toBe(true);
    expect(arr).toEqual(await readJsonl(path.join(dir, 'out/r.jsonl')));
  });

  it('CSV: a header and one row per record; numbers bare; the full record in record_json', async () => {
    const text = readFileSync(path.join(dir, 'out/r.csv'), 'utf8');
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.file)).toEqual(expected);
    const jsonl = await readJsonl(path.join(dir, 'out/r.jsonl'));
    rows.forEach((row, i) => {
      expect(row.status).toBe('needs_review');
      expect(row.bytes).toBe(String(jsonl[i].bytes));
      expect(JSON.parse(row.record_json)).toEqual(jsonl[i]);
    });
    expect(text).toMatch(new RegExp(`,${jsonl[0].bytes},`)); // unquoted number
  });

  it('prints one plain progress line per file and a summary on stderr (CI), nothing on stdout', () => {
    expect(run.stdout).toBe('');
    for (const f of expected) expect(run.stderr).toContain(`review ${f} · `);
    expect(run.stderr).toContain(`zakocr: ${FILES} files → ${FILES} records`);
  });
});

describe('--out -', () => {
  it('prints JSONL on stdout, progress and summary on stderr', async () => {
    const r = await runCli(['scan', 'in', '--engine', 'none', '--out', '-'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const recs = assertValidRecords(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as ZakRecord), 'stdout');
    expect(recs.map((x) => x.file)).toEqual(expected);
    expect(r.stdout).not.toContain('zakocr:');
    expect(r.stderr).toContain(`zakocr: ${FILES} files → ${FILES} records`);
    expect(existsSync(path.join(dir, 'zakocr-results.jsonl'))).toBe(false);
  });

  it('--quiet leaves only the summary on stderr; --json-log makes it JSON Lines', async () => {
    const quiet = await runCli(['scan', 'in', '--engine', 'none', '--out', '-', '--quiet'], { cwd: dir });
    expect(quiet.code, quiet.stderr).toBe(0);
    const summary = quiet.stderr.trimEnd().split('\n');
    expect(summary[0]).toMatch(new RegExp(`^zakocr: ${FILES} files → ${FILES} records in `, 'u'));
    expect(summary.slice(1).every((l) => l.startsWith('  '))).toBe(true); // the summary's own lines, no file lines
    expect(quiet.stdout.trim().split('\n')).toHaveLength(FILES);
    const json = await runCli(['scan', 'in', '--engine', 'none', '--out', path.join(dir, 'j', 'r.jsonl'), '--json-log'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const lines = json.stderr.trim().split('\n').map((l) => {
      try {
        return JSON.parse(l) as { level: string; msg: string; file?: string };
      } catch {
        throw new Error(`--json-log wrote a line that is not JSON: ${l}\nstderr:\n${json.stderr}`);
      }
    });
    expect(lines.filter((l) => l.msg === 'file').map((l) => l.file)).toEqual(expected);
    for (const l of lines) expect(['info', 'warn', 'error', 'debug']).toContain(l.level);
  });

  it('a reader that leaves early (| head -1) ends the run quietly with 141, no stack trace', async () => {
    const many = await tempDir('epipe');
    await writeNumberedImages(many, 40, 'p');
    const r = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve, reject) => {
      let first = '';
      let stderr = '';
      runCli(['scan', many, '--engine', 'none', '--no-preprocess', '--out', '-'], {
        onSpawn: (child) => {
          child.stdout!.once('data', (d: Buffer | string) => {
            first = String(d).split('\n')[0];
            child.stdout!.destroy(); // like `head -1` closing the pipe
          });
        },
        onStderr: (s) => (stderr = s),
      }).then((res) => resolve({ code: res.code, stderr, first }), reject);
    });
    await rm(many, { recursive: true, force: true });
    expect(JSON.parse(r.first).schema).toBe('zakocr.record/v1');
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
    expect(r.code).toBe(141);
  });
});

describe('output errors', () => {
  it('an unknown output extension is a usage error (exit 2) naming the known ones', async () => {
    const r = await runCli(['scan', 'in', '--engine', 'none', '--out', 'rows.xlsx'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot tell the output format of rows.xlsx: use one of .jsonl, .ndjson, .json, .csv or - for stdout');
  });
});
