import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI under test; `ZAKOCR_TEST_BIN` points at another build (e.g. a snapshot while dist/ is being rebuilt). */
const BIN = process.env.ZAKOCR_TEST_BIN ?? path.join(REPO, 'bin', 'zakocr');

/**
 * Writes `n` small distinct PNGs (each a different pattern, so each has its own sha256) into a new temp
 * folder and returns it. With `--engine none` they scan in milliseconds: tests exercise the sinks, not OCR.
 */
export async function makeImages(n: number, prefix = 'zk-sink-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const img = path.join(dir, 'in');
  await mkdir(img);
  const side = 32;
  await Promise.all(Array.from({ length: n }, (_, i) => {
    const px = Buffer.alloc(side * side, 255);
    for (let b = 0; b < 20; b++) if ((i >> b) & 1) px.fill(0, b * 40, b * 40 + 30);
    return sharp(px, { raw: { width: side, height: side, channels: 1 } }).png().toFile(path.join(img, `img_${String(i).padStart(4, '0')}.png`));
  }));
  return dir;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr: () => string;
}

/** Starts `node bin/zakocr …` in `cwd`; `done` resolves when it exits. */
export function startCli(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

export async function runCli(args: string[], cwd: string, env: Record<string, string> = {}) {
  return startCli(args, cwd, env).done;
}

/** Polls `probe` every `everyMs` until it returns true or `timeoutMs` passes. */
export async function waitFor(probe: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
