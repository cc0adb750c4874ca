/** Configuration layers and usage errors through the real CLI: file ← env ← flags, exit 2 with clear messages. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeNumberedImages } from '../integration/scan-helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('cli-config');
  await writeNumberedImages(path.join(dir, 'img'), 1);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A project folder holding `files` and a copy of the one-image input; returns its path. */
async function project(name: string, files: Record<string, string>): Promise<string> {
  const p = path.join(dir, name);
  await mkdir(p, { recursive: true });
  if (!('package.json' in files)) await writeFile(path.join(p, 'package.json'), '{"name":"shop","private":true}');
  for (const [f, body] of Object.entries(files)) await writeFile(path.join(p, f), body);
  return p;
}

const startLine = (stderr: string) => stderr.split('\n').find((l) => l.startsWith('zakocr: engine')) ?? '';
const SCAN = (out = 'r.jsonl') => ['scan', path.join(dir, 'img'), '--engine', 'none', '--no-preprocess', '--out', out];

describe('config layers (file ← ZAKOCR_* ← flags)', () => {
  it.each([
    ['.zakocrrc (JSON)', { '.zakocrrc': '{"concurrency": 3}' }],
    ['.zakocrrc (YAML)', { '.zakocrrc': 'concurrency: 3\n' }],
    ['.zakocrrc.json', { '.zakocrrc.json': '{"concurrency": 3}' }],
    ['package.json "zakocr" key', { 'package.json': '{"name":"shop","zakocr":{"concurrency":3}}' }],
  ])('reads %s', async (_label, files) => {
    const cwd = await project(`layer-${Object.keys(files)[0]}-${Math.random().toString(36).slice(2, 8)}`, files);
    const r = await runCli(SCAN(), { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(startLine(r.stderr)).toContain('concurrency 3;');
  });

  it('ZAKOCR_CONCURRENCY overrides the file; --concurrency overrides both', async () => {
    const cwd = await project('precedence', { '.zakocrrc': '{"concurrency": 3, "quiet": false}' });
    const env = await runCli(SCAN(), { cwd, env: { ZAKOCR_CONCURRENCY: '5' } });
    expect(startLine(env.stderr), env.stderr).toContain('concurrency 5;');
    const flag = await runCli([...SCAN(), '--concurrency', '4'], { cwd, env: { ZAKOCR_CONCURRENCY: '5' } });
    expect(startLine(flag.stderr), flag.stderr).toContain('concurrency 4;');
  });

  it('a config file can set the outputs (and quiet: only the summary is printed)', async () => {
    const cwd = await project('outputs', { '.zakocrrc.yaml': 'out:\n  - from-config.csv\nquiet: true\n' });
    const r = await runCli(['scan', path.join(dir, 'img'), '--engine', 'none', '--no-preprocess'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^zakocr: 1 files → 1 records in [\d.]+s \([\d.]+ files\/s, engine none on none\)\n {2}ok 0 · needs review 1 · failed 0 · skipped 0 · latency p50 [\d.]+s p95 [\d.]+s\n$/u);
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(cwd, 'from-config.csv'))).toBe(true);
    expect(existsSync(path.join(cwd, 'zakocr-results.jsonl'))).toBe(false);
  });
});

describe('configuration errors exit 2 saying what was given, where, and what it must be', () => {
  it.each<[string, Record<string, string>, Record<string, string>, string[], string]>([
    ['a bad value in .zakocrrc', { '.zakocrrc': '{"engine": "easyocr"}' }, {}, [], '<cwd>/.zakocrrc: engine "easyocr": must be one of auto, paddle, tesseract, none\n'],
    ['an unknown key in .zakocrrc', { '.zakocrrc': '{"concurency": 2}' }, {}, [], '<cwd>/.zakocrrc: unknown key concurency; did you mean concurrency?\n'],
    ['a bad ZAKOCR_ variable', {}, { ZAKOCR_CONCURRENCY: 'lots' }, [], 'ZAKOCR_CONCURRENCY=lots: must be a whole number between 1 and 256\n'],
    ['a bad flag value', {}, {}, ['--concurrency', '0'], '--concurrency 0: must be between 1 and 256\n'],
    ['--min-quality out of range', {}, {}, ['--min-quality', '2'], '--min-quality 2: must be between 0 and 1\n'],
    ['--timeout under its floor', {}, {}, ['--timeout', '5'], '--timeout 5: must be ≥ 100\n'],
  ])('%s', async (label, files, env, flags, message) => {
    const cwd = await project(`bad-${label.replace(/\W+/g, '-')}`, files);
    const r = await runCli([...SCAN(), ...flags], { cwd, env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: ${message.replace('<cwd>', cwd)}`);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    if (label.startsWith('an unknown key')) expect(r.stderr).toMatch(/did you mean [^?]*\bconcurrency\b/);
  });
});

describe('usage', () => {
  it('--version prints the version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists the commands; scan --help shows flags, examples and exit codes', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('scan [options] <inputs...>');
    const scan = await runCli(['scan', '--help']);
    expect(scan.code).toBe(0);
    for (const flag of ['--out <file>', '--concurrency <n>', '--lang <lang>', '--engine <name>', '--resume', '--force', '--quiet', '--json-log', '--fail-fast']) {
      expect(scan.stdout).toContain(flag);
    }
    expect(scan.stdout).toContain('Examples:');
    expect(scan.stdout).toContain('$ zakocr scan ./invoices');
    expect(scan.stdout).toContain('130 interrupted');
  });

  it.each<[string, string[], string]>([
    ['an unknown flag', ['scan', 'x', '--frobnicate'], "error: unknown option '--frobnicate'"],
    ['an unknown command', ['scna', 'x'], "error: unknown command 'scna'"],
    ['scan without inputs', ['scan'], "error: missing required argument 'inputs'"],
    ['a --lang outside the choices', ['scan', 'x', '--lang', 'fra'], "error: option '--lang <lang>' argument 'fra' is invalid. Allowed choices are eng, ben, eng+ben, ben+eng."],
    ['an input that does not exist', ['scan', 'no-such-folder'], 'error: Input not found: no-such-folder'],
  ])('%s → exit 2', async (_label, args, message) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
