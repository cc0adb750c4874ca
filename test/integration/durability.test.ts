/**
 * Nothing lost, through the real CLI: SIGKILL at seeded random moments across resumed runs, then exactly once in
 * JSONL and CSV in input order; one run per output; nothing matched; double Ctrl-C; SIGTERM; a full disk (a tiny
 * tmpfs); a read-only output; stale temp files and locks of dead runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../fixtures/degrade.mjs';
import { runCli, tempDir, writeNumberedImages, type CliOptions } from './scan-helpers.js';

const FILES = 24;
const PROGRESS_LINE = /^(ok|review|failed)\s+\S/gm;

let dir: string;
let expected: string[];

beforeAll(async () => {
  dir = await tempDir('durability');
  expected = (await writeNumberedImages(path.join(dir, 'in'), FILES)).map((f) => path.relative(dir, f)).sort();
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const progressCount = (text: string) => text.match(PROGRESS_LINE)?.length ?? 0;

function scanArgs(out: string, extra: string[] = [], engine = 'tesseract'): string[] {
  return ['scan', 'in', '--engine', engine, '-c', '2', '--out', path.join(out, 'r.jsonl'), '--out', path.join(out, 'r.csv'), ...extra];
}

function outputs(out: string): { jsonl: string[]; csv: string[] } {
  const jsonl = readFileSync(path.join(out, 'r.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { file: string }).file);
  const rows = parse(readFileSync(path.join(out, 'r.csv'), 'utf8'), { columns: true }) as Array<{ file: string }>;
  return { jsonl, csv: rows.map((r) => r.file) };
}

const leftovers = (out: string) => readdirSync(out).filter((f) => f.includes('.tmp') || f.endsWith('.lock'));

function cli(args: string[], opts: CliOptions = {}) {
  return runCli(args, { cwd: dir, timeoutMs: 150_000, ...opts });
}

describe('kill -9 at random moments, then --resume', () => {
  it('every input ends exactly once in JSONL and CSV, in input order, and finished records survive each kill', async () => {
    const out = path.join(dir, 'kill');
    const rand = prng(13); // seeded: the same kill moments on every run of the suite
    let lastKept = 0;
    for (let round = 0; round < 3; round++) {
      // Kill after a random number of finished files, or (one round) a random moment after start-up.
      const afterFiles = 1 + Math.floor(rand() * 5);
      const afterMs = round === 1 ? 400 + Math.floor(rand() * 1200) : null;
      let killed = false;
      const r = await cli(scanArgs(out, ['--resume']), {
        onSpawn: (child) => {
          if (afterMs !== null) setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, afterMs);
        },
        onStderr: (soFar, child) => {
          if (afterMs === null && !killed && progressCount(soFar) >= afterFiles) killed = child.kill('SIGKILL');
        },
      });
      expect(r.signal ?? r.code, r.stderr).toBe(killed ? 'SIGKILL' : 0);
      // What the earlier runs finished is still there: the journal holds at least as many files as before.
      const journal = path.join(out, '.r.jsonl.journal');
      const kept = existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter(Boolean).length : 0;
      expect(kept).toBeGreaterThanOrEqual(lastKept);
      lastKept = kept;
    }
    const last = await cli(scanArgs(out, ['--resume']));
    expect(last.code, last.stderr).toBe(0);
    // A resume redoes only what was in flight: at most the two files (-c 2) journaled but not yet marked done.
    expect(last.stderr.match(/^skip\s+\S+/gm)?.length ?? 0).toBeGreaterThanOrEqual(lastKept - 2);
    const { jsonl, csv } = outputs(out);
    expect(jsonl).toEqual(expected);
    expect(csv).toEqual(expected);
    expect(leftovers(out)).toEqual([]);
  }, 300_000);
});

describe('one run per output', () => {
  it('a second scan on the same output exits 2 naming the holder; the first ends complete', async () => {
    const out = path.join(dir, 'concurrent');
    let second: Awaited<ReturnType<typeof cli>> | null = null;
    let started: Promise<void> | null = null;
    const first = await cli(scanArgs(out), {
      onStderr: (soFar, child) => {
        if (started || progressCount(soFar) < 1) return;
        // Frozen while the second one tries: a fast machine would otherwise finish the first run before the second starts.
        child.kill('SIGSTOP');
        started = cli(scanArgs(out, ['--force'])).then((r) => {
          second = r;
          child.kill('SIGCONT');
        });
      },
    });
    await started;
    expect(first.code, first.stderr).toBe(0);
    expect(second!.code).toBe(2);
    expect(second!.stderr).toMatch(new RegExp(`is in use by another zakocr run \\(pid \\d+ on ${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, started `));
    expect(second!.stderr).toContain(path.join(out, ''));
    expect(outputs(out).jsonl).toEqual(expected);
    expect(leftovers(out)).toEqual([]);
  }, 200_000);

  it('a lock and temp files left by a dead run are taken over with a warning and removed', async () => {
    const out = path.join(dir, 'stale');
    await mkdir(out, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    await writeFile(path.join(out, '.r.jsonl.lock'), JSON.stringify({ pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'zakocr scan' }));
    await writeFile(path.join(out, `.r.jsonl.${pid}.1767225600000.tmp`), '{"half":');
    await writeFile(path.join(out, `.r.csv.${pid}.1767225600000.tmp`), 'file,page');
    const r = await cli(scanArgs(out, [], 'none'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`taking over the lock on ${path.join(out, 'r.jsonl')} from the run pid ${pid}`);
    expect(leftovers(out)).toEqual([]);
    expect(outputs(out).jsonl).toEqual(expected);
  }, 120_000);
});

describe('an empty or failed run never destroys results', () => {
  it('nothing matched: exit 2, the old results untouched', async () => {
    const out = path.join(dir, 'nomatch');
    expect((await cli(scanArgs(out, [], 'none'))).code).toBe(0);
    const before = readFileSync(path.join(out, 'r.jsonl'));
    const mtime = statSync(path.join(out, 'r.jsonl')).mtimeMs;
    const r = await cli(['scan', path.join(dir, 'nothing-here', '**', '*.png'), '--out', path.join(out, 'r.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No input files matched');
    expect(readFileSync(path.join(out, 'r.jsonl'))).toEqual(before);
    expect(statSync(path.join(out, 'r.jsonl')).mtimeMs).toBe(mtime);
  }, 120_000);

  it('an output under a file (not a folder) exits 2 at start-up naming it', async () => {
    await writeFile(path.join(dir, 'plain-file'), 'x');
    const r = await cli(['scan', 'in', '--engine', 'none', '--out', path.join(dir, 'plain-file', 'r.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Cannot create the output folder ${path.join(dir, 'plain-file')}: a part of the path is a file, not a folder`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('signals', () => {
  it('Ctrl-C twice: exits 130 at once without a native abort or temp files; --resume completes exactly once', async () => {
    const out = path.join(dir, 'double');
    let sent = false;
    const r = await cli(scanArgs(out), {
      onStderr: (soFar, child) => {
        if (sent || progressCount(soFar) < 2) return;
        sent = true;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 300);
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).not.toContain('terminate called');
    expect(leftovers(out)).toEqual([]);
    const resumed = await cli(scanArgs(out, ['--resume']));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(outputs(out)).toEqual({ jsonl: expected, csv: expected });
  }, 200_000);

  it('Ctrl-C twice with PP-OCR reading (onnxruntime calls in flight): 130, never the native abort', async () => {
    const out = path.join(dir, 'double-paddle');
    let sent = false;
    const r = await cli(scanArgs(out, [], 'paddle'), {
      onStderr: (soFar, child) => {
        if (sent || progressCount(soFar) < 1) return;
        sent = true;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 100);
      },
    });
    expect(r.code, r.stderr.slice(-400)).toBe(130);
    expect(r.stderr).not.toContain('terminate called');
    expect(leftovers(out)).toEqual([]);
  }, 200_000);

  it('SIGTERM drains the files in progress and exits 143', async () => {
    const out = path.join(dir, 'term');
    let sent = false;
    const r = await cli(scanArgs(out), {
      onStderr: (soFar, child) => {
        if (!sent && progressCount(soFar) >= 2) sent = child.kill('SIGTERM');
      },
    });
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('terminated: finishing the files in progress');
    const done = outputs(out).jsonl;
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done).toEqual(expected.slice(0, done.length));
  }, 200_000);
});

/** A tmpfs of `size` mounted at a new folder, or null where mounting is not allowed (not root). */
function tmpfs(size: string): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const at = path.join(dir, `mnt-${Math.random().toString(36).slice(2)}`);
  execFileSync('mkdir', ['-p', at]);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return at;
  } catch {
    return null;
  }
}

const canMount = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(canMount)('disk problems (tmpfs)', () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
  });

  it('a full disk mid-run: exit 3 without a stack trace, no temp files, and --resume completes once space is back', async () => {
    const out = tmpfs('96k');
    expect(out).not.toBeNull();
    mounts.push(out!);
    // Leave room for a few records only.
    await writeFile(path.join(out!, 'filler'), Buffer.alloc(80 * 1024));
    const r = await cli(scanArgs(out!, [], 'none'));
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('no space left on the device (ENOSPC)');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(leftovers(out!)).toEqual([]);
    await rm(path.join(out!, 'filler'));
    const resumed = await cli(scanArgs(out!, ['--resume'], 'none'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(outputs(out!)).toEqual({ jsonl: expected, csv: expected });
  }, 120_000);

  it('a read-only output folder exits 2 at start-up, before any engine starts', async () => {
    const out = tmpfs('64k');
    expect(out).not.toBeNull();
    mounts.push(out!);
    execFileSync('mount', ['-o', 'remount,ro', out!]);
    const t = Date.now();
    const r = await cli(scanArgs(out!, [], 'tesseract'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the file system is read-only (EROFS)');
    expect(Date.now() - t).toBeLessThan(5000);
  }, 60_000);
});
