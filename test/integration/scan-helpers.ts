/**
 * Shared helpers of the scan integration and CLI tests: temp folders with rendered images, the real CLI as a
 * child process, JSONL reading. Nothing here mocks a stage: images are real files, the CLI is the built one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ZakRecord } from '../../src/core/types.js';
import { assertValidRecords } from '../helpers/record-schema.js';
// @ts-expect-error plain ESM generator without type declarations
import { renderText } from '../../fixtures/render.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(repoRoot, 'bin', 'zakocr');
export const examplesDir = path.join(repoRoot, 'fixtures', 'examples');
export const smokeDir = path.resolve(repoRoot, '../shared/datasets/tesseractjs-smoke');

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `zakocr-${prefix}-`));
}

/** Renders `lines` into `dir/name` (PNG or JPEG by extension) and returns the path. */
export async function writeTextImage(dir: string, name: string, lines: string[], opts: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  const format = /\.jpe?g$/i.test(name) ? 'jpeg' : 'png';
  await writeFile(file, (await renderText(lines, { format, ...opts })) as Buffer);
  return file;
}

/** Distinct single-line images `img-000.png` … (distinct text, so distinct sha256). */
export async function writeNumberedImages(dir: string, count: number, prefix = 'img'): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(3, '0');
    files.push(await writeTextImage(dir, `${prefix}-${n}.png`, [`Item ${n} Tk ${100 + i}.00`], { fontSize: 22 }));
  }
  return files;
}

/** Reads a results file; every record must match schema/record.schema.json (the POS clients' contract). */
export async function readJsonl(file: string): Promise<ZakRecord[]> {
  const text = await readFile(file, 'utf8');
  return assertValidRecords(text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ZakRecord), file);
}

export const byBase = (records: ZakRecord[]) => new Map(records.map((r) => [path.basename(r.file), r]));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Called with the child once it runs (tests send signals). */
  onSpawn?: (child: ChildProcess) => void;
  /** Called on every stderr chunk with everything read so far. */
  onStderr?: (soFar: string, child: ChildProcess) => void;
}

/** Runs `node bin/zakocr …` (the built CLI) with CI set, so progress is plain lines on stderr. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the CLI tests');
  }
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };
    for (const k of Object.keys(env)) if (k.startsWith('ZAKOCR_') || k === 'DATABASE_URL' || k === 'KAFKA_BROKERS') delete env[k];
    Object.assign(env, opts.env);
    const child = spawn(process.execPath, [bin, ...args], { cwd: opts.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`zakocr ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 120_000} ms\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 120_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onStderr?.(stderr, child);
    });
    opts.onSpawn?.(child);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
