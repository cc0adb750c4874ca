/**
 * One run per output: a scan holds a lock file beside each of its output files and its manifest
 * (`.r.jsonl.lock`: pid, host, start, command). A second scan on any of them exits 2 naming the holder; a lock whose
 * process is gone (same host: the pid is not running, or now runs something else; other hosts: not refreshed for
 * STALE_MS) is taken over with a warning.
 * Own code rather than proper-lockfile: that one tells a dead holder only by an old mtime (a `kill -9` then an
 * immediate `--resume` would be refused for its whole stale period) and keeps no owner to name in the message.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError, fsProblem } from '../core/errors.js';
import { onExitNow } from '../core/exit-cleanup.js';
import type { Logger } from '../core/types.js';

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

/** A lock on another host counts as abandoned when its holder has not refreshed it for this long. */
export const STALE_MS = 120_000;
/** How often a live run refreshes its locks (mtime), for runs on other hosts sharing the folder. */
const REFRESH_MS = 30_000;

/** The lock file of `file`: hidden, beside it. Pure. */
export function lockPathOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.lock`);
}

/** Whether process `pid` on this host is alive and (where /proc tells) still a Node process. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A reused pid: the run died and something else got its number.
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|zakocr/.test(cmd);
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Why a held lock is dead, or null when its holder is alive. */
function deadReason(owner: LockOwner | null, mtimeMs: number): string | null {
  if (!owner) return Date.now() - mtimeMs > 10_000 ? 'its lock file is unreadable and old' : null;
  if (owner.host === os.hostname()) return pidAlive(owner.pid) ? null : 'it is no longer running';
  return Date.now() - mtimeMs > STALE_MS ? `its lock was not refreshed for ${Math.round((Date.now() - mtimeMs) / 1000)} s` : null;
}

function describeOwner(o: LockOwner | null): string {
  return o ? `pid ${o.pid} on ${o.host}, started ${o.startedAt}` : 'an unknown process';
}

async function readOwner(lockFile: string): Promise<LockOwner | null> {
  try {
    const o = JSON.parse(await readFile(lockFile, 'utf8')) as LockOwner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

/** The locks of one run; `release` removes them (also on an immediate exit). */
export class RunLock {
  private timer: NodeJS.Timeout | null = null;
  private readonly unregister: () => void;

  private constructor(readonly files: string[]) {
    this.unregister = onExitNow(() => this.releaseSync());
    if (files.length > 0) {
      this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
      this.timer.unref();
    }
  }

  /**
   * Takes the lock of every path (outputs, manifest), all or none.
   * @throws UsageError (exit 2) naming the live holder and the path; or when a lock cannot be written there
   */
  static async acquire(paths: string[], log: Logger): Promise<RunLock> {
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command: process.argv.slice(1).join(' ') };
    const taken: string[] = [];
    try {
      for (const p of [...new Set(paths.map((x) => path.resolve(x)))].sort()) {
        await takeOne(p, owner, log);
        taken.push(lockPathOf(p));
      }
    } catch (err) {
      await Promise.all(taken.map((f) => rm(f, { force: true })));
      throw err;
    }
    return new RunLock(taken);
  }

  private async refresh(): Promise<void> {
    const now = new Date();
    await Promise.all(this.files.map((f) => utimes(f, now, now).catch(() => undefined)));
  }

  async release(): Promise<void> {
    this.stop();
    await Promise.all(this.files.map((f) => rm(f, { force: true })));
  }

  releaseSync(): void {
    this.stop();
    for (const f of this.files) rmSync(f, { force: true });
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unregister();
  }
}

async function takeOne(target: string, owner: LockOwner, log: Logger): Promise<void> {
  const lockFile = lockPathOf(target);
  try {
    await mkdir(path.dirname(lockFile), { recursive: true });
  } catch (err) {
    // mkdir -p says EEXIST when a file stands where a folder of the path should be.
    const problem = (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'a part of the path is a file, not a folder' : fsProblem(err);
    throw new UsageError(`Cannot create the output folder ${path.dirname(target)}: ${problem}`, { cause: err, hint: 'choose an output folder you can write to (--out, --manifest)' });
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(lockFile, 'wx');
      try {
        await fh.writeFile(JSON.stringify(owner) + '\n', 'utf8');
      } finally {
        await fh.close();
      }
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UsageError(`Cannot write ${target}: ${fsProblem(err)}`, { cause: err, hint: 'choose an output folder you can write to (--out, --manifest)' });
      }
    }
    const held = await readOwner(lockFile);
    const mtimeMs = await stat(lockFile).then((s) => s.mtimeMs, () => 0);
    const dead = deadReason(held, mtimeMs);
    if (dead === null) {
      throw new UsageError(`${target} is in use by another zakocr run (${describeOwner(held)})`, {
        hint: `wait for it to finish or stop it (kill ${held?.pid ?? '<pid>'}); to run both at once give this one other --out and --manifest paths`,
      });
    }
    log.warn(`taking over the lock on ${target} from the run ${describeOwner(held)}: ${dead}`);
    rmSync(lockFile, { force: true });
  }
  throw new UsageError(`Cannot lock ${target}: another run keeps taking the lock`, { hint: 'stop the other zakocr runs on this output and try again' });
}

