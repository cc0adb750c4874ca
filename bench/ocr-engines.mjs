#!/usr/bin/env node
/**
 * OCR engines side by side: paddle (PP-OCR on onnxruntime-node), tesseract (tesseract.js) and auto (PP-OCR with
 * Tesseract for unsure, single-line and Bengali lines), each through the built CLI exactly as a user runs it, with
 * the native `tesseract` CLI as the baseline measured in the same run.
 *
 *   node bench/ocr-engines.mjs [--only cer,speed,memory,precision,models] [--sroie 48] [--uw3 50] [--ben 150]
 *                              [--concurrency 2] [--memory-images 1000] [--keep]
 *                              [--precisions fp32,folded,int8] [--threads 1,2] [--layouts 1x2] [--rec-batches 4,8]
 *
 * cer     `node bin/zakocr scan <dir> --engine E --concurrency N --out <tmp>.jsonl` per engine and dataset:
 *         uw3-printed-lines (whitespace folded), sroie-receipts (case and whitespace folded; reference = box
 *         transcripts in file order), bengali-synthetic-lines with `--lang ben` (paddle refuses Bengali: n/a).
 *         Native baseline: `tesseract <img> - --psm 7` (lines) / `--psm 3` (receipts, Bengali) with OMP_THREAD_LIMIT=1.
 *         Also prints wall and CPU seconds per run, and the mean PP-OCR stage times (det/crop/cls/rec ms per image)
 *         from the records' timingsMs.
 * speed   receipts/s on the SROIE images: native tesseract (N processes, OMP_THREAD_LIMIT=1, psm 3, distribution
 *         model) vs the paddle engine alone (decode with sharp + PaddleEngine.recognize, N pages in flight, its worker
 *         pool sized to N; one row per `--precisions` entry, plus `--layouts WxT` rows) vs `zakocr scan --engine paddle|auto` (whole pipeline), as ratios; wall and CPU time.
 * precision  `--precisions fp32,int8` (default): paddle and auto through the CLI once per `--precision P`, CER on
 *         all items and on each half (dev = tuned/calibrated on, check = held out; bench/split), SROIE in reading
 *         order, with the PP-OCR stage ms per image; deltas against the first precision.
 * models  each PP-OCR model alone, every precision in the same process, runs interleaved: CPU ms of det per SROIE
 *         receipt, cls and rec per receipt (its box crops) and per UW-III line; ratios to the first precision.
 *         `--threads 1,2` repeats it per intra-op thread count; `--rec-batches 4,8` adds batched recogniser rows.
 * memory  RSS of one process (workers included) while the paddle engine reads `memory-images` pages (the 50 UW-III
 *         lines and 4 SROIE receipts, cycled): RSS at image 200 and at the end, growth between them (target ≤ 10%).
 *
 * Needs `npm run build` and the native CLI (`apt-get install -y tesseract-ocr tesseract-ocr-ben`, benchmark only).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { aggregateErrors, charErrors } from '../dist/bench/metrics.js';
import { PaddleEngine } from '../dist/ocr/paddle/engine.js';
import { splitHalf } from '../dist/bench/split.js';
import { modelSpeeds } from './model-speed.mjs';
import { boxReadingOrder, optionReader, parseBoxFile, sh, timed } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const datasets = path.resolve(repo, '../shared/datasets');
const args = process.argv.slice(2);
const opt = optionReader(args);
const ONLY = new Set(opt('only', 'cer,speed,memory').split(','));
const CONCURRENCY = Number(opt('concurrency', 2));
const COUNTS = { uw3: Number(opt('uw3', 50)), sroie: Number(opt('sroie', 48)), ben: Number(opt('ben', 150)) };
const MEMORY_IMAGES = Number(opt('memory-images', 1000));
const KEEP = args.includes('--keep');
const PRECISIONS = opt('precisions', 'fp32,int8').split(',');
const THREADS = opt('threads', '1').split(',').map(Number);
/** `--layouts 1x2`: extra paddle-engine rows (workers × intra-op threads) in the speed section, last precision. */
const LAYOUTS = opt('layouts', '').split(',').filter(Boolean).map((l) => ({ workers: Number(l.split('x')[0]), threads: Number(l.split('x')[1]) }));

const pct = (x) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/** A dataset as { dir (images only, symlinked), items: [{ file, ref }], fold, lang }; prepared once per run. */
const prepared = new Map();
function prepare(tmp, name) {
  if (!prepared.has(name)) prepared.set(name, prepareOnce(tmp, name));
  return prepared.get(name);
}

