#!/usr/bin/env node
/**
 * Documents, not only receipts: reading order, page memory and text layers, this checkout against a baseline
 * checkout in the same run (the machine is shared: compare within one run).
 *
 *   node bench/documents.mjs [--baseline <checkout with dist/ built>] [--sroie 48] [--only two-column,poster,sroie,invoices]
 *
 * two-column  a generated two-column statement (heading, 2 × 24 lines of 28 px DejaVu Sans, rows aligned across
 *             the columns, a 1 em gutter at its narrowest; the acceptance check's layout): CER against the text in
 *             column order, whitespace folded.
 * poster      a 14,000 × 14,000 px 1-bit page in a PDF (40 lines of 120 px text), `/usr/bin/time -f %M` peak RSS
 *             of the whole scan, and whether its last line is read.
 * sroie       `scan` of the SROIE receipts, CER against the same box transcripts in reading order (rows by centre
 *             line, left to right; case and whitespace folded): row-by-row pages must not regress.
 * invoices    each invoice2data render (150 dpi PNG) scanned, against the same build's text of the invoice's PDF
 *             (its text layer, exact text, laid out by the same build): whether OCR of the picture reads like the
 *             text layer, order included. Not an independent reading-order truth (see bench/RESULTS.md).
 *
 * Every figure is the built CLI (`node bin/zakocr scan <dir> --concurrency 2 --out <tmp>.jsonl`). Needs
 * `npm run build` in both checkouts and DejaVu Sans (fonts-dejavu-core).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { prng } from '../fixtures/degrade.mjs';
import { makeBilevelPdf } from '../fixtures/pdf.mjs';
import { textSvg } from '../fixtures/render.mjs';
import { boxReadingOrder, optionReader, sh, timed } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const datasets = path.resolve(repo, '../shared/datasets');
const args = process.argv.slice(2);
const opt = optionReader(args);
const ONLY = new Set(opt('only', 'two-column,poster,sroie,invoices').split(','));
const SROIE = Number(opt('sroie', 48));
const baseline = opt('baseline', null);
const { aggregateErrors, charErrors } = await import(path.join(repo, 'dist/bench/metrics.js'));

const builds = [...(baseline ? [['baseline', path.resolve(baseline)]] : []), ['this checkout', repo]];
for (const [, root] of builds) if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error(`${root}: run \`npm run build\` first`);

const pct = (x) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)} %`);

async function twoColumnPage(dir) {
  const rnd = prng(11);
  const words = 'stock invoice supplier rice lentils delivery payment balance order quantity packet carton warehouse shelf price discount return credit account monthly weekly district market wholesale retail'.split(' ');
  const para = () => Array.from({ length: 24 }, () => Array.from({ length: 6 }, () => words[Math.floor(rnd() * words.length)]).join(' '));
  const left = para(), right = para();
  const text = (x, y, size, s) => `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="${size}">${s}</text>`;
  const body = [text(120, 125, 48, 'Monthly Supplier Statement'), ...left.map((s, i) => text(120, 248 + i * 46, 28, s)), ...right.map((s, i) => text(900, 248 + i * 46, 28, s))];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1700" height="2200"><rect width="100%" height="100%" fill="#fff"/>${body.join('')}</svg>`;
  await mkdir(dir, { recursive: true });
  await sharp(Buffer.from(svg)).greyscale().png().toFile(path.join(dir, 'two-column.png'));
  return ['Monthly Supplier Statement', ...left, ...right].join('\n');
}

/** 40 lines of 120 px text on a 14,000 px square 1-bit page, each line rendered once and copied into the bits. */
async function posterPdf(dir) {
  const lines = [];
  for (let i = 0; i < 40; i++) {
    const { svg } = textSvg([`Poster line ${i} wholesale price list`], { fontSize: 120 });
    const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
    lines.push({ data, width: info.width, height: info.height, top: 300 + i * 340 });
  }
  const ink = (y, row) => {
    for (const l of lines) {
      if (y < l.top || y >= l.top + l.height) continue;
      const base = (y - l.top) * l.width;
      for (let x = 0; x < l.width && 400 + x < 14_000; x++) if (l.data[base + x] < 128) row[(400 + x) >> 3] &= ~(0x80 >> ((400 + x) & 7));
    }
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'poster.pdf'), makeBilevelPdf(14_000, 14_000, { dpi: 300, ink }));
}

