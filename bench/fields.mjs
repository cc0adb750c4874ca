#!/usr/bin/env node
/**
 * Field-extraction benchmark (issue 6).
 *
 *   node bench/fields.mjs                       ground-truth lines only (SROIE box transcripts, invoice2data PDF text)
 *   node bench/fields.mjs --jsonl scan.jsonl    also real OCR: the records of `zakocr scan <sroie>/img --out scan.jsonl`
 *                                               (fields as written by the pipeline, and re-extracted from their lines)
 *   node bench/fields.mjs --run                 runs `node bin/zakocr scan` on the SROIE images first (slow)
 *   options: --json out.json (machine-readable figures), --verbose (every miss), --dataset-root DIR
 *
 * Prints per-field exact match on SROIE (total / date / company, normalised as the acceptance check does, plus a
 * strict variant that also parses "RM 29.70" and "19 MAR 2018"), the invoice2data amount / date / invoice number /
 * currency match rate, and a reliability table (confidence bins vs accuracy). Baseline in the same run: a naive
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

// ---------- normalisation (independent of src/extract, so the scorer does not share the extractor's bugs) ----------
const MONTHS = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
function expectedDate(s) {
  const t = s.trim().toUpperCase();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return iso(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$/.exec(t);
  if (m) return iso(year(m[3]), +m[2], +m[1]);
  m = /^(\d{1,2})[\s-]*([A-Z]{3})[A-Z]*[\s-]*(\d{2,4})$/.exec(t);
  if (m && MONTHS[m[2]]) return iso(year(m[3]), MONTHS[m[2]], +m[1]);
  return null;
}
const year = (y) => (y.length === 2 ? 2000 + +y : +y);
const iso = (y, mo, d) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const money = (s) => { const v = Number(String(s).replace(/[^\d.]/g, '')); return Number.isFinite(v) ? Math.round(v * 100) / 100 : null; };
const normName = (s) => String(s ?? '').normalize('NFC').toUpperCase().replace(/\s+/g, '');
const val = (f) => (f && typeof f === 'object' ? f.value : f);

/** The acceptance check's own comparisons (python3 ../shared/acceptance/extraction), ported. */
function acceptanceHits(fields, key) {
  const num = (x) => { const v = Number(String(x).replace(/,/g, '')); return x === null || x === undefined || x === '' || !Number.isFinite(v) ? null : Math.round(v * 100) / 100; };
  const t = num(val(fields.total)) !== null && num(val(fields.total)) === num(key.total);
  let d = false;
  const got = val(fields.date);
  if (got) {
    const g = String(got).match(/\d+/g) ?? []; const e = key.date.match(/\d+/g) ?? [];
    const parts = (ds) => new Set(ds.map((x) => (x.length === 2 && ds.length === 3 && x === ds[ds.length - 1] ? +x + 2000 : +x)));
    const a = parts(g); const b = parts(e);
    d = a.size === b.size && [...a].every((x) => b.has(x));
  }
  const m = val(fields.merchant);
  const c = Boolean(m) && normName(m) === normName(key.company);
  return { total: t, date: d, company: c };
}

function strictHits(fields, key) {
  const t = val(fields.total);
  const d = val(fields.date);
  return {
    total: t !== undefined && money(key.total) === Math.round(Number(t) * 100) / 100,
    date: d !== undefined && expectedDate(key.date) === d,
    company: normName(val(fields.merchant)) === normName(key.company),
  };
}

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
function sroieLines(csv) {
  return fs.readFileSync(csv, 'utf8').split(/\r?\n/).filter((l) => l.trim()).map((row) => {
    const parts = row.split(',');
    const c = parts.slice(0, 8).map(Number);
    const text = parts.slice(8).join(',');
    const xs = [c[0], c[2], c[4], c[6]]; const ys = [c[1], c[3], c[5], c[7]];
    const x = Math.min(...xs); const y = Math.min(...ys);
    return { text, confidence: 1, engine: 'gt', box: [x, y, Math.max(...xs) - x, Math.max(...ys) - y], quad: [[c[0], c[1]], [c[2], c[3]], [c[4], c[5]], [c[6], c[7]]] };
  });
}

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

