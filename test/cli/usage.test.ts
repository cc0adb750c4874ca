/**
 * The CLI's manners through the real binary: exit codes and the exact stderr of usage errors (one `error:` prefix,
 * said once, naming what was typed), help and examples, `--version --verbose`, `--list`/`--ignore`, and what
 * `--quiet`, `--json-log`, `--verbose` and `--debug` print.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { bin, runCli, tempDir, writeNumberedImages, writeTextImage } from '../integration/scan-helpers.js';

const exec = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await tempDir('cli-usage');
  await writeNumberedImages(path.join(dir, 'in'), 2);
  await writeNumberedImages(path.join(dir, 'in', 'archive'), 1, 'old');
  await writeFile(path.join(dir, 'in', 'bad.png'), 'not an image\n');
});

const NONE = ['--engine', 'none', '--no-preprocess'];

describe('usage errors: exit 2 and one message, prefixed error: once', () => {
  it.each<[string, string[], Record<string, string>, string | RegExp]>([
    ['a flag out of range names the flag as typed', ['scan', 'in', '--min-quality', '2'], {}, 'error: --min-quality 2: must be between 0 and 1\n'],
    ['not a number', ['scan', 'in', '--min-line-confidence', 'high'], {}, 'error: --min-line-confidence high: must be a number between 0 and 1\n'],
    ['a ZAKOCR_ variable names the variable', ['scan', 'in'], { ZAKOCR_PREPROCESS_MIN_QUALITY: '-1' }, 'error: ZAKOCR_PREPROCESS_MIN_QUALITY=-1: must be between 0 and 1\n'],
    ['serve flags too', ['serve', '--port', '99999'], {}, 'error: --port 99999: must be between 0 and 65535\n'],
    ['export flags too', ['export', '--from', 'in', '--out', 'x', '--concurrency', '0'], {}, 'error: --concurrency 0: must be between 1 and 256\n'],
    ['bench flags too', ['bench', 'in', '--tolerance', '-1'], {}, 'error: --tolerance -1: must be a number ≥ 0\n'],
    ['review flags too', ['review', 'export', '--from', 'r.jsonl', '--out', 'x', '--max-line-confidence', '2'], {}, 'error: --max-line-confidence 2: must be between 0 and 1\n'],
    ['nothing matched', ['scan', 'in/**/*.bmp'], {}, /^error: No input files matched "in\/\*\*\/\*\.bmp"\nfix: Folders are searched recursively[^\n]*Nothing was written\.\n$/u],
    ['--ignore can leave nothing', ['scan', 'in', '--ignore', '*.png'], {}, /^error: No input files matched "in"\nfix: /u],
    ['a missing input', ['scan', 'nowhere'], {}, /^error: Input not found: nowhere\nfix: /u],
    ['-q with -v', ['scan', 'in', '-q', '-v'], {}, "error: option '-v, --verbose' cannot be used with option '-q, --quiet'\n(run with --help for usage)\n"],
    ['-q with --debug', ['scan', 'in', '-q', '--debug'], {}, /^error: option '--debug' cannot be used with option '-q, --quiet'\n/u],
    ['an unknown command', ['scna', 'in'], {}, "error: unknown command 'scna'\n(Did you mean scan?)\n(run with --help for usage)\n"],
  ])('%s', async (_label, args, env, want) => {
    const r = await runCli(args, { cwd: dir, env });
    expect(r.code, r.stderr).toBe(2);
    if (typeof want === 'string') expect(r.stderr).toBe(want);
    else expect(r.stderr).toMatch(want);
    expect(r.stderr).not.toMatch(/UsageError|ConfigError|Reason:|Fix:/u);
  });

  it('a broken YAML config is reported once, naming the file and the spot', async () => {
    const cwd = path.join(dir, 'yaml');
    await mkdir(cwd, { recursive: true });
    await writeFile(path.join(cwd, 'package.json'), '{"name":"shop"}');
    await writeFile(path.join(cwd, '.zakocrrc.yaml'), 'concurrency: [\n');
    const r = await runCli(['scan', path.join(dir, 'in'), ...NONE], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot read the config file: YAML Error in ${cwd.replaceAll('/', '\\/')}/\\.zakocrrc\\.yaml:\\n`, 'u'));
    expect(r.stderr.match(/YAML Error/gu)).toHaveLength(1);
  });
});

describe('help, examples and versions', () => {
  it('zakocr alone prints the help on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: zakocr [options] [command]');
    expect(r.stderr).toContain('Examples:');
  });

  it('a command group alone (zakocr db) does too', async () => {
    const r = await runCli(['db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: zakocr db');
  });

  it('every command and subcommand has examples in its help', () => {
    const missing: string[] = [];
    const visit = (cmd: ReturnType<typeof buildProgram>, name: string) => {
      const help = helpText(cmd);
      if (!/\nExamples:\n {2}\$ zakocr /u.test(help)) missing.push(name || 'zakocr');
      for (const sub of cmd.commands) if (sub.name() !== 'help') visit(sub, `${name} ${sub.name()}`.trim());
    };
    visit(buildProgram(), '');
    expect(missing).toEqual([]);
  });

  it.each([['--version'], ['-V']])('%s prints the version alone', async (flag) => {
    const r = await runCli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/u);
  });

  it.each(['--version --verbose', '-V -v', '-Vv'])('%s prints every component without starting an engine', async (flags) => {
    const r = await runCli(flags.split(' '), { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/u)[0]);
    expect(names).toEqual(['zakocr', 'pipeline', 'PP-OCR models', 'Tesseract data', 'onnxruntime-node', 'tesseract.js', 'sharp', 'zxing-wasm', 'pdfjs-dist', 'node']);
    expect(r.stdout).toMatch(/^pipeline +\d+\.\d+\.\d+\+[0-9a-f]{10} \(engine auto, lang eng, default settings\)$/mu);
    expect(r.stdout).toMatch(/^PP-OCR models +ch_PP-OCRv4_det, ch_ppocr_mobile_v2\.0_cls, ch_PP-OCRv4_rec \(@gutenye\/ocr-models \d/mu);
    expect(r.stdout).toMatch(/^onnxruntime-node +\d+\.\d+\.\d+$/mu);
    expect(r.stdout).not.toContain('not installed');
  });

  it('the pipeline version it prints is the one a scan here stamps (engine tesseract from the folder\'s config)', async () => {
    const cwd = path.join(dir, 'pv');
    await mkdir(cwd, { recursive: true });
    await writeFile(path.join(cwd, 'package.json'), '{"name":"shop"}');
    await writeFile(path.join(cwd, '.zakocrrc'), '{"engine": "tesseract", "lang": "ben+eng"}');
    await writeTextImage(cwd, 'label.png', ['Fresh Milk 1L', 'Tk 95.00']);
    const v = await runCli(['--version', '--verbose'], { cwd });
    const printed = /^pipeline +(\S+) \(engine tesseract, lang ben\+eng, config /mu.exec(v.stdout)?.[1];
    const scan = await runCli(['scan', 'label.png', '--out', 'r.jsonl', '-q'], { cwd, timeoutMs: 300_000 });
    expect(scan.code, scan.stderr).toBe(0);
    const record = JSON.parse((await readFile(path.join(cwd, 'r.jsonl'), 'utf8')).split('\n')[0]!) as { pipelineVersion: string };
    expect(printed).toBe(record.pipelineVersion);
  }, 300_000);
});

/** A command's full help text (with the examples added after it), as `--help` prints it. */
function helpText(cmd: ReturnType<typeof buildProgram>): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

describe('--list and --ignore', () => {
  it('--list prints what would be scanned, one path a line, and exits 0 without starting an engine', async () => {
    const r = await runCli(['scan', 'in', '--list'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('in/archive/old-000.png\nin/bad.png\nin/img-000.png\nin/img-001.png\n');
    expect(r.stderr).toBe('');
  });

  it.each<[string, string[], string]>([
    ['--ignore a folder', ['--ignore', 'archive/'], 'in/bad.png\nin/img-000.png\nin/img-001.png\n'],
    ['--ignore twice', ['--ignore', 'archive/', '--ignore', 'bad.*'], 'in/img-000.png\nin/img-001.png\n'],
    ['--ignore and a !pattern', ['--ignore', 'archive/', '!img-001.png'], 'in/bad.png\nin/img-000.png\n'],
  ])('%s', async (_label, extra, want) => {
    const r = await runCli(['scan', 'in', '--list', ...extra], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(want);
  });

  it('--list with nothing matched exits 2', async () => {
    const r = await runCli(['scan', 'in/**/*.bmp', '--list'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: No input files matched/u);
  });

  it('--list reads paths from standard input with -, and an empty list exits 2', async () => {
    const run = (input: string) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [bin, 'scan', '-', '--list'], { cwd: dir, env: { ...process.env, CI: 'true' } }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr });
      });
      child.stdin!.end(input);
    });
    expect(await run('in/img-001.png\nin/archive\n')).toMatchObject({ code: 0, stdout: 'in/img-001.png\nin/archive/old-000.png\n' });
    const empty = await run('');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error: No input files matched (standard input named no file)');
  });

  it('a scan leaves out what --ignore matches', async () => {
    const r = await runCli(['scan', 'in', ...NONE, '--ignore', 'archive/', '--ignore', 'bad.png', '--out', 'ign.jsonl'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const files = (await readFile(path.join(dir, 'ign.jsonl'), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { file: string }).file);
    expect(files).toEqual(['in/img-000.png', 'in/img-001.png']);
  });
});

describe('what a scan prints', () => {
  const scan = (extra: string[], out: string) => runCli(['scan', 'in', '--ignore', 'archive/', ...NONE, '--out', out, ...extra], { cwd: dir });

  it('--quiet: one error line per failed file, then the summary', async () => {
    const r = await scan(['-q'], 'q.jsonl');
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: failed in\/bad\.png · unsupported_format: in\/bad\.png is not a supported image or PDF/u);
    expect(lines[1]).toMatch(/^zakocr: 3 files → 3 records in /u);
    expect(lines[2]).toMatch(/^ {2}ok 0 · needs review 2 · failed 1 · skipped 0/u);
    expect(lines).toHaveLength(4); // and the slowest files
  });

  it('--json-log: levels by status, a loading event, and one structured summary event', async () => {
    const r = await scan(['--json-log'], 'j.jsonl');
    expect(r.code).toBe(1);
    const events = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ level: 'info', msg: 'loading', models: '' });
    expect(events.filter((e) => e.msg === 'file').map((e) => [e.file, e.level])).toEqual([['in/bad.png', 'error'], ['in/img-000.png', 'warn'], ['in/img-001.png', 'warn']]);
    const summary = events.filter((e) => e.msg === 'summary');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ level: 'warn', files: 3, records: 3, ok: 0, needsReview: 2, failed: 1, exitCode: 1, interrupted: false, engine: 'none' });
    for (const e of events) for (const v of Object.values(e)) expect(['string', 'number', 'boolean'].includes(typeof v) || v === null).toBe(true);
  });

  it('--json-log --quiet: the failed file and the summary only', async () => {
    const r = await scan(['--json-log', '-q'], 'jq.jsonl');
    expect(r.stderr.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['file', 'summary']);
  });

  it('--verbose: stage timings under each file; --debug: the decisions too', async () => {
    const v = await scan(['--verbose'], 'v.jsonl');
    expect(v.stderr).toMatch(/^review in\/img-000\.png · unknown · no_text_found · [\d.]+s\n {7}read \d+ · decode \d+ · .*total \d+ ms\nreview in\/img-001/mu);
    const d = await scan(['--debug'], 'd.jsonl');
    expect(d.stderr).toMatch(/^ {7}read \d+ · .* ms\n {7}engine none on none · 0 lines · upright, skew 0\.0° · quality [\d.]+ · preprocess none · unknown · review no_text_found\n/mu);
  });

  it('the loading line names what the engines load', async () => {
    const r = await runCli(['scan', 'in/img-000.png', '--out', 'l.jsonl', '--engine', 'tesseract', '--lang', 'ben+eng', '--barcodes-only'], { cwd: dir });
    expect(r.stderr.split('\n')[0]).toBe('zakocr: starting (no OCR models to load)…');
  });
});
