#!/usr/bin/env node
/**
 * Lines per second of `zakocr export` on ≥ 5,000 real line boxes, against a competent hand-written
 * script measured in the same run.
 *
 *   node bench/export.mjs [--format tesstrain|paddle|hf] [--copies 2] [--keep]
 *
 * Data: the 48 SROIE receipts of ../shared/datasets/sroie-receipts (2,517 box lines), written `copies` times
 * into a temp dataset (box/ + img/): copy 1 as is, copy k rescaled by 1 + 0.25·(k-1) with its boxes scaled
 * the same way, so every copy is a different picture (nothing is dropped as a duplicate) — 5,034 lines
 * with the default 2 copies. Preparation is not timed.
 *
 * Measured, alternating, `rounds` times each (default 2; the median is reported):
 * - zakocr CLI: `node bin/zakocr export --from <tmp> --format F --out <tmp>`, spawn to exit (start-up
 *   included), default options (margin, de-duplication, hash split, manifest, worker threads);
 * - zakocr in-process: `runExport` from dist/ with the CLI's options, for its CPU seconds (main thread +
 *   workers + libuv/libvips threads, `process.cpuUsage`), which shared machines distort less than wall time;
 * - baseline: what a data team would script with sharp: decode each receipt once, then per line
 *   `sharp(raw).extract(box + margin).png().toFile()` plus the label file, 4 images in flight. No
 *   de-duplication, no split, no manifest, axis-aligned boxes only: less work than zakocr does.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { runExport } from '../dist/export/run.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SROIE = path.resolve(repo, '../shared/datasets/sroie-receipts');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const FORMAT = opt('format', 'tesstrain');
const COPIES = Number(opt('copies', 2));
const KEEP = args.includes('--keep');
const ROUNDS = Number(opt('rounds', 2));
const MARGIN = 0.12;

async function prepare(dir) {
  await mkdir(path.join(dir, 'box'), { recursive: true });
  await mkdir(path.join(dir, 'img'), { recursive: true });
  let lines = 0;
  for (const name of (await readdir(path.join(SROIE, 'box'))).sort()) {
    const stem = name.replace(/\.csv$/, '');
    const rows = (await readFile(path.join(SROIE, 'box', name), 'utf8')).split(/\r?\n/).filter((l) => l.trim());
    const img = path.join(SROIE, 'img', `${stem}.jpg`);
    for (let k = 0; k < COPIES; k++) {
      const scale = 1 + 0.25 * k;
      const out = `${stem}_c${k}`;
      if (k === 0) await writeFile(path.join(dir, 'img', `${out}.jpg`), await readFile(img));
      else {
        const meta = await sharp(img).metadata();
        await sharp(img).resize(Math.round(meta.width * scale)).jpeg({ quality: 92 }).toFile(path.join(dir, 'img', `${out}.jpg`));
      }
      const scaled = rows.map((r) => {
        const p = r.split(',');
        return [...p.slice(0, 8).map((v) => Math.round(Number(v) * scale)), p.slice(8).join(',')].join(',');
      });
      await writeFile(path.join(dir, 'box', `${out}.csv`), scaled.join('\n') + '\n');
      lines += rows.length;
    }
  }
  return lines;
}

function runCli(cliArgs) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(repo, 'bin', 'zakocr'), ...cliArgs], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, stderr }) : reject(new Error(`zakocr exited ${code}: ${stderr}`))));
  });
}

async function baseline(dataDir, out) {
  const t0 = performance.now();
  await mkdir(out, { recursive: true });
  let n = 0;
  for (const name of (await readdir(path.join(dataDir, 'box'))).sort()) {
    const stem = name.replace(/\.csv$/, '');
    const { data, info } = await sharp(path.join(dataDir, 'img', `${stem}.jpg`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rows = (await readFile(path.join(dataDir, 'box', name), 'utf8')).split('\n').filter((l) => l.trim());
    const jobs = [];
    for (const [i, r] of rows.entries()) {
      const p = r.split(',');
      const [x1, y1, , , x3, y3] = p.slice(0, 8).map(Number);
      const m = Math.max(2, Math.round(MARGIN * (y3 - y1)));
      const left = Math.max(0, x1 - m);
      const top = Math.max(0, y1 - m);
      const width = Math.min(info.width, x3 + m) - left;
      const height = Math.min(info.height, y3 + m) - top;
      if (width < 1 || height < 1) continue;
      const base = path.join(out, `${stem}_${i}`);
      jobs.push(async () => {
        await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).extract({ left, top, width, height }).png().toFile(`${base}.png`);
        await writeFile(`${base}.gt.txt`, `${p.slice(8).join(',').trim()}\n`);
        n++;
      });
    }
    for (let i = 0; i < jobs.length; i += 4) await Promise.all(jobs.slice(i, i + 4).map((j) => j()));
  }
  return { ms: performance.now() - t0, n };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const inProcessOptions = (data, out) => ({
  from: data, format: FORMAT, out, force: true, ratios: { train: 0.8, val: 0.1, test: 0.1 }, splitBy: 'line', seed: 'zakocr',
  margin: MARGIN, dedup: true, nearDupCorrelation: 0.98,
  filters: { minConfidence: 0.9, maxConfidence: 1, docTypes: null, engines: null, scripts: null, redact: false },
  concurrency: os.availableParallelism?.() ?? os.cpus().length, threads: os.availableParallelism?.() ?? os.cpus().length,
  limit: 0, limits: { maxBytes: 256 * 1024 * 1024, maxPixels: 120_000_000, maxPages: 200, pdfDpi: 200 },
});

const tmp = await mkdtemp(path.join(os.tmpdir(), 'zakocr-bench-export-'));
try {
  const data = path.join(tmp, 'data');
  const lines = await prepare(data);
  const runs = { cli: [], inproc: [], inprocCpu: [], base: [], baseCpu: [] };
  let manifest;
  let baseN = 0;
  for (let r = 0; r < ROUNDS; r++) {
    await rm(path.join(tmp, 'baseline'), { recursive: true, force: true });
    let c = process.cpuUsage();
    const base = await baseline(data, path.join(tmp, 'baseline'));
    let u = process.cpuUsage(c);
    runs.base.push(base.ms / 1000);
    runs.baseCpu.push((u.user + u.system) / 1e6);
    baseN = base.n;

    await rm(path.join(tmp, 'out'), { recursive: true, force: true });
    const cli = await runCli(['export', '--from', data, '--format', FORMAT, '--out', path.join(tmp, 'out')]);
    runs.cli.push(cli.ms / 1000);
    manifest = JSON.parse(await readFile(path.join(tmp, 'out', 'manifest.json'), 'utf8'));

    await rm(path.join(tmp, 'inproc'), { recursive: true, force: true });
    c = process.cpuUsage();
    const t0 = performance.now();
    await runExport(inProcessOptions(data, path.join(tmp, 'inproc')), quiet);
    u = process.cpuUsage(c);
    runs.inproc.push((performance.now() - t0) / 1000);
    runs.inprocCpu.push((u.user + u.system) / 1e6);
  }
  const rate = (n, s) => +(n / s).toFixed(0);
  const cliS = median(runs.cli);
  const baseS = median(runs.base);
  const result = {
    date: new Date().toISOString().slice(0, 10),
    format: FORMAT,
    lines,
    exported: manifest.counts.exported,
    skipped: manifest.counts.skipped,
    rounds: ROUNDS,
    zakocrCli: { seconds: +cliS.toFixed(2), linesPerSecond: rate(lines, cliS), all: runs.cli.map((x) => +x.toFixed(2)) },
    zakocrInProcess: { seconds: +median(runs.inproc).toFixed(2), cpuSeconds: +median(runs.inprocCpu).toFixed(2), linesPerCpuSecond: rate(lines, median(runs.inprocCpu)) },
    baseline: { seconds: +baseS.toFixed(2), linesPerSecond: rate(baseN, baseS), cpuSeconds: +median(runs.baseCpu).toFixed(2), linesPerCpuSecond: rate(baseN, median(runs.baseCpu)), all: runs.base.map((x) => +x.toFixed(2)) },
    ratioWall: +(rate(lines, cliS) / rate(baseN, baseS)).toFixed(2),
    ratioCpu: +(rate(lines, median(runs.inprocCpu)) / rate(baseN, median(runs.baseCpu))).toFixed(2),
    target: { linesPerSecond: 200, met: lines / cliS >= 200 },
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    loadavg: os.loadavg().map((l) => +l.toFixed(1)),
  };
  console.log(JSON.stringify(result, null, 1));
} finally {
  if (!KEEP) await rm(tmp, { recursive: true, force: true });
  else console.error(`kept ${tmp}`);
}
