#!/usr/bin/env node
/**
 * Images per second of `zakocr scan --engine tesseract` against the native `tesseract` CLI on the same images,
 * measured in one run, with the text accuracy (CER) of each beside it.
 *
 *   node bench/throughput.mjs [--count 50] [--set rendered|sroie] [--concurrency 2] [--keep]
 *
 * - rendered (default): `count` receipt-like pages (14-18 lines, ~520x600 px) rendered by fixtures/render.mjs,
 *   with exact references.
 * - sroie: the first `count` receipts of ../shared/datasets/sroie-receipts (48 available), references from box/*.csv.
 *
 * Baselines (native Tesseract 5, `OMP_THREAD_LIMIT=1`, `--psm 3`, `concurrency` processes in parallel):
 * - `native fast`: the distribution's eng.traineddata (Debian ships tessdata_fast);
 * - `native best_int`: the same LSTM model zakocr uses (@tesseract.js-data/eng 4.0.0_best_int, gunzipped to a temp
 *   tessdata dir): native vs WASM on equal terms.
 * zakocr runs the built CLI (`node bin/zakocr scan <dir> --engine tesseract --concurrency N --out <tmp>.jsonl`),
 * timed from spawn to exit (start-up and worker creation included): with the default pipeline, with `--no-barcodes`
 * and with `--no-preprocess --no-barcodes` (OCR alone), so the cost of each stage shows. Install the baseline with
 * `apt-get install -y tesseract-ocr` (benchmark only).
 *
 * Each variant runs under bash's `time`, which gives wall-clock and the CPU seconds (user + sys) of the whole
 * process tree. On a shared, busy machine wall-clock ratios drift with everyone else's load; CPU seconds per image
 * do not, so both are printed (and `--rounds N` repeats the sequence, alternating its order, and sums).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { renderText } from '../fixtures/render.mjs';
import { aggregateErrors, charErrors } from '../dist/bench/metrics.js';
import { optionReader, sh, timed } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = optionReader(args);
const SET = opt('set', 'rendered');
const COUNT = Number(opt('count', SET === 'sroie' ? 48 : 50));
const CONCURRENCY = Number(opt('concurrency', 2));
const KEEP = args.includes('--keep');
const ROUNDS = Number(opt('rounds', 1));
const CER_OPTS = { foldWhitespace: true, foldCase: SET === 'sroie' };

const ITEMS = ['Basmati Rice 5kg', 'Mustard Oil 1L', 'Red Lentils 2kg', 'Sugar 1kg', 'Lux Soap 100g', 'Fresh Milk 1L', 'Tea Leaves 400g', 'Iodised Salt 1kg', 'Atta Flour 2kg', 'Chili Powder 200g', 'Eggs 12 pcs', 'Potatoes 3kg', 'Onions 2kg', 'Biscuits 250g'];

/** A receipt-like page: header, 10-14 item lines with prices, totals. Deterministic per index. */
function receiptLines(i) {
  const lines = [`ZAKPOS STORE ${String(i).padStart(3, '0')}`, `Date ${String(1 + (i % 28)).padStart(2, '0')}/11/2026 Inv INV-${10000 + i * 7}`];
  const n = 10 + (i % 5);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const price = 20 + ((i * 37 + k * 53) % 480);
    total += price;
    lines.push(`${ITEMS[(i + k * 3) % ITEMS.length]} Tk ${price}.00`);
  }
  lines.push(`TOTAL Tk ${total}.00`, 'Thank you');
  return lines;
}