async function scan(root, dir, out, extra = []) {
  const argv = [path.join(root, 'bin/zakocr'), 'scan', dir, '--concurrency', '2', '--out', out, '-q', ...extra];
  const hasTime = existsSync('/usr/bin/time');
  const rss = `${out}.rss`;
  const command = hasTime ? `/usr/bin/time -o ${sh(rss)} -f %M ${[process.execPath, ...argv].map(sh).join(' ')}` : [process.execPath, ...argv].map(sh).join(' ');
  const r = await timed(command, { CI: 'true', NO_COLOR: '1' });
  const records = existsSync(out) ? (await readFile(out, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const peakMb = hasTime && existsSync(rss) ? Math.round(Number(readFileSync(rss, 'utf8').trim().split(/\s+/).pop()) / 1024) : null;
  return { records, wallS: r.wallS, peakMb, exit: r.code };
}

const score = (pairs, foldCase = false) => aggregateErrors(pairs.map(([hyp, ref]) => charErrors(hyp ?? '', ref, { foldWhitespace: true, foldCase }))).rate;

const tmp = await mkdtemp(path.join(os.tmpdir(), 'zakocr-bench-documents-'));
console.log(`bench/documents.mjs ${new Date().toISOString().slice(0, 10)} · load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} · builds: ${builds.map(([n, r]) => `${n} (${r})`).join(', ')}`);
const results = {};
for (const [name, root] of builds) {
  const res = (results[name] = {});
  const base = path.join(tmp, name.replace(/\W/g, '-'));
  if (ONLY.has('two-column')) {
    const dir = path.join(base, 'two-column');
    const ref = await twoColumnPage(dir);
    const r = await scan(root, dir, path.join(base, 'two.jsonl'));
    res.twoColumnCer = score([[r.records[0]?.text, ref]]);
  }
  if (ONLY.has('poster')) {
    const dir = path.join(base, 'poster');
    await posterPdf(dir);
    const r = await scan(root, dir, path.join(base, 'poster.jsonl'));
    const rec = r.records[0] ?? {};
    res.poster = { peakMb: r.peakMb, status: rec.status, lastLine: (rec.text ?? '').includes('Poster line 39'), preprocess: rec.preprocess, wallS: r.wallS };
  }
  if (ONLY.has('sroie')) {
    const root2 = path.join(datasets, 'sroie-receipts');
    const manifest = readFileSync(path.join(root2, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).slice(0, SROIE);
    const dir = path.join(base, 'sroie');
    await mkdir(dir, { recursive: true });
    const refs = new Map();
    for (const m of manifest) {
      await symlink(path.join(root2, m.image), path.join(dir, path.basename(m.image)));
      refs.set(path.basename(m.image), boxReadingOrder(readFileSync(path.join(root2, m.box_file), 'utf8')));
    }
    const r = await scan(root, dir, path.join(base, 'sroie.jsonl'));
    const texts = new Map(r.records.map((rec) => [path.basename(rec.file), rec.text]));
    res.sroieReadingOrderCer = score([...refs].map(([f, ref]) => [texts.get(f), ref]), true);
    res.sroieWallS = r.wallS;
  }
  if (ONLY.has('invoices')) {
    const root3 = path.join(datasets, 'invoice2data-invoices');
    const manifest = readFileSync(path.join(root3, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const pdfs = path.join(base, 'pdf'), renders = path.join(base, 'renders');
    await mkdir(pdfs, { recursive: true });
    await mkdir(renders, { recursive: true });
    for (const m of manifest) {
      await symlink(path.join(root3, m.pdf), path.join(pdfs, path.basename(m.pdf)));
      for (const r of m.renders) await symlink(path.join(root3, r), path.join(renders, path.basename(r)));
    }
    const layer = await scan(root, pdfs, path.join(base, 'pdf.jsonl'));
    const ocr = await scan(root, renders, path.join(base, 'renders.jsonl'));
    const layerText = new Map(layer.records.map((rec) => [`${path.basename(rec.file, '.pdf')}-${(rec.page ?? 0) + 1}.png`, rec.text]));
    const pairs = ocr.records.map((rec) => [rec.text, layerText.get(path.basename(rec.file)) ?? '']);
    res.invoicesRenderVsTextLayerCer = score(pairs);
    res.invoicesPerPage = Object.fromEntries(ocr.records.map((rec, i) => [path.basename(rec.file), score([pairs[i]])]));
  }
}

console.log('\nfigure'.padEnd(52) + builds.map(([n]) => n.padStart(16)).join(''));
const row = (label, f) => console.log(label.padEnd(51) + builds.map(([n]) => String(f(results[n]) ?? 'n/a').padStart(16)).join(''));
if (ONLY.has('two-column')) row('two-column page CER (column order)', (r) => pct(r.twoColumnCer));
if (ONLY.has('poster')) {
  row('poster 14,000² 1-bit PDF: peak RSS (MB)', (r) => r.poster.peakMb);
  row('poster: last line read', (r) => r.poster.lastLine);
}
if (ONLY.has('sroie')) row(`SROIE (${SROIE}) CER vs boxes in reading order`, (r) => pct(r.sroieReadingOrderCer));
if (ONLY.has('invoices')) {
  row('invoice2data renders vs text layer, CER', (r) => pct(r.invoicesRenderVsTextLayerCer));
  for (const page of Object.keys(results['this checkout'].invoicesPerPage ?? {})) row(`  ${page}`, (r) => pct(r.invoicesPerPage?.[page]));
}
console.log(JSON.stringify({ bench: 'documents', date: new Date().toISOString().slice(0, 10), loadavg: os.loadavg(), results }));
if (!args.includes('--keep')) await rm(tmp, { recursive: true, force: true });
