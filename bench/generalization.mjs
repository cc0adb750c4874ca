#!/usr/bin/env node
/**
 * The generalization figures of issue 14 on the development and check halves of every set (a hash of the file
 * name: dist/bench/split.js), so a rule tuned on the first half is seen on files it never saw:
 *
 * - UW-III printed lines upright and turned by 180° through `zakocr scan` (default engine): CER, garbled lines
 *   (edit distance over half the reference, as the acceptance check counts them), lines per engine;
 * - SROIE total / date / company / address through `zakocr scan` (the scan's records, re-extracted with the
 *   current dist/extract as well), strict comparisons of bench/field-score.mjs;
 * - the generated European and Bangladeshi receipts (fixtures/receipts.mjs), when present.
 *
 *   node bench/generalization.mjs [--run] [--uw3-up a.jsonl] [--uw3-r180 b.jsonl] [--sroie c.jsonl]
 *                                 [--fixtures-jsonl d.jsonl] [--out DIR] [--json figures.json]
 *
 * `--run` scans what is not given (into --out, default tmp/generalization/); without it only the given JSONLs are
 * scored. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { optionReader } from './lib.mjs';
import { fixtureKey, fixtureManifest, lev, newTally, pct, recordsByName, score, splitHalf } from './field-score.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const datasets = path.join(root, '..', 'shared', 'datasets');
const args = process.argv.slice(2);
const opt = optionReader(args);
const RUN = args.includes('--run');
const outDir = path.resolve(opt('out', path.join(root, 'tmp', 'generalization')));
const { extractFields } = await import(path.join(root, 'dist', 'extract', 'index.js'));
const NOW = new Date('2026-11-28T00:00:00Z');
const opts = { dateOrder: 'dmy', minFieldConfidence: 0.5 };
const figures = { date: new Date().toISOString().slice(0, 10) };

function scan(dir, out) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const t0 = Date.now();
  const p = spawnSync('node', [path.join(root, 'bin', 'zakocr'), 'scan', dir, '--out', out, '--force'], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`  scanned ${path.relative(root, dir)} → exit ${p.status}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return out;
}

const norm = (s) => String(s ?? '').normalize('NFC').split(/\s+/).filter(Boolean).join(' ');

// ---------- UW-III lines, upright and turned ----------
const uw3 = path.join(datasets, 'uw3-printed-lines');
const lines = fs.readFileSync(path.join(uw3, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
async function turnedCopies() {
  const dirs = { up: path.join(outDir, 'uw3-up'), r180: path.join(outDir, 'uw3-r180') };
  for (const [k, d] of Object.entries(dirs)) {
    fs.mkdirSync(d, { recursive: true });
    for (const it of lines) {
      const src = path.join(uw3, it.image);
      const dst = path.join(d, path.basename(it.image));
      if (!fs.existsSync(dst)) await (k === 'up' ? sharp(src) : sharp(src).rotate(180)).png().toFile(dst);
    }
  }
  return dirs;
}
let upJsonl = opt('uw3-up');
let r180Jsonl = opt('uw3-r180');
if (RUN && (!upJsonl || !r180Jsonl)) {
  const dirs = await turnedCopies();
  upJsonl ??= scan(dirs.up, path.join(outDir, 'uw3-up.jsonl'));
  r180Jsonl ??= scan(dirs.r180, path.join(outDir, 'uw3-r180.jsonl'));
}
figures.uw3 = {};
for (const [name, file] of [['upright', upJsonl], ['turned 180°', r180Jsonl]]) {
  if (!file || !fs.existsSync(file)) continue;
  const recs = recordsByName(file);
  const t = { all: [0, 0, 0, 0], dev: [0, 0, 0, 0], check: [0, 0, 0, 0] };
  const engines = {};
  for (const it of lines) {
    const rec = recs.get(path.basename(it.image));
    const hyp = norm(rec?.text); const ref = norm(it.text);
    const e = lev(hyp, ref);
    for (const h of ['all', splitHalf(it.image)]) {
      t[h][0] += e; t[h][1] += ref.length; t[h][2] += e > 0.5 * ref.length ? 1 : 0; t[h][3] += 1;
    }
    for (const l of rec?.lines ?? []) engines[l.engine] = (engines[l.engine] ?? 0) + 1;
  }
  const row = (h) => `CER ${(100 * t[h][0] / t[h][1]).toFixed(2)}% (${t[h][0]}/${t[h][1]}), ${t[h][2]} garbled of ${t[h][3]}`;
  console.log(`\nUW-III ${name} (${file}): all ${row('all')}\n  dev   ${row('dev')}\n  check ${row('check')}\n  lines by engine ${JSON.stringify(engines)}`);
  figures.uw3[name] = Object.fromEntries(['all', 'dev', 'check'].map((h) => [h, { errors: t[h][0], chars: t[h][1], cer: t[h][0] / t[h][1], garbled: t[h][2], lines: t[h][3] }]));
}

// ---------- SROIE fields ----------
const sroie = path.join(datasets, 'sroie-receipts');
const receipts = fs.readFileSync(path.join(sroie, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
let sroieJsonl = opt('sroie');
if (RUN && !sroieJsonl) sroieJsonl = scan(path.join(sroie, 'img'), path.join(outDir, 'sroie.jsonl'));
function fieldTable(name, tallies) {
  console.log(`\n${name}\n  field      all (n=${tallies.all.n})   dev (n=${tallies.dev.n})   check (n=${tallies.check.n})   check − dev`);
  for (const f of ['total', 'date', 'company', 'address']) {
    const r = (h) => (tallies[h].n ? tallies[h].strict[f] / tallies[h].n : 0);
    console.log(`  ${f.padEnd(9)}  ${pct(tallies.all.strict[f], tallies.all.n)}      ${pct(tallies.dev.strict[f], tallies.dev.n)}      ${pct(tallies.check.strict[f], tallies.check.n)}      ${((r('check') - r('dev')) * 100).toFixed(1)} pt`);
  }
  return Object.fromEntries(Object.entries(tallies).map(([h, t]) => [h, { n: t.n, strict: t.strict }]));
}
if (sroieJsonl && fs.existsSync(sroieJsonl)) {
  const recs = recordsByName(sroieJsonl);
  const stored = { all: newTally(), dev: newTally(), check: newTally() };
  const again = { all: newTally(), dev: newTally(), check: newTally() };
  for (const it of receipts) {
    const rec = recs.get(path.basename(it.image));
    score(stored.all, it.id, rec?.fields ?? {}, it.fields, stored, it.image);
    const meta = await sharp(path.join(sroie, it.image)).metadata();
    const x = rec ? extractFields({ lines: rec.lines ?? [], text: rec.text ?? '', barcodes: [], width: meta.width, height: meta.height, options: opts, now: NOW }) : { fields: {} };
    score(again.all, it.id, x.fields, it.fields, again, it.image);
  }
  figures.sroie = {
    pipeline: fieldTable(`SROIE fields as the scan wrote them (${sroieJsonl})`, stored),
    reextracted: fieldTable('SROIE fields re-extracted from the same lines with the current dist/extract', again),
  };
}

// ---------- generated receipts ----------
const fxDir = path.join(root, 'fixtures', 'generated', 'receipts');
const fx = fixtureManifest(fxDir);
let fxJsonl = opt('fixtures-jsonl');
if (fx && RUN && !fxJsonl) fxJsonl = scan(fxDir, path.join(outDir, 'fixtures.jsonl'));
if (fx && fxJsonl && fs.existsSync(fxJsonl)) {
  const recs = recordsByName(fxJsonl);
  figures.fixtures = {};
  for (const kind of [...new Set(fx.map((m) => m.kind))]) {
    const t = { all: newTally(), dev: newTally(), check: newTally() };
    for (const m of fx.filter((x) => x.kind === kind)) score(t.all, m.id, recs.get(m.image)?.fields ?? {}, fixtureKey(m), t, m.image);
    figures.fixtures[kind] = fieldTable(`generated ${kind} receipts through the scan (${fxJsonl})`, t);
  }
}

if (opt('json')) fs.writeFileSync(opt('json'), JSON.stringify(figures, null, 2));
