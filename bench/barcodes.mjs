#!/usr/bin/env node
/**
 * Barcode benchmark (issue 5): zakocr vs zbarimg on the zxing blackbox photos, one script, one run.
 *
 *   node bench/barcodes.mjs [--dataset DIR] [--json out.json] [--verbose] [--skip-cli]
 *
 * Needs `npm run build` and, for the baseline, `zbarimg` (Debian zbar-tools; benchmark-only, never used by
 * the product). Prints, per format and overall (the blurry ean13-5 / upca-6 folders reported apart, as
 * zxing's own tests expect no decode there):
 *
 *   zbarimg        `zbarimg --nodbus -q --raw -Supca.enable <image>`, one process per image, 2 at a time
 *   zakocr scan    `node bin/zakocr scan <dataset> --barcodes-only --concurrency 2` (the product, end to end)
 *   decoders       in-process, same grey pages: one raw call each to zxing-wasm (zxing-cpp) and @zxing/library
 *                  (their own try-harder on, no retries, no vote); zakocr's reader with its first pass only
 *                  (the vote drops weak single reads) and complete — CPU ms per image on this thread
 *
 * A decode counts as the acceptance check counts it: the expected text (trailing line feeds dropped), a UPC-E
 * also in its UPC-A/EAN-13 spelling, a UPC-A also with a leading 0. Every other decoded text is an "other
 * decode" (a misread, or a second real code the label does not list — the verbose listing says which).
 * Wall-clock figures depend on what else runs on the machine; CPU seconds are printed beside them.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const flag = (name) => args.includes(name);
const ds = path.resolve(opt('--dataset') ?? path.join(root, '..', 'shared', 'datasets', 'zxing-barcodes'));
const verbose = flag('--verbose');
const BLURRY = new Set(['ean13-5', 'upca-6']);
const PROCS = 2;

if (!fs.existsSync(path.join(root, 'dist', 'barcode', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const sharp = (await import('sharp')).default;
const { createInProcessReader } = await import(path.join(root, 'dist', 'barcode', 'index.js'));
const { ZxingWasmDecoder } = await import(path.join(root, 'dist', 'barcode', 'zxing-wasm.js'));
const { ZxingJsDecoder } = await import(path.join(root, 'dist', 'barcode', 'zxing-js.js'));
const { toGray } = await import(path.join(root, 'dist', 'core', 'image.js'));
const { defaults } = await import(path.join(root, 'dist', 'config', 'defaults.js'));

const items = fs.readFileSync(path.join(ds, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const folderOf = (it) => it.image.split('/')[0];

// ---------- scoring (the acceptance check's same_code, ported) ----------
function upceToUpca(e) {
  const [ns, d, chk] = [e[0], e.slice(1, 7), e[7]];
  const last = d[5];
  let m;
  if ('012'.includes(last)) m = d.slice(0, 2) + last + '0000' + d.slice(2, 5);
  else if (last === '3') m = d.slice(0, 3) + '00000' + d.slice(3, 5);
  else if (last === '4') m = d.slice(0, 4) + '00000' + d[4];
  else m = d.slice(0, 5) + '0000' + last;
  return ns + m + chk;
}
function sameCode(got, exp, fmt) {
  if (got === exp) return true;
  if (fmt === 'UPC_E' && exp.length === 8 && (got === upceToUpca(exp) || got === '0' + upceToUpca(exp))) return true;
  if (fmt === 'UPC_A' && got === '0' + exp) return true;
  return false;
}
const expected = (it) => it.expected_text.replace(/\n+$/, '');

/** results: Map(image → decoded texts). Returns per-format hits over the non-blurry images, and extras. */
function score(results) {
  const per = {};
  let hits = 0, total = 0, other = 0, bonus = 0, bonusTotal = 0;
  const others = [];
  for (const it of items) {
    const got = results.get(it.image) ?? [];
    const exp = expected(it);
    const hit = got.some((g) => sameCode(g, exp, it.format));
    if (BLURRY.has(folderOf(it))) { bonus += hit; bonusTotal++; continue; }
    const o = got.filter((g) => !sameCode(g, exp, it.format));
    other += o.length;
    if (o.length) others.push(`${it.image}: ${o.map((t) => JSON.stringify(t.length > 40 ? t.slice(0, 40) + '…' : t)).join(', ')}`);
    const a = (per[it.format] ??= { hits: 0, n: 0 });
    a.hits += hit; a.n++; hits += hit; total++;
  }
  return { per, hits, total, other, others, bonus, bonusTotal };
}