async function prepareOnce(tmp, name) {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  const root = path.join(datasets, name);
  const manifest = readFileSync(path.join(root, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  let items;
  if (name === 'sroie-receipts') {
    items = manifest.slice(0, COUNTS.sroie).map((m) => {
      const boxes = parseBoxFile(readFileSync(path.join(root, m.box_file), 'utf8'));
      return { file: path.basename(m.image), src: path.join(root, m.image), ref: boxes.map((b) => b.text).join('\n'), readingRef: boxReadingOrder(boxes), boxes };
    });
  } else {
    const n = name === 'uw3-printed-lines' ? COUNTS.uw3 : COUNTS.ben;
    items = manifest.slice(0, n).map((m) => ({ file: m.image, src: path.join(root, m.image), ref: m.text }));
  }
  for (const it of items) await symlink(it.src, path.join(dir, it.file));
  const cerOpts = { foldWhitespace: true, foldCase: name === 'sroie-receipts' };
  return { name, dir, items, cerOpts, lang: name === 'bengali-synthetic-lines' ? 'ben' : 'eng', lines: name !== 'sroie-receipts' };
}

function score(ds, texts, ref = 'ref', half = null) {
  const items = half ? ds.items.filter((it) => splitHalf(it.file) === half) : ds.items;
  return aggregateErrors(items.map((it) => charErrors(texts.get(it.file) ?? '', it[ref], ds.cerOpts))).rate;
}

async function scan(tmp, ds, engine, extra = []) {
  const out = path.join(tmp, `${ds.name}-${engine}${extra.join('').replace(/\W/g, '')}.jsonl`);
  const argv = ['scan', ds.dir, '--engine', engine, '--lang', ds.lang, '--concurrency', String(CONCURRENCY), '--out', out, ...extra];
  const r = await timed([process.execPath, path.join(repo, 'bin', 'zakocr'), ...argv].map(sh).join(' '), { CI: 'true', NO_COLOR: '1' });
  const command = `node bin/zakocr ${argv.join(' ').replaceAll(tmp + '/', '<tmp>/')}`;
  if (!existsSync(out)) return { command, refused: r.stderr.trim().split('\n').filter((l) => !l.startsWith('@@TIME')).slice(-2).join(' ').slice(0, 160), wallS: r.wallS, cpuS: r.cpuS };
  const texts = new Map();
  const stages = { det: 0, crop: 0, cls: 0, rec: 0, reread: 0 };
  let records = 0;
  for (const line of (await readFile(out, 'utf8')).split('\n').filter(Boolean)) {
    const rec = JSON.parse(line);
    texts.set(path.basename(rec.file), rec.text);
    records++;
    for (const k of Object.keys(stages)) stages[k] += rec.timingsMs?.[`ocr.${k}`] ?? 0;
  }
  for (const k of Object.keys(stages)) stages[k] = records ? stages[k] / records : 0;
  return { command, texts, wallS: r.wallS, cpuS: r.cpuS, stages, cer: score(ds, texts) };
}

/** Native tesseract over every item, CONCURRENCY processes (xargs -P), OMP_THREAD_LIMIT=1; text from stdout files. */
async function native(tmp, ds, psm) {
  const outDir = path.join(tmp, `native-${ds.name}`);
  await mkdir(outDir, { recursive: true });
  const files = ds.items.map((it) => it.file);
  const lang = ds.lang;
  const command = `cd ${sh(ds.dir)} && printf '%s\\n' ${files.map(sh).join(' ')} | xargs -P ${CONCURRENCY} -I{} sh -c "tesseract {} ${sh(outDir)}/{} --psm ${psm} -l ${lang} 2>/dev/null"`;
  const r = await timed(command, { OMP_THREAD_LIMIT: '1' });
  if (r.code !== 0) return { refused: `native tesseract -l ${lang} failed (exit ${r.code}; is tesseract-ocr-${lang} installed?)`, wallS: r.wallS, cpuS: r.cpuS };
  const texts = new Map(files.map((f) => [f, readFileSync(path.join(outDir, `${f}.txt`), 'utf8')]));
  return { command: `OMP_THREAD_LIMIT=1 xargs -P ${CONCURRENCY} tesseract <img> <out> --psm ${psm} -l ${lang}`, texts, wallS: r.wallS, cpuS: r.cpuS, cer: score(ds, texts) };
}

async function loadPage(file) {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels, page: null };
}

/** Decode + PaddleEngine.recognize over `files`, `CONCURRENCY` pages in flight; wall and CPU seconds of this process. */
async function paddleEngineOnly(files, repeat = 1, onImage, precision = 'auto', layout = null) {
  const engine = new PaddleEngine(layout ? { latinOnly: true, workers: layout.workers } : { latinOnly: true });
  const info0 = await engine.init({ langs: ['eng'], concurrency: CONCURRENCY, device: 'cpu', threads: layout?.threads ?? 0, settings: { paddle: { precision } } });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  const total = files.length * repeat;
  const stages = { det: 0, crop: 0, cls: 0, rec: 0 };
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < total) {
      const i = next++;
      const page = await loadPage(files[i % files.length]);
      const res = await engine.recognize(page, { langs: ['eng'] });
      for (const k of Object.keys(stages)) stages[k] += res.timingsMs?.[k] ?? 0;
      done++;
      onImage?.(done);
    }
  }));
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const info = engine.runtime;
  await engine.dispose();
  for (const k of Object.keys(stages)) stages[k] /= total;
  return { wallS, cpuS: (c.user + c.system) / 1e6, images: total, stages, workers: info.workers, threads: info.threads, models: info0.models };
}

