import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { lockPathOf, RunLock } from './run-lock.js';

let dir: string;
const warnings: string[] = [];
const log = { ...createLogger({ quiet: true }), warn: (m: string) => void warnings.push(m) };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RunLock', () => {
  it('holds every path until released; a second taker is refused naming pid, host and path, and takes nothing', async () => {
    const a = path.join(dir, 'r.jsonl');
    const m = path.join(dir, '.zakocr-manifest.jsonl');
    const lock = await RunLock.acquire([a, m], log);
    expect(existsSync(lockPathOf(a)) && existsSync(lockPathOf(m))).toBe(true);
    const other = path.join(dir, 'other.csv');
    await expect(RunLock.acquire([other, a], log)).rejects.toThrow(`${a} is in use by another zakocr run (pid ${process.pid} on ${os.hostname()}, started `);
    expect(existsSync(lockPathOf(other))).toBe(false); // all or none
    await lock.release();
    expect(existsSync(lockPathOf(a))).toBe(false);
    await (await RunLock.acquire([a], log)).release();
  });

  it('takes over the lock of a process that is gone, with a warning', async () => {
    const a = path.join(dir, 'dead.jsonl');
    const pid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(lockPathOf(a), JSON.stringify({ pid, host: os.hostname(), startedAt: 'x', command: 'zakocr scan' }));
    const lock = await RunLock.acquire([a], log);
    expect(warnings.at(-1)).toContain(`taking over the lock on ${a} from the run pid ${pid} on ${os.hostname()}`);
    expect(warnings.at(-1)).toContain('no longer running');
    lock.releaseSync();
    expect(existsSync(lockPathOf(a))).toBe(false);
  });

  it('respects a fresh lock from another host, takes over a stale one', async () => {
    const a = path.join(dir, 'remote.jsonl');
    writeFileSync(lockPathOf(a), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x', command: 'zakocr scan' }));
    await expect(RunLock.acquire([a], log)).rejects.toThrow('pid 1 on elsewhere');
    const old = new Date(Date.now() - 10 * 60_000);
    (await import('node:fs')).utimesSync(lockPathOf(a), old, old);
    const lock = await RunLock.acquire([a], log);
    expect(warnings.at(-1)).toContain('was not refreshed for');
    await lock.release();
  });
});