// ---------- zbarimg: one process per image, PROCS at a time ----------
function haveZbar() {
  return spawnSync('zbarimg', ['--version'], { encoding: 'utf8' }).status === 0;
}
async function runZbar() {
  const results = new Map();
  const queue = [...items];
  const t0 = performance.now();
  let cpu = 0;
  const one = (it) => new Promise((resolve) => {
    const p = spawn('bash', ['-c', 'TIMEFORMAT="%U %S"; time zbarimg --nodbus -q --raw -Supca.enable "$1"', '_', path.join(ds, it.image)]);
    let out = '', err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', () => {
      results.set(it.image, out.split('\n').filter((x) => x));
      const m = /([\d.]+) ([\d.]+)\s*$/.exec(err);
      if (m) cpu += Number(m[1]) + Number(m[2]);
      resolve();
    });
  });
  await Promise.all(Array.from({ length: PROCS }, async () => { for (let it = queue.shift(); it; it = queue.shift()) await one(it); }));
  return { results, wallS: (performance.now() - t0) / 1000, cpuS: cpu };
}

// ---------- zakocr scan --barcodes-only (the CLI) ----------
function runCli() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-bench-bc-'));
  const out = path.join(tmp, 'bc.jsonl');
  const cmd = `TIMEFORMAT="%U %S %R"; time node bin/zakocr scan "$1" --barcodes-only --concurrency ${PROCS} --quiet --out "$2" --manifest "$3"`;
  const r = spawnSync('bash', ['-c', cmd, '_', ds, out, path.join(tmp, 'manifest.jsonl')], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const m = /([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  const results = new Map();
  const timings = [];
  for (const line of fs.readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
    const rec = JSON.parse(line);
    const rel = path.relative(ds, path.resolve(root, rec.file));
    results.set(rel, rec.barcodes.map((b) => b.text));
    if (rec.timingsMs?.barcode !== undefined) timings.push(rec.timingsMs.barcode);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { results, wallS: m ? Number(m[3]) : NaN, cpuS: m ? Number(m[1]) + Number(m[2]) : NaN, exit: r.status, barcodeMs: timings };
}

// ---------- decoders in-process, same grey pages ----------
async function loadPages() {
  const pages = new Map();
  for (const it of items) {
    const { data, info } = await sharp(path.join(ds, it.image)).flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    pages.set(it.image, { data, width: info.width, height: info.height, channels: info.channels, page: null });
  }
  return pages;
}
/** One raw decoder call per page (no retries, no vote): the libraries as they come. */
async function runDecoder(decoder, pages) {
  const results = new Map();
  const opts = { formats: [], binarizer: 'local', minLineCount: 2, tryHarder: true, tryRotate: true, returnErrors: false };
  const c0 = process.cpuUsage();
  for (const it of items) {
    const g = toGray(pages.get(it.image));
    results.set(it.image, decoder.decode({ data: g.data, width: g.width, height: g.height }, opts).map((h) => h.text));
  }
  const c = process.cpuUsage(c0);
  decoder.dispose();
  return { results, cpuMsPerImage: (c.user + c.system) / 1000 / items.length };
}

async function runReader(name, settings, pages) {
  const reader = await createInProcessReader(name, { ...defaults.barcode, formats: [], ...settings });
  const results = new Map();
  let passes = 0;
  const c0 = process.cpuUsage();
  for (const it of items) {
    const hits = await reader.read(pages.get(it.image), {});
    results.set(it.image, hits.map((h) => h.text));
    passes += reader.lastTrace.passes.length;
  }
  const c = process.cpuUsage(c0);
  await reader.dispose();
  return { results, cpuMsPerImage: (c.user + c.system) / 1000 / items.length, passesPerImage: passes / items.length };
}

// ---------- run ----------
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '–');
const formats = [...new Set(items.filter((it) => !BLURRY.has(folderOf(it))).map((it) => it.format))].sort();
const rows = [];
function row(name, s, extra) {
  rows.push({ name, s, extra });
}

console.log(`dataset ${ds}: ${items.length} images (${items.filter((it) => !BLURRY.has(folderOf(it))).length} outside ean13-5/upca-6); ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
let zbar = null;
if (haveZbar()) {
  zbar = await runZbar();
  row('zbarimg (2 procs)', score(zbar.results), `${(items.length / zbar.wallS).toFixed(1)} img/s wall, ${((1000 * zbar.cpuS) / items.length).toFixed(1)} CPU ms/img`);
} else {
  console.log('zbarimg not found (apt-get install -y zbar-tools): baseline skipped');
}
let cli = null;
if (!flag('--skip-cli')) {
  cli = runCli();
  const p50 = cli.barcodeMs.sort((a, b) => a - b)[Math.floor(cli.barcodeMs.length / 2)];
  row(
    'zakocr scan --barcodes-only',
    score(cli.results),
    `${(items.length / cli.wallS).toFixed(1)} img/s wall (incl. start-up), ${((1000 * cli.cpuS) / items.length).toFixed(1)} CPU ms/img (all threads) → ${((PROCS * items.length) / cli.cpuS).toFixed(1)} img/s on ${PROCS} free cores; barcode stage p50 ${p50} ms; exit ${cli.exit}`,
  );
}
const pages = await loadPages();
const wasm1 = await runDecoder(await ZxingWasmDecoder.create(), pages);
row('zxing-wasm, 1 call', score(wasm1.results), `${wasm1.cpuMsPerImage.toFixed(1)} CPU ms/img`);
const js1 = await runDecoder(new ZxingJsDecoder(), pages);
row('@zxing/library, 1 call', score(js1.results), `${js1.cpuMsPerImage.toFixed(1)} CPU ms/img`);
const first = await runReader('zxing-wasm', { tryHarder: false }, pages);
row('zakocr reader, first pass only', score(first.results), `${first.cpuMsPerImage.toFixed(1)} CPU ms/img`);
const full = await runReader('zxing-wasm', {}, pages);
row('zakocr reader (in-process)', score(full.results), `${full.cpuMsPerImage.toFixed(1)} CPU ms/img, ${full.passesPerImage.toFixed(2)} passes/img`);

const head = ['', ...formats, 'overall', 'blurry (bonus)', 'other decodes'];
console.log('\n| ' + head.join(' | ') + ' |');
console.log('|' + head.map(() => '---').join('|') + '|');
for (const { name, s } of rows) {
  const cells = formats.map((f) => `${s.per[f]?.hits ?? 0}/${s.per[f]?.n ?? 0}`);
  console.log(`| ${name} | ${cells.join(' | ')} | ${s.hits}/${s.total} = ${pct(s.hits, s.total)} | ${s.bonus}/${s.bonusTotal} | ${s.other} |`);
}
console.log('');
for (const { name, extra } of rows) console.log(`${name}: ${extra}`);
if (zbar && cli) {
  // Wall-clock ratio in the same run: both suffer the same machine load.
  console.log(`throughput (same run, ${PROCS} at a time): zakocr scan ${(items.length / cli.wallS).toFixed(1)} img/s vs zbarimg ${(items.length / zbar.wallS).toFixed(1)} img/s = ${(zbar.wallS / cli.wallS).toFixed(2)}×`);
}
if (zbar) {
  const z = rows[0].s;
  for (const { name, s } of rows.slice(1)) {
    const worse = formats.filter((f) => (s.per[f]?.hits ?? 0) < (z.per[f]?.hits ?? 0));
    console.log(`${name} vs zbarimg: ${(s.hits / z.hits).toFixed(3)}× decodes; formats below zbarimg: ${worse.length ? worse.join(', ') : 'none'}`);
  }
}
if (verbose) {
  for (const { name, s } of rows) {
    console.log(`\n${name}: other decodes`);
    for (const o of s.others) console.log('  ' + o);
  }
  if (cli) {
    const missed = items.filter((it) => !BLURRY.has(folderOf(it)) && !(cli.results.get(it.image) ?? []).some((g) => sameCode(g, expected(it), it.format)));
    console.log(`\nzakocr scan misses (${missed.length}): ${missed.map((it) => it.image).join(' ')}`);
  }
}
const json = opt('--json');
if (json) {
  fs.writeFileSync(json, JSON.stringify({ dataset: ds, rows: rows.map(({ name, s, extra }) => ({ name, ...s, note: extra })) }, null, 2));
}