if (!existsSync(path.join(repo, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first');
let nativeVersion = null;
try {
  nativeVersion = execFileSync('tesseract', ['--version'], { encoding: 'utf8' }).split('\n')[0];
} catch {
  console.error('native tesseract is missing (apt-get install -y tesseract-ocr tesseract-ocr-ben): baselines skipped');
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'zakocr-bench-ocr-engines-'));
const cores = os.availableParallelism?.() ?? os.cpus().length;
console.log(`bench/ocr-engines.mjs ${new Date().toISOString().slice(0, 10)} · ${cores} cores · concurrency ${CONCURRENCY} · load average ${os.loadavg()[0].toFixed(1)} · ${nativeVersion ?? 'no native tesseract'}`);
const json = { bench: 'ocr-engines', date: new Date().toISOString().slice(0, 10), cores, concurrency: CONCURRENCY, native: nativeVersion, cer: [], speed: null, memory: null };

if (ONLY.has('cer')) {
  console.log('\n== CER (lower is better), whole CLI per engine; native tesseract baseline in the same run');
  console.log('dataset'.padEnd(26) + 'native'.padStart(9) + 'paddle'.padStart(9) + 'tesseract'.padStart(11) + 'auto'.padStart(9) + '   wall s (native/paddle/tesseract/auto)   PP-OCR ms/img det/crop/cls/rec (+reread, auto)');
  for (const name of ['uw3-printed-lines', 'sroie-receipts', 'bengali-synthetic-lines']) {
    const ds = await prepare(tmp, name);
    const base = nativeVersion ? await native(tmp, ds, ds.lines && name === 'uw3-printed-lines' ? 7 : 3) : { refused: 'not installed' };
    const runs = {};
    for (const engine of ['paddle', 'tesseract', 'auto']) runs[engine] = await scan(tmp, ds, engine);
    const cell = (r) => pct(r.cer ?? null).padStart(r === runs.tesseract ? 11 : 9);
    const st = runs.auto.stages ?? {};
    const sp = runs.paddle.stages ?? null;
    const stageText = (s) => (s ? `${s.det.toFixed(0)}/${s.crop.toFixed(0)}/${s.cls.toFixed(0)}/${s.rec.toFixed(0)}` : 'n/a');
    console.log(
      `${name} (${ds.items.length}${ds.lang === 'ben' ? ', --lang ben' : ''})`.padEnd(26) + pct(base.cer ?? null).padStart(9) + cell(runs.paddle) + cell(runs.tesseract) + cell(runs.auto) +
        `   ${[base, runs.paddle, runs.tesseract, runs.auto].map((r) => r.wallS.toFixed(0)).join('/')}`.padEnd(42) +
        `paddle ${stageText(sp && runs.paddle.cer !== undefined ? sp : null)} · auto ${stageText(st.det !== undefined ? st : null)} +${(st.reread ?? 0).toFixed(0)}`,
    );
    for (const [k, r] of Object.entries({ native: base, ...runs })) if (r.refused) console.log(`  ${k}: n/a — ${r.refused}`);
    let readingOrderCer = null;
    if (name === 'sroie-receipts') {
      readingOrderCer = Object.fromEntries(Object.entries({ native: base, ...runs }).map(([k, r]) => [k, r.texts ? score(ds, r.texts, 'readingRef') : null]));
      const floor = score(ds, new Map(ds.items.map((it) => [it.file, it.readingRef])));
      readingOrderCer.perfectReadingOrderVsFileOrder = floor;
      console.log(
        `  same boxes in reading order`.padEnd(26) + pct(readingOrderCer.native).padStart(9) + pct(readingOrderCer.paddle).padStart(9) + pct(readingOrderCer.tesseract).padStart(11) + pct(readingOrderCer.auto).padStart(9) +
          `   (the reference boxes themselves, read in reading order, score ${pct(floor)} against the file-order reference)`,
      );
    }
    json.cer.push({
      dataset: name, items: ds.items.length, lang: ds.lang,
      native: base.cer ?? null, nativeCommand: base.command ?? null,
      ...Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, { cer: r.cer ?? null, wallS: r.wallS, cpuS: r.cpuS, stagesMs: r.stages ?? null, command: r.command }])),
      readingOrderCer,
    });
  }
  console.log('(auto ≤ tesseract on clean print is the bar; SROIE references are in annotation order, see bench/RESULTS.md)');
}

