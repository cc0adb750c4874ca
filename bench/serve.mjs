#!/usr/bin/env node
/**
 * `zakocr serve` under load (issue 16), every figure beside a baseline from the same run:
 *   1. the CLI on the same images (`zakocr scan <dir> -c 2`): per-file timingsMs.total p50/p95 and files/s;
 *   2. the service (real engine, warm): autocannon at 1, 2, 4, 8 clients → req/s and p50/p95/p99 latency, and the
 *      service's own cost per request = client latency − (queue + analyse) from its Server-Timing header;
 *   3. memory over a long run: RSS and heap from /metrics every --soak-step requests (`--soak-engine none` by default,
 *      so 10,000 requests finish in minutes; `--soak-engine auto` soaks the real engine).
 *
 *   node bench/serve.mjs [--labels 40] [--receipts 6] [--per-level 3] [--clients 1,2,4,8] [--soak 10000]
 *                        [--soak-step 1000] [--soak-engine none] [--skip labels,receipts,soak] [--json out.json]
 *
 * Needs `npm run build`. Prints Markdown for bench/RESULTS.md (`## serve`) and the load average before/after.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { renderText } from '../fixtures/render.mjs';
import { optionReader, sh, timed } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opt = optionReader(process.argv.slice(2));
const nLabels = Number(opt('labels', '40'));
const nReceipts = Number(opt('receipts', '6'));
const perLevel = Number(opt('per-level', '3'));
const clientLevels = opt('clients', '1,2,4,8').split(',').map(Number);
const soakTotal = Number(opt('soak', '10000'));
const soakStep = Number(opt('soak-step', '1000'));
const soakEngine = opt('soak-engine', 'none');
const skip = new Set(opt('skip', '').split(',').filter(Boolean));
const jsonOut = opt('json', null);
const KEY = 'bench-key-0123456789';
const bin = path.join(repo, 'bin', 'zakocr');
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] : NaN;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Two-line labels like the acceptance check's (names, weights, taka prices). */
async function makeLabels(dir, n) {
  const names = ['Basmati Rice', 'Mustard Oil', 'Red Lentils', 'Sugar', 'Lux Soap', 'Fresh Milk', 'Tea Leaves', 'Salt', 'Atta Flour', 'Chili Powder'];
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const lines = [`${names[i % names.length]} ${1 + (i % 5)}kg`, `Tk ${50 + ((i * 7) % 900)}.${String(i % 100).padStart(2, '0')}  No ${i}`];
    await writeFile(path.join(dir, `label-${String(i).padStart(5, '0')}.png`), await renderText(lines, { fontSize: 22 }));
  }
  return readdirSync(dir).map((f) => path.join(dir, f));
}

async function copyReceipts(dir, n) {
  const src = path.resolve(repo, '../shared/datasets/sroie-receipts/img');
  await mkdir(dir, { recursive: true });
  const files = readdirSync(src).sort().slice(0, n);
  for (const f of files) await writeFile(path.join(dir, f), readFileSync(path.join(src, f)));
  return files.map((f) => path.join(dir, f));
}

/** The CLI baseline: one `zakocr scan` over the folder; per-file totals from the records. */
async function cliBaseline(dir, tmp) {
  const out = path.join(tmp, `cli-${path.basename(dir)}.jsonl`);
  const t = await timed(`node ${sh(bin)} scan ${sh(dir)} --out ${sh(out)} -c 2 -q`, { CI: 'true' });
  const records = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const totals = records.map((r) => r.timingsMs.total);
  return { files: records.length, wallS: t.wallS, cpuS: t.cpuS, filesPerS: records.length / t.wallS, p50: pct(totals, 0.5), p95: pct(totals, 0.95) };
}

