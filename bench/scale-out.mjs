#!/usr/bin/env node
// Scale-out on this machine: one batch of product labels through the BullMQ queue with 1, 2 and 3
// `zakocr worker` processes (-c 1 each, engine auto, PostgreSQL sink, --until-empty), beside `zakocr scan`
// of the same files in the same run (the single-process baseline), plus the per-job cost of the queue:
//   queue-only: a no-op BullMQ worker with zakocr's lock settings (push + fetch + lock + ack per job);
//   end-to-end: `zakocr worker` vs `zakocr scan` per file with --engine none (decode + sinks, no OCR), each as
//               (wall(N) − wall(1)) / (N − 1) so process start-up and engine loading cancel out.
//
//   npm run build && node bench/scale-out.mjs [--labels 60] [--workers 1,2,3] [--noop 1000] [--light 120]
//
// Needs Redis (127.0.0.1:6379, db 9 is used and cleaned) and PostgreSQL (throw-away databases).
// Prints a Markdown table for bench/RESULTS.md "## scale-out" and the load average next to it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { defaults } from '../dist/config/defaults.js';
import { connectionFor, openQueue } from '../dist/queue/connection.js';
import { fileJobOptions } from '../dist/queue/push.js';
import { parseRedisUrl } from '../dist/redis/url.js';
import { renderText } from '../fixtures/render.mjs';
import { run, sh, timed } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    labels: { type: 'string', default: '60' },
    workers: { type: 'string', default: '1,2,3' },
    noop: { type: 'string', default: '1000' },
    light: { type: 'string', default: '120' },
    /** ocr.threads for the worker runs (ZAKOCR_OCR_THREADS); default: zakocr's (cores / concurrency). */
    threads: { type: 'string' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379/9' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
  },
});
const LABELS = Number(args.labels);
const WORKERS = args.workers.split(',').map(Number);
const ZAKOCR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'bin', 'zakocr');
const env = { CI: 'true', NO_COLOR: '1' };
const workerEnv = args.threads ? `ZAKOCR_OCR_THREADS=${Number(args.threads)} ` : '';
const settings = (name) => ({ ...defaults.queue, redis: args.redis, name });
const NAMES = ['Basmati Rice', 'Mustard Oil', 'Red Lentils', 'Sugar', 'Lux Soap', 'Fresh Milk', 'Tea Leaves', 'Salt', 'Atta Flour', 'Chili Powder'];

/** Two-line labels like the scale-out acceptance check's (name + weight, taka price + number). */
async function makeLabels(dir, n, start) {
  mkdirSync(dir, { recursive: true });
  for (let i = start; i < start + n; i++) {
    const png = await renderText([`${NAMES[i % NAMES.length]} ${1 + (i % 5)}kg`, `Tk ${50 + ((i * 7) % 900)}.${String(i % 100).padStart(2, '0')}  No ${i}`], { fontSize: 28 });
    writeFileSync(path.join(dir, `label-${String(i).padStart(5, '0')}.png`), png);
  }
}

const zakocr = (argv) => run(process.execPath, [ZAKOCR, ...argv], env);
const cmdline = (argv) => [process.execPath, ZAKOCR, ...argv].map(sh).join(' ');

/** Runs the command lines at once under bash's `time`: wall and CPU seconds of the whole process tree. */
async function timedAll(commands) {
  const r = await timed(commands.map((c) => `( ${c} ) >/dev/null 2>>"$ZK_BENCH_ERR" || echo "@@FAIL $?" >&2`).join(' & ') + ' & wait', env);
  if (r.stderr.includes('@@FAIL')) throw new Error(`a run failed:\n${r.stderr.slice(-600)}`);
  return { ms: r.wallS * 1000, cpuS: r.cpuS };
}

async function withDb(work) {
  const name = `zk_bench_so_${process.pid}_${Date.now()}`;
  await run('createdb', ['-h', '127.0.0.1', '-U', 'postgres', name]);
  try {
    return await work(`${args.pg}/${name}`);
  } finally {
    await run('dropdb', ['-h', '127.0.0.1', '-U', 'postgres', '--if-exists', name]);
  }
}

/** Pushes `dir`, runs `n` workers until the queue is empty; wall time from the workers' start to the last exit. */
async function workersRun(dir, n, extra) {
  const name = `zk-bench-${process.pid}-${Date.now()}`;
  const push = await zakocr(['queue', 'push', dir, '--redis', args.redis, '--queue', name]);
  if (push.code !== 0) throw new Error(`push: ${push.stderr}`);
  try {
    return await withDb(async (pg) => {
      const t = await timedAll(Array.from({ length: n }, (_, k) => workerEnv +
        cmdline(['worker', '--redis', args.redis, '--queue', name, '--pg', pg, '--migrate', '--until-empty', '-c', '1', '-q', '--worker-id', `b${k}`, ...extra])));
      const rows = await run('psql', [pg, '-Atc', 'select count(*) from ocr_processing_jobs']);
      return { ...t, rows: Number(rows.stdout.trim()) };
    });
  } finally {
    const { queue, close } = await openQueue(settings(name));
    await queue.obliterate({ force: true });
    await close();
  }
}