if (ONLY.has('precision')) {
  console.log(`\n== CER by model precision (${PRECISIONS.join(' vs ')}), whole CLI; all items / dev half / check half; Δ = points vs ${PRECISIONS[0]}`);
  const rows = [];
  for (const name of ['uw3-printed-lines', 'sroie-receipts', 'bengali-synthetic-lines']) {
    const ds = await prepare(tmp, name);
    const ref = name === 'sroie-receipts' ? 'readingRef' : 'ref';
    for (const engine of ds.lang === 'ben' ? ['auto'] : ['paddle', 'auto']) {
      const base = {};
      for (const p of PRECISIONS) {
        const r = await scan(tmp, ds, engine, ['--precision', p]);
        if (!r.texts) {
          console.log(`  ${name} ${engine} --precision ${p}: n/a — ${r.refused}`);
          continue;
        }
        const cer = { all: score(ds, r.texts, ref), dev: score(ds, r.texts, ref, 'dev'), check: score(ds, r.texts, ref, 'check') };
        if (p === PRECISIONS[0]) Object.assign(base, cer);
        const d = (k) => (p === PRECISIONS[0] ? '' : ` (${((cer[k] - base[k]) * 100 >= 0 ? '+' : '')}${((cer[k] - base[k]) * 100).toFixed(2)})`);
        const st = r.stages;
        console.log(
          `${name}${ref === 'readingRef' ? ' (reading order)' : ''} ${engine} --precision ${p}`.padEnd(58) +
            `CER ${pct(cer.all)}${d('all')} · dev ${pct(cer.dev)}${d('dev')} · check ${pct(cer.check)}${d('check')}` +
            ` · ms/img det ${st.det.toFixed(0)} cls ${st.cls.toFixed(0)} rec ${st.rec.toFixed(0)} · wall ${r.wallS.toFixed(0)} s, CPU ${r.cpuS.toFixed(0)} s`,
        );
        rows.push({ dataset: name, engine, precision: p, cer, stagesMs: st, wallS: r.wallS, cpuS: r.cpuS, command: r.command });
      }
    }
  }
  json.precision = rows;
}

if (ONLY.has('models')) {
  const sroie = await prepare(tmp, 'sroie-receipts');
  const uw3 = await prepare(tmp, 'uw3-printed-lines');
  for (const threads of THREADS) {
    console.log(`\n== Each model alone (CPU ms per input, ${threads} intra-op thread(s), runs interleaved; × = speed-up vs ${PRECISIONS[0]}; load average ${os.loadavg()[0].toFixed(1)})`);
    const r = await modelSpeeds({ sroie: sroie.items, uw3: uw3.items, precisions: PRECISIONS, threads, recBatches: opt('rec-batches', '').split(',').filter(Boolean).map(Number) });
    for (const row of r) console.log(`${row.label.padEnd(60)}${row.cells.map((c) => `${c.precision} ${c.ms.toFixed(1)} ms${c.speedup ? ` (${c.speedup.toFixed(2)}×)` : ''}`).join('   ')}`);
    (json.models ??= []).push({ threads, rows: r });
  }
}