/** Starts `zakocr serve` and resolves with its URL once /readyz answers 200. */
async function startServer(engine, extraArgs = []) {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--engine', engine, '-c', '2', '--max-waiting', '64', ...extraArgs], {
    env: { ...process.env, CI: 'true', ZAKOCR_API_KEYS: KEY, ZAKOCR_SERVE_RATE_LIMIT_MAX: '10000000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const started = Date.now();
  const url = await new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr.slice(-400)}`)));
  });
  return { url, child, startS: (Date.now() - started) / 1000, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

/** One autocannon run of `amount` requests over `files` with `connections` clients. */
async function cannon(url, files, connections, amount) {
  const timing = { queue: [], analyse: [], latency: [], statuses: {} };
  const requests = files.map((f) => ({
    method: 'POST',
    path: `/v1/scan?filename=${encodeURIComponent(path.basename(f))}`,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': f.endsWith('.png') ? 'image/png' : 'image/jpeg' },
    body: readFileSync(f),
    // Each connection sends its next request when the previous answer is in (no pipelining), so the time from
    // building a request to its answer is that request's latency.
    setupRequest: (req, ctx) => {
      ctx.sentAt = performance.now();
      return req;
    },
    onResponse: (status, _body, ctx, headers) => {
      if (ctx.sentAt !== undefined) timing.latency.push(performance.now() - ctx.sentAt);
      timing.statuses[status] = (timing.statuses[status] ?? 0) + 1;
      const st = headers['server-timing'] ?? '';
      const q = /queue;dur=([\d.]+)/.exec(st);
      const a = /analyse;dur=([\d.]+)/.exec(st);
      if (q) timing.queue.push(Number(q[1]));
      if (a) timing.analyse.push(Number(a[1]));
    },
  }));
  const r = await autocannon({ url, connections, amount, requests, timeout: 600 });
  const ok = timing.statuses[200] ?? 0;
  return {
    clients: connections,
    requests: amount,
    ok,
    reqPerS: ok / (r.duration || 1),
    p50: Math.round(pct(timing.latency, 0.5)),
    p95: Math.round(pct(timing.latency, 0.95)),
    p99: Math.round(pct(timing.latency, 0.99)),
    meanMs: mean(timing.latency),
    analyseMs: mean(timing.analyse),
    queueMs: mean(timing.queue),
    overheadMs: mean(timing.latency) - mean(timing.analyse) - mean(timing.queue),
    statuses: timing.statuses,
  };
}

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  const m = new RegExp(`^${name} ([\\d.e+]+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function workload(name, files, tmp, results) {
  const dir = path.dirname(files[0]);
  console.error(`[${name}] CLI baseline on ${files.length} files (load ${load()})`);
  const cli = await cliBaseline(dir, tmp);
  console.error(`[${name}] serve (load ${load()})`);
  const srv = await startServer('auto');
  const levels = [];
  try {
    for (const c of clientLevels) {
      levels.push(await cannon(srv.url, files, c, Math.max(c * perLevel, c)));
      console.error(`  ${c} clients: ${levels.at(-1).reqPerS.toFixed(2)} req/s (load ${load()})`);
    }
  } finally {
    await srv.stop();
  }
  results[name] = { cli, startS: srv.startS, levels };
}

async function soak(files, results) {
  console.error(`[soak] ${soakTotal} requests, engine ${soakEngine} (load ${load()})`);
  const srv = await startServer(soakEngine);
  const samples = [];
  try {
    for (let done = 0; done < soakTotal; done += soakStep) {
      const r = await cannon(srv.url, files, 4, Math.min(soakStep, soakTotal - done));
      samples.push({ after: done + r.requests, ok: r.ok, reqPerS: r.reqPerS, rssMiB: (await metric(srv.url, 'zakocr_process_resident_memory_bytes')) / 2 ** 20, heapMiB: (await metric(srv.url, 'zakocr_nodejs_heap_size_used_bytes')) / 2 ** 20 });
      console.error(`  ${samples.at(-1).after}: rss ${samples.at(-1).rssMiB.toFixed(1)} MiB, heap ${samples.at(-1).heapMiB.toFixed(1)} MiB`);
    }
  } finally {
    await srv.stop();
  }
  results.soak = { engine: soakEngine, samples };
}

function markdown(results) {
  const lines = [];
  for (const name of ['labels', 'receipts']) {
    const w = results[name];
    if (!w) continue;
    lines.push(`**${name}** — CLI \`scan -c 2\` on the same ${w.cli.files} files: ${w.cli.filesPerS.toFixed(2)} files/s over ${w.cli.wallS.toFixed(1)} s wall (start-up included), per-file total p50 ${w.cli.p50} ms, p95 ${w.cli.p95} ms. Service start-up (engines loaded and warmed) ${w.startS.toFixed(1)} s.`, '');
    lines.push('| clients | requests | 200 | req/s | req/min | p50 ms | p95 ms | p99 ms | mean ms | analyse ms (server) | queue ms | service overhead ms |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of w.levels) {
      lines.push(`| ${l.clients} | ${l.requests} | ${l.ok} | ${l.reqPerS.toFixed(2)} | ${(l.reqPerS * 60).toFixed(0)} | ${l.p50} | ${l.p95} | ${l.p99} | ${l.meanMs.toFixed(0)} | ${l.analyseMs.toFixed(0)} | ${l.queueMs.toFixed(0)} | ${l.overheadMs.toFixed(1)} |`);
    }
    lines.push('');
  }
  if (results.soak) {
    const s = results.soak.samples;
    lines.push(`**memory over ${s.at(-1)?.after ?? 0} requests** (engine \`${results.soak.engine}\`, 4 clients, labels): RSS ${s.map((x) => x.rssMiB.toFixed(0)).join(' → ')} MiB; heap used ${s.map((x) => x.heapMiB.toFixed(0)).join(' → ')} MiB; ${s.reduce((a, x) => a + x.ok, 0)} × 200, ${mean(s.map((x) => x.reqPerS)).toFixed(1)} req/s.`);
  }
  return lines.join('\n');
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'zakocr-bench-serve-'));
const results = { date: new Date().toISOString(), loadBefore: load(), cores: os.availableParallelism() };
try {
  const labels = await makeLabels(path.join(tmp, 'labels'), nLabels);
  if (!skip.has('labels')) await workload('labels', labels, tmp, results);
  if (!skip.has('receipts') && nReceipts > 0) await workload('receipts', await copyReceipts(path.join(tmp, 'receipts'), nReceipts), tmp, results);
  if (!skip.has('soak') && soakTotal > 0) await soak(labels, results);
} finally {
  results.loadAfter = load();
  await rm(tmp, { recursive: true, force: true });
}
if (jsonOut) await writeFile(jsonOut, JSON.stringify(results, null, 2));
console.log(`${results.date} · ${results.cores} cores · load average before ${results.loadBefore}, after ${results.loadAfter}\n`);
console.log(markdown(results));
