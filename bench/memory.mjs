#!/usr/bin/env node
/**
 * Peak and steady-state memory of `zakocr scan --engine tesseract` over many small images.
 *
 *   node bench/memory.mjs [--count 2000] [--concurrency 2] [--engine tesseract] [--distinct N] [--keep] [-- scan flags…]
 *
 * Generates `count` distinct small label images (two text lines, rendered by fixtures/render.mjs) in a temp dir,
 * runs the built CLI on them (`node bin/zakocr scan <dir> --engine tesseract --concurrency N --out <tmp>.jsonl`)
 * and samples the child's /proc/<pid>/status (VmRSS, VmHWM) every 200 ms. tesseract.js workers are worker
 * threads, so the one process holds every worker's memory. Prints the peak RSS (target < 600 MB) and the RSS when
 * 1% (baseline: engine warm, measured in the same run), 25%, 50%, 75% and 100% of the files were done, as ratios
 * to the baseline: flat memory means the ratios stay near 1 however many files go through.
 * `--engine none --count 20000 --distinct 200` measures the pipeline alone (source, decode, hashing, preprocessing,
 * sinks, manifest) over many more files: `distinct` images are rendered and written cyclically. Flags after `--`
 * go to `zakocr scan` as they are (e.g. `-- --no-barcodes`).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderText } from '../fixtures/render.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dashdash = process.argv.indexOf('--');
const args = dashdash >= 0 ? process.argv.slice(2, dashdash) : process.argv.slice(2);
const PASS = dashdash >= 0 ? process.argv.slice(dashdash + 1) : [];
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const COUNT = Number(opt('count', 2000));
const CONCURRENCY = Number(opt('concurrency', 2));
const KEEP = args.includes('--keep');
const ENGINE = opt('engine', 'tesseract');
const DISTINCT = Math.min(COUNT, Number(opt('distinct', COUNT)));
const TARGET_MB = 600;
const SAMPLE_MS = 200;
const PRODUCTS = ['Basmati Rice', 'Mustard Oil', 'Red Lentils', 'Sugar', 'Lux Soap', 'Fresh Milk', 'Tea Leaves', 'Salt', 'Flour', 'Chili Powder'];

const mb = (kb) => Math.round(kb / 1024);

async function status(pid) {
  try {
    const text = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (k) => Number(text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return null; // exited
  }
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-bench-memory-'));
const inDir = path.join(dir, 'in');
await mkdir(inDir);
const t0 = Date.now();
const rendered = [];
for (let i = 0; i < COUNT; i++) {
  const n = String(i).padStart(5, '0');
  if (i < DISTINCT) {
    const lines = [`${PRODUCTS[i % PRODUCTS.length]} #${n}`, `Tk ${(50 + (i % 900)).toFixed(2)} EXP ${String(1 + (i % 12)).padStart(2, '0')}/2027`];
    rendered.push(await renderText(lines, { fontSize: 22 }));
  }
  await writeFile(path.join(inDir, `label-${n}.png`), rendered[i % DISTINCT]);
}
process.stderr.write(`generated ${COUNT} images in ${((Date.now() - t0) / 1000).toFixed(1)}s under ${inDir}\n`);

const out = path.join(dir, 'r.jsonl');
const cmd = ['scan', inDir, '--engine', ENGINE, '--concurrency', String(CONCURRENCY), '--out', out, ...PASS];
const child = spawn(process.execPath, [path.join(repo, 'bin', 'zakocr'), ...cmd], {
  cwd: dir,
  env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let done = 0;
let tail = '';
let summary = '';
child.stderr.setEncoding('utf8').on('data', (chunk) => {
  const text = tail + chunk;
  const lines = text.split('\n');
  tail = lines.pop();
  for (const l of lines) {
    if (/^(ok|review|failed)\s/.test(l)) done++;
    else if (l.startsWith('zakocr:') || l.startsWith('  ')) summary += l + '\n';
  }
});

const milestones = [0.01, 0.25, 0.5, 0.75, 1].map((f) => ({ f, at: Math.max(1, Math.round(COUNT * f)), rss: null, done: null }));
let peak = 0;
let lastRss = 0;
const samples = [];
const started = Date.now();
const sampler = setInterval(async () => {
  const s = await status(child.pid);
  if (!s) return;
  peak = Math.max(peak, s.hwm, s.rss);
  lastRss = s.rss;
  samples.push({ t: Date.now() - started, done, rss: s.rss });
  for (const m of milestones) if (m.rss === null && done >= m.at) Object.assign(m, { rss: s.rss, done });
}, SAMPLE_MS);
const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
clearInterval(sampler);
const wallS = (Date.now() - started) / 1000;
for (const m of milestones) if (m.rss === null) Object.assign(m, { rss: lastRss, done }); // the last files finished between samples

const records = (await readFile(out, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
const base = milestones[0].rss;
const result = {
  bench: 'memory',
  date: new Date().toISOString().slice(0, 10),
  command: `node bin/zakocr ${cmd.join(' ').replace(dir, '<tmp>').replace(dir, '<tmp>')}`,
  images: COUNT,
  distinct: DISTINCT,
  records,
  exitCode: code,
  wallS: Number(wallS.toFixed(1)),
  imagesPerS: Number((records / wallS).toFixed(2)),
  peakRssMB: mb(peak),
  targetMB: TARGET_MB,
  rssMB: Object.fromEntries(milestones.map((m) => [`${Math.round(m.f * 100)}%`, mb(m.rss)])),
  ratioToBaseline: Object.fromEntries(milestones.map((m) => [`${Math.round(m.f * 100)}%`, Number((m.rss / base).toFixed(2))])),
  loadAvg1m: Number(os.loadavg()[0].toFixed(1)),
  cores: os.availableParallelism?.() ?? os.cpus().length,
};
console.log(`zakocr scan --engine ${ENGINE} --concurrency ${CONCURRENCY}${PASS.length ? ' ' + PASS.join(' ') : ''}: ${records}/${COUNT} records, exit ${code}, ${result.wallS}s (${result.imagesPerS} images/s)`);
console.log(`peak RSS ${result.peakRssMB} MB (target < ${TARGET_MB} MB) → ${result.peakRssMB < TARGET_MB ? 'PASS' : 'FAIL'}`);
console.log('RSS when done:    ' + milestones.map((m) => `${Math.round(m.f * 100)}% ${mb(m.rss)} MB`).join(' · '));
console.log('vs 1% (baseline): ' + milestones.map((m) => `${Math.round(m.f * 100)}% ×${(m.rss / base).toFixed(2)}`).join(' · '));
console.log(summary.trim());
console.log(JSON.stringify(result));
if (KEEP) {
  await writeFile(path.join(dir, 'samples.json'), JSON.stringify(samples));
  console.log(`kept ${dir}`);
} else {
  await rm(dir, { recursive: true, force: true });
}
process.exitCode = records === COUNT && peak / 1024 < TARGET_MB ? 0 : 1;
