#!/usr/bin/env node
/**
 * Preprocessing benchmark: CER per degradation with and without preprocessing, the gap to the clean pages,
 * the share of per-image time spent preprocessing, and (with --invoices) PDF text layer vs OCR of the renders.
 *
 *   node bench/preprocess.mjs [--n 6] [--engine auto] [--variants clean,r90,...] [--concurrency 2] [--invoices] [--keep]
 *   node bench/preprocess.mjs --orientation [--no-degraded]     # geometry only, all 48 SROIE receipts, no OCR
 *
 * - Builds the degraded set with fixtures/degrade.mjs from the first `n` SROIE receipts (14 variants each).
 * - Runs the built CLI twice over the whole set, in one process each (`zakocr scan <set> --engine E --no-barcodes`,
 *   then the same with `--no-preprocess`): the baseline is measured in the same run, on the same pages.
 * - CER is micro-averaged per variant (edits / reference characters) with case and whitespace folded (SROIE
 *   transcripts are upper case), using src/bench/metrics.ts.
 * - Time share = Σ timingsMs.preprocess / Σ timingsMs.total over the clean pages, with preprocessing on.
 * - --invoices: scans ../shared/datasets/invoice2data-invoices/pdf with `--engine none` (text layer only; every page
 *   must give text) and renders/*.png with the engine; reports the OCR CER against the text layer, page by page.
 * - --orientation: every SROIE receipt turned by 0/90/180/270 and skewed by ±3/7/15° (sharp, exact), through the
 *   preprocessing analysis only: how often the line family (0 vs 90), the confident 180° call and the skew are right.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VARIANTS, degrade, sroieText } from '../fixtures/degrade.mjs';
import { charErrors } from '../dist/bench/metrics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const datasets = path.join(root, '..', 'shared', 'datasets');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const flag = (name) => args.includes(`--${name}`);
const n = Number(opt('n', '6'));
const engine = opt('engine', 'auto');
const concurrency = opt('concurrency', '2');
const variants = opt('variants', Object.keys(VARIANTS).join(',')).split(',');
const FOLD = { foldCase: true, foldWhitespace: true };

function scan(inputs, out, extra = []) {
  const t = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'zakocr'), 'scan', ...inputs, '--out', out, '--engine', engine, '--no-barcodes', '--concurrency', concurrency, '--quiet', '--force', ...extra], {
    cwd: root,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!existsSync(out)) throw new Error(`scan wrote no output (exit ${r.status}): ${r.stderr.slice(-400)}`);
  return Date.now() - t;
}

async function records(file) {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

function micro(pairs) {
  let e = 0;
  let len = 0;
  for (const [hyp, ref] of pairs) {
    const c = charErrors(hyp, ref, FOLD);
    e += c.insertions + c.deletions + c.substitutions;
    len += c.refLength;
  }
  return len ? e / len : 0;
}

const pct = (v) => (v * 100).toFixed(2).padStart(6) + '%';

async function degradedSet(dir) {
  const src = path.join(datasets, 'sroie-receipts');
  const items = (await readFile(path.join(src, 'manifest.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).slice(0, n);
  const refs = new Map();
  for (const v of variants) await mkdir(path.join(dir, v), { recursive: true });
  for (const [k, it] of items.entries()) {
    const bytes = await readFile(path.join(src, it.image));
    const text = sroieText(await readFile(path.join(src, it.box_file), 'utf8'));
    for (const v of variants) {
      const rel = path.join(v, `${it.id}.jpg`);
      await writeFile(path.join(dir, rel), await degrade(bytes, v, 1000 + k));
      refs.set(path.join(dir, rel), text);
    }
  }
  return refs;
}

async function degradedBench(tmp) {
  const set = path.join(tmp, 'set');
  const t0 = Date.now();
  const refs = await degradedSet(set);
  console.log(`degraded set: ${refs.size} images (${n} SROIE receipts × ${variants.length} variants) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const withOut = path.join(tmp, 'with.jsonl');
  const withoutOut = path.join(tmp, 'without.jsonl');
  const msWith = scan([set], withOut);
  const msWithout = scan([set], withoutOut, ['--no-preprocess']);
  const byPath = async (f) => new Map((await records(f)).map((r) => [path.resolve(root, r.file), r]));
  const A = await byPath(withOut);
  const B = await byPath(withoutOut);
  const rows = [];
  for (const v of variants) {
    const files = [...refs.keys()].filter((f) => path.basename(path.dirname(f)) === v);
    const pairs = (m) => files.map((f) => [m.get(f)?.text ?? '', refs.get(f)]);
    const steps = new Map();
    for (const f of files) for (const s of A.get(f)?.preprocess ?? []) steps.set(s.split(':')[0], (steps.get(s.split(':')[0]) ?? 0) + 1);
    const issues = new Map();
    for (const f of files) for (const s of A.get(f)?.quality?.issues ?? []) issues.set(s, (issues.get(s) ?? 0) + 1);
    rows.push({ v, with: micro(pairs(A)), without: micro(pairs(B)), steps, issues, files });
  }
  const clean = rows.find((r) => r.v === 'clean');
  console.log(`\nengine ${engine}; CER (case/space folded), micro over ${n} receipts per variant; gap = CER − CER(clean) with preprocessing`);
  console.log('variant   | CER with | CER without | gap (with) | steps that ran (pages)                  | quality issues (pages)');
  console.log('----------|----------|-------------|------------|-----------------------------------------|-----------------------');
  for (const r of rows) {
    const gap = clean ? r.with - clean.with : NaN;
    const steps = [...r.steps].map(([k, c]) => `${k} ${c}`).join(', ');
    const issues = [...r.issues].map(([k, c]) => `${k} ${c}`).join(', ');
    console.log(`${r.v.padEnd(9)} | ${pct(r.with)}  | ${pct(r.without)}     | ${pct(gap)}    | ${steps.padEnd(39)} | ${issues}`);
  }
  // Time share of preprocessing on the clean SROIE pages (and on all pages), from the records' own timings.
  const share = (files, m) => {
    let pre = 0;
    let total = 0;
    let ocr = 0;
    for (const f of files) {
      const t = m.get(f)?.timingsMs ?? {};
      pre += t.preprocess ?? 0;
      total += t.total ?? 0;
      ocr += t.ocr ?? 0;
    }
    const k = Math.max(1, files.length);
    return { pre: pre / k, total: total / k, ocr: ocr / k, pct: (100 * pre) / Math.max(1, total) };
  };
  if (clean) {
    const a = share(clean.files, A);
    const b = share(clean.files, B);
    console.log(`\nclean SROIE pages: preprocess ${a.pre.toFixed(0)} ms/page of ${a.total.toFixed(0)} ms/page total (OCR ${a.ocr.toFixed(0)} ms) = ${a.pct.toFixed(1)}% of per-image time;`);
    console.log(`  same pages with --no-preprocess (quality analysis only): ${b.pre.toFixed(0)} ms of ${b.total.toFixed(0)} ms total (OCR ${b.ocr.toFixed(0)} ms)`);
    const all = [...refs.keys()];
    const c = share(all, A);
    console.log(`all ${all.length} pages: preprocess ${c.pre.toFixed(0)} of ${c.total.toFixed(0)} ms/page = ${c.pct.toFixed(1)}%`);
  }
  const scores = [...A.values()].filter((r) => path.basename(path.dirname(r.file)) === 'clean').map((r) => r.quality?.score ?? 0);
  if (scores.length) console.log(`quality score of clean pages: min ${Math.min(...scores).toFixed(2)}, mean ${(scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(2)}`);
  console.log(`wall time: with preprocessing ${(msWith / 1000).toFixed(0)} s, without ${(msWithout / 1000).toFixed(0)} s (${refs.size} images each, concurrency ${concurrency})`);
}

async function invoiceBench(tmp) {
  const ds = path.join(datasets, 'invoice2data-invoices');
  const textOut = path.join(tmp, 'pdf.jsonl');
  const ocrOut = path.join(tmp, 'renders.jsonl');
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'zakocr'), 'scan', path.join(ds, 'pdf'), '--out', textOut, '--engine', 'none', '--no-barcodes', '--quiet', '--force'], { cwd: root, encoding: 'utf8' });
  if (!existsSync(textOut)) throw new Error(`PDF scan wrote no output: ${r.stderr}`);
  scan([path.join(ds, 'renders')], ocrOut);
  const pdfRecs = await records(textOut);
  const ocrRecs = new Map((await records(ocrOut)).map((x) => [path.basename(x.file), x]));
  const pdfs = (await readdir(path.join(ds, 'pdf'))).filter((f) => f.endsWith('.pdf'));
  console.log(`\ninvoice2data: ${pdfs.length} PDFs, ${pdfRecs.length} page records through the text layer (engine none)`);
  console.log('page                       | text-layer chars | lines pdf-text | OCR CER vs text layer');
  const pairs = [];
  for (const rec of pdfRecs.sort((a, b) => (a.file + a.page).localeCompare(b.file + b.page))) {
    const name = path.basename(rec.file, '.pdf');
    const render = ocrRecs.get(`${name}-${(rec.page ?? 0) + 1}.png`);
    const allPdfText = rec.lines.length > 0 && rec.lines.every((l) => l.engine === 'pdf-text');
    const cer = render ? micro([[render.text, rec.text]]) : NaN;
    if (render) pairs.push([render.text, rec.text]);
    console.log(`${(name + ' p' + ((rec.page ?? 0) + 1)).padEnd(26)} | ${String(rec.text.replace(/\s/g, '').length).padStart(16)} | ${String(allPdfText ? rec.lines.length : 'NO').padStart(14)} | ${render ? pct(cer) : 'no render'}`);
  }
  console.log(`OCR (${engine}) of the 150-dpi renders vs the text layer, micro CER over ${pairs.length} pages: ${pct(micro(pairs))}`);
}

async function orientationBench() {
  const sharp = (await import('sharp')).default;
  const { preprocessPage } = await import('../dist/preprocess/page.js');
  const { defaults } = await import('../dist/config/defaults.js');
  const src = path.join(datasets, 'sroie-receipts');
  const items = (await readFile(path.join(src, 'manifest.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  const quarter = { n: 0, family: 0, flipCalled: 0, flipWrong: 0, exact: 0 };
  const skews = { n: 0, within05: 0, maxErr: 0, sumErr: 0 };
  const combo = { n: 0, family: 0, skewOk: 0, wrongTurn: 0 };
  const analyseOnly = { ...defaults.preprocess, enabled: false };
  let ms = 0;
  for (const it of items) {
    const bytes = await readFile(path.join(src, it.image));
    // The scans are not perfectly level themselves: skew errors are measured against turn + the page's own skew.
    let own = 0;
    for (const turn of [0, 90, 180, 270, 3, -3, 7, -7, 15, -15, 97, 263, 187]) {
      const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').rotate(turn, { background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
      const t = performance.now();
      const r = await preprocessPage({ data, width: info.width, height: info.height, channels: 3, page: null }, analyseOnly);
      ms += performance.now() - t;
      const q = r.quality;
      if (turn === 0) own = q.skewDeg;
      if (turn > 20 && turn % 90 !== 0) {
        // Turned by a quarter (or half) AND skewed by 7°: the family must still be found, the skew still measured.
        const quarterTurn = Math.round(turn / 90) * 90;
        combo.n++;
        if (q.rotation % 180 === quarterTurn % 180) combo.family++;
        if (q.rotation % 180 === quarterTurn % 180 && Math.abs(q.skewDeg - (turn - quarterTurn) - own) <= 0.5) combo.skewOk++;
        if (q.rotation % 180 !== quarterTurn % 180 && q.rotation !== 0) combo.wrongTurn++;
        continue;
      }
      if (turn % 90 === 0) {
        quarter.n++;
        // sharp turned the content clockwise by `turn`: the step must undo exactly that.
        if (q.rotation % 180 === turn % 180) quarter.family++;
        if (q.rotation === turn) quarter.exact++;
        if ((turn === 180 && q.rotation === 180) || (turn === 0 && q.rotation === 180)) quarter.flipCalled++;
        if (turn === 0 && q.rotation === 180) quarter.flipWrong++;
      } else {
        skews.n++;
        const err = Math.abs(q.skewDeg - turn - own);
        if (q.rotation === 0 && err <= 0.5) skews.within05++;
        else if (flag('verbose')) console.log(`  skew miss: ${it.id} turned ${turn}°: rotation ${q.rotation}, skew ${q.skewDeg}`);
        skews.maxErr = Math.max(skews.maxErr, q.rotation === 0 ? err : 99);
        skews.sumErr += err;
      }
    }
  }
  console.log(`\norientation from text-line geometry, ${items.length} SROIE receipts × 4 quarter turns (${quarter.n} pages):`);
  console.log(`  0° vs 90° (line family) right: ${quarter.family}/${quarter.n}; exact quarter turn: ${quarter.exact}/${quarter.n} (the rest are upside-down pages left to the engine's angle classifier)`);
  console.log(`  180° called on ${quarter.flipCalled} of the ${items.length * 2} upright/upside-down pages, wrongly on ${quarter.flipWrong}`);
  console.log(`skew, ${items.length} receipts × ±3/7/15° (${skews.n} pages; error against the turn plus the scan's own skew): within 0.5° on ${skews.within05}, mean error ${(skews.sumErr / skews.n).toFixed(2)}°, max ${skews.maxErr.toFixed(2)}° (99 = page also turned by a quarter)`);
  console.log(`turned 90/270/180 and skewed 7° (${combo.n} pages): line family right on ${combo.family}, skew within 0.5° on ${combo.skewOk}, turned the wrong way on ${combo.wrongTurn} (the rest left unturned)`);
  console.log(`analysis time (decode excluded): ${(ms / (quarter.n + skews.n)).toFixed(0)} ms/page`);
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'zakocr-prebench-'));
try {
  if (flag('orientation')) await orientationBench();
  if (!flag('no-degraded')) await degradedBench(tmp);
  if (flag('invoices')) await invoiceBench(tmp);
} finally {
  if (flag('keep')) console.log(`kept ${tmp}`);
  else await rm(tmp, { recursive: true, force: true });
}