async function scanRun(dir, extra) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'zk-so-scan-'));
  try {
    // exit 1 (a file needs review with --strict / failed) is a result, not a broken run
    return await timedAll([`${cmdline(['scan', dir, '--out', path.join(out, 'r.jsonl'), '-q', ...extra])}; test $? -le 1`]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A no-op BullMQ worker with zakocr's lock settings: what the queue itself costs per job. */
async function queueOnly(jobs, concurrency) {
  const name = `zk-bench-noop-${process.pid}-${Date.now()}-${concurrency}`;
  const s = settings(name);
  const target = parseRedisUrl(s.redis, 'queue.redis');
  const queue = new Queue(name, { connection: connectionFor(target, 'bench') });
  const opts = fileJobOptions(s);
  const t0 = performance.now();
  for (let i = 0; i < jobs; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({ name: 'file', data: { file: `f${i + k}`, path: `/x/f${i + k}`, size: 1, mtimeMs: 0, sha256: null, pushedAt: '' }, opts: { ...opts, jobId: `fbench${i + k}` } })));
  }
  const pushMs = performance.now() - t0;
  let done = 0;
  const t1 = performance.now();
  await new Promise((resolve) => {
    const w = new Worker(name, async () => ({ ok: true }), { connection: connectionFor(target, 'bench-w'), concurrency, lockDuration: s.lockMs, stalledInterval: s.stalledIntervalMs, maxStalledCount: s.maxStalled });
    w.on('completed', () => {
      if (++done === jobs) void w.close().then(resolve);
    });
  });
  const workMs = performance.now() - t1;
  await queue.obliterate({ force: true });
  await queue.close();
  return { pushPerJobMs: pushMs / jobs, perJobMs: workMs / jobs };
}

const fmt = (x, d = 2) => x.toFixed(d);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'zk-bench-so-'));
env.ZK_BENCH_ERR = path.join(tmp, 'stderr.log');
try {
  const labels = path.join(tmp, 'labels');
  await makeLabels(labels, LABELS, 500);
  const load0 = os.loadavg();
  console.error(`# ${LABELS} labels · load average ${load0.map((l) => l.toFixed(2)).join(' ')} · ${os.availableParallelism()} cores`);

  const rows = [];
  const scan1 = await scanRun(labels, ['-c', '1']);
  rows.push({ what: 'zakocr scan -c 1 (baseline)', ...scan1 });
  rows.push({ what: `zakocr scan -c ${defaults.concurrency} (default)`, ...(await scanRun(labels, [])) });
  for (const n of WORKERS) {
    const r = await workersRun(labels, n, []);
    if (r.rows !== LABELS) throw new Error(`${n} workers: ${r.rows} rows for ${LABELS} files`);
    rows.push({ what: `${n} × zakocr worker -c 1${args.threads ? `, ocr.threads ${args.threads}` : ''}`, ...r });
  }

  const load1 = os.loadavg();
  console.log(`| run | wall s | labels/s | vs scan -c 1 | CPU s (all processes) | CPU s per label |\n| --- | ---: | ---: | ---: | ---: | ---: |`);
  for (const r of rows) console.log(`| ${r.what} | ${fmt(r.ms / 1000, 1)} | ${fmt(LABELS / (r.ms / 1000))} | ${fmt(scan1.ms / r.ms)}× | ${fmt(r.cpuS, 1)} | ${fmt(r.cpuS / LABELS)} |`);
  console.log(`\nload average before ${load0.map((l) => l.toFixed(2)).join(' ')}, after ${load1.map((l) => l.toFixed(2)).join(' ')}`);

  if (Number(args.light) >= 2) {
    const lightDir = path.join(tmp, 'light');
    const one = path.join(tmp, 'one');
    await makeLabels(lightDir, Number(args.light), 10_000);
    await makeLabels(one, 1, 10_000);
    const light = ['--engine', 'none', '--no-barcodes', '--no-preprocess'];
    const perFile = (many, single) => ({ ms: (many.ms - single.ms) / (Number(args.light) - 1), cpuMs: (1000 * (many.cpuS - single.cpuS)) / (Number(args.light) - 1) });
    const scanPerFile = perFile(await scanRun(lightDir, [...light, '-c', '1']), await scanRun(one, [...light, '-c', '1']));
    const workerPerFile = perFile(await workersRun(lightDir, 1, light), await workersRun(one, 1, light));
    const noop1 = await queueOnly(Number(args.noop), 1);
    const noop8 = await queueOnly(Number(args.noop), 8);
    console.log(`\n| per-job cost | wall ms | CPU ms |\n| --- | ---: | ---: |`);
    console.log(`| queue only: push (addBulk of 500) | ${fmt(noop1.pushPerJobMs, 3)} | |`);
    console.log(`| queue only: fetch + lock + ack, concurrency 1 | ${fmt(noop1.perJobMs, 3)} | |`);
    console.log(`| queue only: fetch + lock + ack, concurrency 8 | ${fmt(noop8.perJobMs, 3)} | |`);
    console.log(`| --engine none per file: zakocr scan -c 1 (JSONL) | ${fmt(scanPerFile.ms)} | ${fmt(scanPerFile.cpuMs)} |`);
    console.log(`| --engine none per file: zakocr worker -c 1 (PostgreSQL upsert per job) | ${fmt(workerPerFile.ms)} | ${fmt(workerPerFile.cpuMs)} |`);
    console.log(`\nload average after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
