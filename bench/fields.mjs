#!/usr/bin/env node
/**
 * Field-extraction benchmark (issue 6).
 *
 *   node bench/fields.mjs                       ground-truth lines only (SROIE box transcripts, invoice2data PDF text)
 *   node bench/fields.mjs --jsonl scan.jsonl    also real OCR: the records of `zakocr scan <sroie>/img --out scan.jsonl`
 *                                               (fields as written by the pipeline, and re-extracted from their lines)
 *   node bench/fields.mjs --run                 runs `node bin/zakocr scan` on the SROIE images first (slow)
 *   node bench/fields.mjs --fixtures DIR [--fixtures-jsonl scan.jsonl]
 *                                               generated receipts (node fixtures/receipts.mjs; default
 *                                               fixtures/generated/receipts when present), ground-truth lines / real OCR
 *   options: --json out.json (machine-readable figures), --verbose (every miss), --dataset-root DIR
 *
 * Prints per-field exact match on SROIE (total / date / company / address, normalised as the acceptance check does, plus a
 * strict variant that also parses "RM 29.70" and "19 MAR 2018"), the invoice2data amount / date / invoice number /
 * currency match rate, the development and check halves (a hash of the file name, dist/bench/split.js) side by
 * side, and a reliability table (confidence bins vs accuracy). Baseline in the same run: a naive
 * extractor (first line = company, first date-looking string, largest number) so the figures read as ratios.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const flag = (name) => args.includes(name);
const datasets = path.resolve(opt('--dataset-root') ?? path.join(root, '..', 'shared', 'datasets'));
const verbose = flag('--verbose');
const NOW = new Date('2026-11-28T00:00:00Z');

const { extractFields } = await import(path.join(root, 'dist', 'extract', 'index.js'));
const sharp = (await import('sharp')).default;
const {
  iso, newTally, score, val, pct, printTally, printHalves, reliability, sroieLines, fixtureManifest, fixtureKey, recordsByName,
} = await import('./field-score.mjs');
const halves = () => ({ dev: newTally(), check: newTally() });
const year = (y) => (y.length === 2 ? 2000 + +y : +y);

// ---------- naive baseline ----------
function baseline(lines) {
  const text = lines.map((l) => l.text);
  const company = text.find((t) => /[A-Z]{3}/.test(t)) ?? '';
  let date;
  for (const t of text) { const m = /(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})/.exec(t); if (m) { date = iso(year(m[3]), +m[2], +m[1]); break; } }
  const nums = text.flatMap((t) => [...t.matchAll(/\d+\.\d{2}(?!\d)/g)].map((m) => +m[0]));
  return { merchant: { value: company }, date: date ? { value: date } : undefined, total: nums.length ? { value: Math.max(...nums) } : undefined };
}

// ---------- inputs ----------
async function pdfLines(file) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), verbosity: 0 }).promise;
  const page = await doc.getPage(1);
  const vp = page.getViewport({ scale: 1 });
  const tc = await page.getTextContent();
  const lines = tc.items.filter((it) => it.str && it.str.trim()).map((it) => {
    const h = Math.hypot(it.transform[2], it.transform[3]) || 10;
    const x = it.transform[4]; const y = vp.height - it.transform[5] - h;
    return { text: it.str, confidence: 1, engine: 'pdf-text', box: [x, y, it.width, h] };
  });
  await doc.destroy();
  return { lines, width: vp.width, height: vp.height };
}

const opts = { dateOrder: 'dmy', minFieldConfidence: 0.5 };
const sroieDir = path.join(datasets, 'sroie-receipts');
const manifest = fs.readFileSync(path.join(sroieDir, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

const out = { date: '2026-11-28', sroie: {}, invoice2data: {} };

// (a) ground-truth lines
const gt = newTally(); const gtBase = newTally(); const gtHalves = halves();
for (const it of manifest) {
  const lines = sroieLines(path.join(sroieDir, it.box_file));
  const meta = await sharp(path.join(sroieDir, it.image)).metadata();
  const r = extractFields({ lines, text: lines.map((l) => l.text).join('\n'), barcodes: [], width: meta.width, height: meta.height, options: opts, now: NOW });
  score(gt, it.id, r.fields, it.fields, gtHalves, it.image);
  score(gtBase, it.id, baseline(lines), it.fields);
}
printTally('SROIE — ground-truth lines (extraction errors only)', gt, gtBase);
printHalves('SROIE ground-truth lines', gtHalves);
out.sroie.groundTruth = {
  n: gt.n, acceptance: gt.acc, strict: gt.strict, baselineStrict: gtBase.strict, lineItems: gt.items, highConfidence: reliability('ground truth', gt.rel),
  halves: { dev: { n: gtHalves.dev.n, strict: gtHalves.dev.strict }, check: { n: gtHalves.check.n, strict: gtHalves.check.strict } },
};
if (verbose) for (const m of gt.misses) console.log('    miss', m);

// (b) real OCR
let jsonl = opt('--jsonl');
if (flag('--run')) {
  jsonl = jsonl ?? path.join(root, 'tmp', 'bench-fields-sroie.jsonl');
  fs.mkdirSync(path.dirname(jsonl), { recursive: true });
  const t0 = Date.now();
  const p = spawnSync('node', [path.join(root, 'bin', 'zakocr'), 'scan', path.join(sroieDir, 'img'), '--out', jsonl, '--force'], { stdio: ['ignore', 'inherit', 'inherit'] });
  console.log(`\nscan exit ${p.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
if (jsonl && fs.existsSync(jsonl)) {
  const recs = new Map(fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((r) => [path.basename(r.file), r]));
  const stored = newTally(); const again = newTally(); const ocrBase = newTally(); const ocrHalves = halves();
  let engine = '';
  for (const it of manifest) {
    const r = recs.get(path.basename(it.image));
    if (!r) { score(stored, it.id, {}, it.fields); score(again, it.id, {}, it.fields); score(ocrBase, it.id, {}, it.fields); continue; }
    engine = r.engine?.name ?? engine;
    score(stored, it.id, r.fields ?? {}, it.fields);
    const meta = await sharp(path.join(sroieDir, it.image)).metadata();
    const x = extractFields({ lines: r.lines ?? [], text: r.text ?? '', barcodes: r.barcodes ?? [], width: meta.width, height: meta.height, options: opts, now: NOW });
    score(again, it.id, x.fields, it.fields, ocrHalves, it.image);
    score(ocrBase, it.id, baseline(r.lines ?? []), it.fields);
  }
  printTally(`SROIE — real OCR, fields as written by the pipeline (engine ${engine}, ${jsonl})`, stored, ocrBase);
  const hiStored = reliability('real OCR, pipeline', stored.rel);
  printTally('SROIE — real OCR lines re-extracted with the current dist/extract', again, ocrBase);
  const hiAgain = reliability('real OCR, re-extracted', again.rel);
  printHalves('SROIE real OCR, re-extracted', ocrHalves);
  if (verbose) for (const m of again.misses) console.log('    miss', m);
  out.sroie.realOcr = { engine, jsonl, n: stored.n, acceptance: stored.acc, strict: stored.strict, baselineStrict: ocrBase.strict, highConfidence: hiStored, reextracted: { acceptance: again.acc, strict: again.strict, highConfidence: hiAgain },
    halves: { dev: { n: ocrHalves.dev.n, strict: ocrHalves.dev.strict }, check: { n: ocrHalves.check.n, strict: ocrHalves.check.strict } } };
}

// (c) invoice2data (PDF text layer)
const invDir = path.join(datasets, 'invoice2data-invoices');
const invItems = fs.readFileSync(path.join(invDir, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const inv = { amount: [0, 0], date: [0, 0], invoice_number: [0, 0], currency: [0, 0] };
console.log('\ninvoice2data — PDF text layer');
for (const it of invItems) {
  const { lines, width, height } = await pdfLines(path.join(invDir, it.pdf));
  const r = extractFields({ lines, text: lines.map((l) => l.text).join('\n'), barcodes: [], width, height, options: { ...opts }, now: NOW });
  const f = r.fields; const k = it.key;
  const row = [];
  const cmp = (name, got, want, ok) => { if (want === undefined) return; inv[name][1] += 1; if (ok) inv[name][0] += 1; row.push(`${name} ${ok ? 'ok' : `MISS got ${JSON.stringify(got)} want ${JSON.stringify(want)}`}`); };
  cmp('amount', val(f.total), k.amount, val(f.total) !== undefined && Math.abs(val(f.total) - k.amount) < 0.005);
  cmp('date', val(f.date), k.date, val(f.date) === k.date);
  cmp('invoice_number', val(f.invoiceNumber), k.invoice_number, val(f.invoiceNumber) === k.invoice_number);
  cmp('currency', val(f.currency), k.currency, val(f.currency) === k.currency);
  console.log(`  ${it.id.padEnd(24)} ${r.docType.padEnd(8)} ${row.join(' · ')}`);
}
for (const [name, [ok, n]] of Object.entries(inv)) console.log(`  ${name.padEnd(15)} ${ok}/${n} = ${pct(ok, n)}`);
out.invoice2data = Object.fromEntries(Object.entries(inv).map(([k, [ok, n]]) => [k, { correct: ok, n }]));

// (d) generated European and Bangladeshi receipts (node fixtures/receipts.mjs): ground-truth lines, and real OCR
const fxDir = path.resolve(opt('--fixtures') ?? path.join(root, 'fixtures', 'generated', 'receipts'));
const fx = fixtureManifest(fxDir);
if (fx) {
  const fxJsonl = opt('--fixtures-jsonl');
  const fxRecs = fxJsonl && fs.existsSync(fxJsonl) ? recordsByName(fxJsonl) : null;
  out.fixtures = {};
  for (const kind of [...new Set(fx.map((m) => m.kind))]) {
    const gtT = newTally(); const ocrT = newTally();
    for (const m of fx.filter((x) => x.kind === kind)) {
      const lines = m.lines.map((l) => ({ text: l.text, confidence: 1, engine: 'gt', box: l.box }));
      const meta = await sharp(path.join(fxDir, m.image)).metadata();
      const r = extractFields({ lines, text: lines.map((l) => l.text).join('\n'), barcodes: [], width: meta.width, height: meta.height, options: opts, now: NOW });
      score(gtT, m.id, r.fields, fixtureKey(m));
      const rec = fxRecs?.get(m.image);
      if (fxRecs) {
        const x = rec ? extractFields({ lines: rec.lines ?? [], text: rec.text ?? '', barcodes: [], width: meta.width, height: meta.height, options: opts, now: NOW }) : { fields: {} };
        score(ocrT, m.id, x.fields, fixtureKey(m));
      }
    }
    printTally(`generated ${kind} receipts — ground-truth lines (${fxDir})`, gtT);
    if (verbose) for (const m of gtT.misses) console.log('    miss', m);
    out.fixtures[kind] = { groundTruth: { n: gtT.n, strict: gtT.strict } };
    if (fxRecs) {
      printTally(`generated ${kind} receipts — real OCR (${fxJsonl}), re-extracted`, ocrT);
      if (verbose) for (const m of ocrT.misses) console.log('    miss', m);
      out.fixtures[kind].realOcr = { n: ocrT.n, strict: ocrT.strict };
    }
  }
}

if (opt('--json')) fs.writeFileSync(opt('--json'), JSON.stringify(out, null, 2));