if (ONLY.has('speed')) {
  const ds = await prepare(tmp, 'sroie-receipts');
  const n = ds.items.length;
  console.log(`\n== Speed on ${n} SROIE receipts (receipts/s; × = relative to native tesseract in this run; CPU s = user+sys of the process tree)`);
  const base = nativeVersion ? await native(tmp, ds, 3) : null;
  const eng = await paddleEngineOnly(ds.items.map((it) => it.src), 1, undefined, PRECISIONS[0]);
  const engAlt = [];
  for (const p of PRECISIONS.slice(1)) engAlt.push(await paddleEngineOnly(ds.items.map((it) => it.src), 1, undefined, p));
  for (const l of LAYOUTS) engAlt.push(await paddleEngineOnly(ds.items.map((it) => it.src), 1, undefined, PRECISIONS.at(-1), l));
  const engLabel = (e) => `paddle engine ${e.models.join('+').replace(/ch_|PP-OCRv4_|ppocr_|mobile_/g, '')} (${e.workers}×${e.threads})`;
  const scanPaddle = await scan(tmp, ds, 'paddle');
  const scanPaddleBare = await scan(tmp, ds, 'paddle', ['--no-barcodes', '--no-preprocess']);
  const scanAuto = await scan(tmp, ds, 'auto');
  const rows = [
    ['native tesseract (psm 3, OMP_THREAD_LIMIT=1)', base],
    [engLabel(eng), eng],
    ...engAlt.map((e) => [engLabel(e), e]),
    ['zakocr scan --engine paddle', scanPaddle],
    ['zakocr scan --engine paddle --no-barcodes --no-preprocess', scanPaddleBare],
    ['zakocr scan --engine auto', scanAuto],
  ];
  console.log('variant'.padEnd(68) + 'wall s'.padStart(8) + 'rcpt/s'.padStart(8) + '×native'.padStart(9) + 'CPU s/rcpt'.padStart(12) + '×native'.padStart(9));
  for (const [label, r] of rows) {
    if (!r) continue;
    console.log(
      label.padEnd(68) + r.wallS.toFixed(1).padStart(8) + (n / r.wallS).toFixed(2).padStart(8) + (base ? (base.wallS / r.wallS).toFixed(2) : 'n/a').padStart(9) +
        (r.cpuS / n).toFixed(2).padStart(12) + (base ? (base.cpuS / r.cpuS).toFixed(2) : 'n/a').padStart(9),
    );
  }
  console.log(`paddle engine ms per receipt: det ${eng.stages.det.toFixed(0)}, crop ${eng.stages.crop.toFixed(0)}, cls ${eng.stages.cls.toFixed(0)}, rec ${eng.stages.rec.toFixed(0)}`);
  json.speed = {
    receipts: n,
    rows: rows.filter(([, r]) => r).map(([label, r]) => ({ label, wallS: r.wallS, cpuS: r.cpuS, receiptsPerS: n / r.wallS, ratioToNative: base ? base.wallS / r.wallS : null, cpuRatioToNative: base ? base.cpuS / r.cpuS : null })),
    paddleStagesMs: eng.stages,
  };
}

if (ONLY.has('memory')) {
  // Small images so 1,000 of them take minutes, not an hour; a few receipts among them keep large inputs in the mix.
  const files = [
    ...readdirSync(path.join(datasets, 'uw3-printed-lines')).filter((f) => f.endsWith('.png')).sort().map((f) => path.join(datasets, 'uw3-printed-lines', f)),
    ...readdirSync(path.join(datasets, 'sroie-receipts', 'img')).sort().slice(0, 4).map((f) => path.join(datasets, 'sroie-receipts', 'img', f)),
  ];
  console.log(`\n== Memory: the paddle engine over ${MEMORY_IMAGES} images (${files.length} distinct, cycled) in one process`);
  const marks = new Map();
  const at = new Set([1, 100, 200, 400, 600, 800, MEMORY_IMAGES]);
  const r = await paddleEngineOnly(files, Math.ceil(MEMORY_IMAGES / files.length), (done) => {
    if (at.has(done)) marks.set(done, process.memoryUsage().rss);
  });
  const mb = (b) => (b / 1048576).toFixed(0);
  console.log([...marks].map(([k, v]) => `image ${k}: ${mb(v)} MB`).join(' · '));
  const base = marks.get(200), end = marks.get(Math.max(...marks.keys()));
  const growth = base ? (end - base) / base : null;
  console.log(`RSS growth image 200 → ${Math.max(...marks.keys())}: ${growth === null ? 'n/a' : (growth * 100).toFixed(1) + '%'} (target ≤ 10%); ${(r.images / r.wallS).toFixed(2)} images/s`);
  json.memory = { images: r.images, rssMB: Object.fromEntries([...marks].map(([k, v]) => [k, Number(mb(v))])), growth200ToEnd: growth };
}

console.log('\n' + JSON.stringify(json));
if (KEEP) console.log(`kept ${tmp}`);
else await rm(tmp, { recursive: true, force: true });