async function prepare(dir) {
  const imgDir = path.join(dir, 'img');
  await mkdir(imgDir, { recursive: true });
  const refs = new Map();
  if (SET === 'rendered') {
    for (let i = 0; i < COUNT; i++) {
      const name = `page-${String(i).padStart(3, '0')}.png`;
      const lines = receiptLines(i);
      await writeFile(path.join(imgDir, name), await renderText(lines, { fontSize: 22 }));
      refs.set(name, lines.join('\n'));
    }
  } else if (SET === 'sroie') {
    const src = path.resolve(repo, '../shared/datasets/sroie-receipts');
    const ids = readdirSync(path.join(src, 'img')).filter((f) => f.endsWith('.jpg')).sort().slice(0, COUNT);
    for (const f of ids) {
      await writeFile(path.join(imgDir, f), readFileSync(path.join(src, 'img', f)));
      const box = readFileSync(path.join(src, 'box', f.replace(/\.jpg$/, '.csv')), 'utf8');
      refs.set(f, box.split('\n').filter((l) => l.trim()).map((l) => l.split(',').slice(8).join(',')).join('\n'));
    }
  } else {
    throw new Error(`--set must be rendered or sroie, got ${SET}`);
  }
  return { imgDir, refs, files: [...refs.keys()] };
}

/** Native tesseract over every file, `CONCURRENCY` processes at a time (xargs -P); returns times and texts. */
async function native(dir, imgDir, files, tessdataDir, tag) {
  const outDir = path.join(dir, `native-${tag}`);
  await mkdir(outDir, { recursive: true });
  const tessdata = tessdataDir ? ` --tessdata-dir ${sh(tessdataDir)}` : '';
  const command =
    `cd ${sh(imgDir)} && printf '%s\\n' ${files.map(sh).join(' ')} | ` +
    `xargs -P ${CONCURRENCY} -I{} sh -c "tesseract {} ${sh(outDir)}/{} --psm 3 -l eng${tessdata.replaceAll("'", '')} 2>/dev/null"`;
  const r = await timed(command, { OMP_THREAD_LIMIT: '1' });
  if (r.code !== 0) throw new Error(`native tesseract failed (${r.code}): ${r.stderr.slice(-300)}`);
  const texts = new Map(files.map((f) => [f, readFileSync(path.join(outDir, `${f}.txt`), 'utf8')]));
  return { ...r, texts, command: `OMP_THREAD_LIMIT=1 xargs -P ${CONCURRENCY} tesseract <img> <out> --psm 3 -l eng${tessdataDir ? ' --tessdata-dir <best_int>' : ''}` };
}

async function zakocr(dir, imgDir, extra) {
  const out = path.join(dir, `z-${extra.join('').replace(/\W/g, '') || 'default'}.jsonl`);
  const argv = ['scan', imgDir, '--engine', 'tesseract', '--concurrency', String(CONCURRENCY), '--out', out, ...extra];
  const r = await timed([process.execPath, path.join(repo, 'bin', 'zakocr'), ...argv].map(sh).join(' '), { CI: 'true', NO_COLOR: '1' });
  if ((r.code !== 0 && r.code !== 1) || !existsSync(out)) throw new Error(`zakocr exited ${r.code} without ${out}: ${r.stderr.slice(-800)}`);
  const texts = new Map();
  for (const line of (await readFile(out, 'utf8')).split('\n').filter(Boolean)) {
    const rec = JSON.parse(line);
    texts.set(path.basename(rec.file), rec.text);
  }
  const m = r.stderr.match(/zakocr: \d+ files → \d+ records in ([\d.]+)s/);
  return { wallS: r.wallS, cpuS: r.cpuS, scanS: m ? Number(m[1]) : null, texts, command: `node bin/zakocr ${argv.join(' ').replaceAll(dir, '<tmp>')}` };
}

function score(texts, refs) {
  return aggregateErrors([...refs].map(([f, ref]) => charErrors(texts.get(f) ?? '', ref, CER_OPTS))).rate;
}

