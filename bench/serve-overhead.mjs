#!/usr/bin/env node
/**
 * What the HTTP service costs on top of the analyzer (issue 16), measured in CPU time so a loaded machine does not
 * blur it: the same label analysed N times by `createAnalyzer(...).analyse` alone, then N times through
 * `POST /v1/scan` of `startServe` in this process (the client runs in a child process, so its CPU is not counted).
 * Engine `none`, barcodes and preprocessing off: the analysis is read + decode + extract, the smallest real one,
 * so the difference is the service (HTTP, auth, rate limit, admission, spool file, response).
 *
 *   node bench/serve-overhead.mjs [--n 400]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderText } from '../fixtures/render.mjs';
import { loadConfig } from '../dist/config/load.js';
import { createAnalyzer } from '../dist/pipeline/analyzer.js';
import { startServe } from '../dist/serve/server.js';
import { optionReader } from './lib.mjs';

const opt = optionReader(process.argv.slice(2));
const N = Number(opt('n', '400'));
const KEY = 'overhead-key-0123456789';
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const cpuMs = (u) => (u.user + u.system) / 1000;

const dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-overhead-'));
const file = path.join(dir, 'label.png');
await writeFile(file, await renderText(['Basmati Rice 5kg', 'Tk 450.00  No 17'], { fontSize: 22 }));
const { config } = await loadConfig({
  env: {},
  cwd: '/',
  flags: { engine: 'none', 'barcode.enabled': false, 'preprocess.enabled': false, 'preprocess.quality': false, concurrency: 1, 'serve.port': 0, 'serve.apiKeys': [KEY], 'serve.rateLimitMax': 10_000_000 },
});

async function alone() {
  const analyzer = await createAnalyzer(config, { log: quiet });
  for (let i = 0; i < 20; i++) await analyzer.analyse({ path: 'label.png', absPath: file, size: -1 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await analyzer.analyse({ path: 'label.png', absPath: file, size: -1 });
  const r = { wallMs: (performance.now() - t0) / N, cpuMs: cpuMs(process.cpuUsage(c0)) / N };
  await analyzer.dispose();
  return r;
}

/** The client: N sequential keep-alive POSTs from a child process; resolves with its wall time. */
function client(url, n) {
  const code = `
    const http = require('node:http'); const fs = require('node:fs');
    const body = fs.readFileSync(${JSON.stringify(file)}); const agent = new http.Agent({ keepAlive: true });
    const one = () => new Promise((res, rej) => { const r = http.request(${JSON.stringify(url)} + '/v1/scan', { method: 'POST', agent,
      headers: { authorization: 'Bearer ${KEY}', 'content-type': 'image/png', 'content-length': body.length } },
      (resp) => { if (resp.statusCode !== 200) rej(new Error('status ' + resp.statusCode)); resp.resume(); resp.on('end', res); }); r.on('error', rej); r.end(body); });
    (async () => { for (let i = 0; i < 20; i++) await one(); process.stdout.write('warm\\n');
      await new Promise((r) => process.stdin.once('data', r)); const t = performance.now();
      for (let i = 0; i < ${n}; i++) await one(); process.stdout.write(String(performance.now() - t) + '\\n'); process.exit(0); })();`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = [];
  let onLine = () => undefined;
  child.stdout.setEncoding('utf8').on('data', (d) => {
    lines.push(...d.split('\n').filter(Boolean));
    onLine();
  });
  const next = (k) => new Promise((resolve) => {
    const check = () => lines.length >= k && resolve(lines[k - 1]);
    onLine = check;
    check();
  });
  return { warm: () => next(1), go: async () => { child.stdin.write('go\n'); return Number(await next(2)); } };
}

async function served() {
  const srv = await startServe({ config, log: quiet, warmUp: false });
  const c = client(srv.url, N);
  await c.warm();
  const c0 = process.cpuUsage();
  const wall = await c.go();
  const r = { wallMs: wall / N, cpuMs: cpuMs(process.cpuUsage(c0)) / N };
  await srv.close();
  return r;
}

const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(' ');
const a = await alone();
const s = await served();
const b = await alone(); // again, so drift of the machine's load shows
await rm(dir, { recursive: true, force: true });
const f = (x) => x.toFixed(2);
console.log(`${new Date().toISOString()} · N=${N} · load average before ${loadBefore}, after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`| run | wall ms/request | CPU ms/request (server process) |\n| --- | ---: | ---: |`);
console.log(`| analyzer alone | ${f(a.wallMs)} | ${f(a.cpuMs)} |\n| POST /v1/scan | ${f(s.wallMs)} | ${f(s.cpuMs)} |\n| analyzer alone, again | ${f(b.wallMs)} | ${f(b.cpuMs)} |`);
console.log(`service overhead: ${f(s.cpuMs - (a.cpuMs + b.cpuMs) / 2)} CPU ms and ${f(s.wallMs - (a.wallMs + b.wallMs) / 2)} wall ms per request`);