// ---------- scoring ----------
const FIELDS = ['total', 'date', 'company'];
const BINS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001];
function newTally() { return { n: 0, acc: { total: 0, date: 0, company: 0 }, strict: { total: 0, date: 0, company: 0 }, rel: [], misses: [], items: { docs: 0, n: 0, sumOk: 0 } }; }
function score(tally, id, fields, key) {
  tally.n += 1;
  const items = fields.lineItems ?? [];
  if (items.length) {
    tally.items.docs += 1;
    tally.items.n += items.length;
    const sum = Math.round(items.reduce((a, i) => a + (i.amount ?? 0), 0) * 100) / 100;
    if ([val(fields.total), val(fields.subtotal)].some((v) => typeof v === 'number' && Math.abs(v - sum) < 0.006)) tally.items.sumOk += 1;
  }
  const a = acceptanceHits(fields, key); const s = strictHits(fields, key);
  for (const f of FIELDS) {
    if (a[f]) tally.acc[f] += 1;
    if (s[f]) tally.strict[f] += 1;
    const fv = fields[f === 'company' ? 'merchant' : f];
    if (fv && typeof fv.confidence === 'number') tally.rel.push({ field: f, c: fv.confidence, ok: s[f] });
    if (!s[f]) tally.misses.push(`${id} ${f}: got ${JSON.stringify(val(fv))} (${fv?.confidence ?? '-'}) want ${JSON.stringify(f === 'company' ? key.company : key[f])}`);
  }
}
const pct = (x, n) => (n ? (100 * x / n).toFixed(1).padStart(5) + '%' : '   - ');
function printTally(name, t, base) {
  console.log(`\n${name}  (n=${t.n}; line items on ${t.items.docs} receipts, ${t.items.n} items, sum = total/subtotal on ${t.items.sumOk})`);
  console.log('  field     acceptance-normalised   strict (currency/month-name aware)   naive baseline (strict)');
  for (const f of FIELDS) {
    console.log(`  ${f.padEnd(8)}  ${pct(t.acc[f], t.n)}                  ${pct(t.strict[f], t.n)}                              ${base ? pct(base.strict[f], base.n) : '   -  '}`);
  }
}
function reliability(name, rel) {
  console.log(`\n  reliability (${name}): confidence bin → fields, accuracy`);
  for (let b = 0; b < BINS.length - 1; b++) {
    const inBin = rel.filter((r) => r.c >= BINS[b] && r.c < BINS[b + 1]);
    const ok = inBin.filter((r) => r.ok).length;
    const per = FIELDS.map((f) => { const x = inBin.filter((r) => r.field === f); return `${f} ${x.filter((r) => r.ok).length}/${x.length}`; }).join(', ');
    console.log(`    [${BINS[b].toFixed(2)}, ${Math.min(1, BINS[b + 1]).toFixed(2)}${b === BINS.length - 2 ? ']' : ')'}  n=${String(inBin.length).padStart(3)}  acc ${pct(ok, inBin.length)}   (${per})`);
  }
  const hi = rel.filter((r) => r.c >= 0.9);
  const hiOk = hi.filter((r) => r.ok).length;
  console.log(`    confidence ≥ 0.90: ${hiOk}/${hi.length} correct = ${pct(hiOk, hi.length)} (goal ≥ 95%)`);
  return { n: hi.length, correct: hiOk };
}

const out = { date: '2026-11-28', sroie: {}, invoice2data: {} };

// (a) ground-truth lines
const gt = newTally(); const gtBase = newTally();
for (const it of manifest) {
  const lines = sroieLines(path.join(sroieDir, it.box_file));
  const meta = await sharp(path.join(sroieDir, it.image)).metadata();
  const r = extractFields({ lines, text: lines.map((l) => l.text).join('\n'), barcodes: [], width: meta.width, height: meta.height, options: opts, now: NOW });
  score(gt, it.id, r.fields, it.fields);
  score(gtBase, it.id, baseline(lines), it.fields);
}
printTally('SROIE — ground-truth lines (extraction errors only)', gt, gtBase);
out.sroie.groundTruth = { n: gt.n, acceptance: gt.acc, strict: gt.strict, baselineStrict: gtBase.strict, lineItems: gt.items, highConfidence: reliability('ground truth', gt.rel) };
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
  const stored = newTally(); const again = newTally(); const ocrBase = newTally();
  let engine = '';
  for (const it of manifest) {
    const r = recs.get(path.basename(it.image));
    if (!r) { score(stored, it.id, {}, it.fields); score(again, it.id, {}, it.fields); score(ocrBase, it.id, {}, it.fields); continue; }
    engine = r.engine?.name ?? engine;
    score(stored, it.id, r.fields ?? {}, it.fields);
    const meta = await sharp(path.join(sroieDir, it.image)).metadata();
    const x = extractFields({ lines: r.lines ?? [], text: r.text ?? '', barcodes: r.barcodes ?? [], width: meta.width, height: meta.height, options: opts, now: NOW });
    score(again, it.id, x.fields, it.fields);
    score(ocrBase, it.id, baseline(r.lines ?? []), it.fields);
  }
  printTally(`SROIE — real OCR, fields as written by the pipeline (engine ${engine}, ${jsonl})`, stored, ocrBase);
  const hiStored = reliability('real OCR, pipeline', stored.rel);
  printTally('SROIE — real OCR lines re-extracted with the current dist/extract', again, ocrBase);
  const hiAgain = reliability('real OCR, re-extracted', again.rel);
  if (verbose) for (const m of again.misses) console.log('    miss', m);
  out.sroie.realOcr = { engine, jsonl, n: stored.n, acceptance: stored.acc, strict: stored.strict, baselineStrict: ocrBase.strict, highConfidence: hiStored, reextracted: { acceptance: again.acc, strict: again.strict, highConfidence: hiAgain } };
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

if (opt('--json')) fs.writeFileSync(opt('--json'), JSON.stringify(out, null, 2));