if (!existsSync(path.join(repo, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first');
try {
  execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('native tesseract is missing: apt-get install -y tesseract-ocr (benchmark-only baseline)');
  process.exit(2);
}
const nativeVersion = execFileSync('tesseract', ['--version'], { encoding: 'utf8' }).split('\n')[0];

const dir = await mkdtemp(path.join(os.tmpdir(), 'zakocr-bench-throughput-'));
const { imgDir, refs, files } = await prepare(dir);
// The same model as zakocr: @tesseract.js-data/eng's 4.0.0_best_int, unzipped for the native CLI.
const bestDir = path.join(dir, 'tessdata-best-int');
await mkdir(bestDir);
const gz = path.join(repo, 'node_modules', '@tesseract.js-data', 'eng', '4.0.0_best_int', 'eng.traineddata.gz');
await writeFile(path.join(bestDir, 'eng.traineddata'), gunzipSync(readFileSync(gz)));

const load0 = os.loadavg()[0];
const variants = [
  { name: 'native tesseract, fast model', go: () => native(dir, imgDir, files, null, 'fast') },
  { name: 'native tesseract, best_int model', go: () => native(dir, imgDir, files, bestDir, 'best') },
  { name: 'zakocr scan --engine tesseract', go: () => zakocr(dir, imgDir, []) },
  { name: 'zakocr scan --engine tesseract --no-barcodes', go: () => zakocr(dir, imgDir, ['--no-barcodes']) },
  { name: 'zakocr scan --engine tesseract --no-preprocess --no-barcodes', go: () => zakocr(dir, imgDir, ['--no-preprocess', '--no-barcodes']) },
];
const totals = new Map(variants.map((v) => [v.name, { name: v.name, wallS: 0, cpuS: 0, scanS: 0, cer: 0, command: '' }]));
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so a load change during the run does not always favour the same variant.
  for (const v of round % 2 ? [...variants].reverse() : variants) {
    const r = await v.go();
    const t = totals.get(v.name);
    Object.assign(t, { wallS: t.wallS + r.wallS, cpuS: t.cpuS + r.cpuS, scanS: t.scanS + (r.scanS ?? 0), cer: score(r.texts, refs), command: r.command });
  }
}
const rows = [...totals.values()].map((t) => ({ ...t, images: files.length * ROUNDS }));
const load1 = os.loadavg()[0];

const [fast, best] = rows;
console.log(`${files.length} ${SET} images × ${ROUNDS} round(s), ${CONCURRENCY} at a time; ${nativeVersion}; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on ${os.availableParallelism?.() ?? os.cpus().length} cores`);
console.log(
  'variant'.padEnd(62) + 'wall s'.padStart(8) + 'img/s'.padStart(7) + '×fast'.padStart(7) + '×best'.padStart(7) +
    'CPU s/img'.padStart(11) + '×fast'.padStart(7) + '×best'.padStart(7) + 'CER'.padStart(8),
);
for (const r of rows) {
  console.log(
    r.name.padEnd(62) + r.wallS.toFixed(1).padStart(8) + (r.images / r.wallS).toFixed(2).padStart(7) +
      (fast.wallS / r.wallS).toFixed(2).padStart(7) + (best.wallS / r.wallS).toFixed(2).padStart(7) +
      (r.cpuS / r.images).toFixed(2).padStart(11) + (fast.cpuS / r.cpuS).toFixed(2).padStart(7) + (best.cpuS / r.cpuS).toFixed(2).padStart(7) +
      `${(r.cer * 100).toFixed(2)}%`.padStart(8),
  );
}
console.log('(× = speed relative to the native baseline measured in this run: above 1 is faster; CPU = user + sys of the whole process tree)');
const round3 = (x) => Number(x.toFixed(3));
console.log(JSON.stringify({
  bench: 'throughput', date: new Date().toISOString().slice(0, 10), set: SET, images: files.length, rounds: ROUNDS, concurrency: CONCURRENCY, native: nativeVersion,
  loadAvg: [Number(load0.toFixed(1)), Number(load1.toFixed(1))],
  rows: rows.map((r) => ({
    name: r.name, command: r.command, wallS: round3(r.wallS), cpuS: round3(r.cpuS), imagesPerS: round3(r.images / r.wallS), cpuSPerImage: round3(r.cpuS / r.images),
    wallRatioToNativeFast: round3(fast.wallS / r.wallS), wallRatioToNativeBestInt: round3(best.wallS / r.wallS),
    cpuRatioToNativeFast: round3(fast.cpuS / r.cpuS), cpuRatioToNativeBestInt: round3(best.cpuS / r.cpuS), cer: Number(r.cer.toFixed(4)),
  })),
}));
if (KEEP) console.log(`kept ${dir}`);
else await rm(dir, { recursive: true, force: true });
