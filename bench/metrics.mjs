#!/usr/bin/env node
/**
 * Speed and agreement of the shared metric code (src/bench/metrics.ts, issue 8).
 *
 *   node bench/metrics.mjs [--rounds N] [--dataset-root DIR]
 *
 * References: the 48 SROIE receipts' page texts (box transcripts joined) and the 150 Bengali lines. Hypotheses: the
 * same texts with deterministic OCR-like damage (a substitution every 17 characters, a deletion every 29, an
 * insertion every 41). Baseline in the same run: the textbook two-row Levenshtein over code-point arrays (what
 * ../shared/acceptance/lib/zk.py does), on the same pairs. Prints time per page for
 *   levenshtein()           distance only, code points
 *   cer({unit:'codepoint'}) alignment with ins/del/sub counts, code points
 *   cer()                   alignment on NFC grapheme clusters (the bench default)
 * as ratios to the baseline, and checks that the code-point distances equal the baseline's exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const datasets = path.resolve(opt('--dataset-root') ?? path.join(root, '..', 'shared', 'datasets'));
const rounds = Number(opt('--rounds') ?? 3);

const { levenshtein, cer, charErrors } = await import(path.join(root, 'dist', 'bench', 'metrics.js'));
const { loadDataset } = await import(path.join(root, 'dist', 'bench', 'datasets.js'));

function damage(text) {
  const cps = Array.from(text);
  const out = [];
  cps.forEach((c, i) => {
    if (i % 41 === 40) out.push('#');
    if (i % 29 === 28) return;
    out.push(i % 17 === 16 ? (c === 'x' ? 'y' : 'x') : c);
  });
  return out.join('');
}

function naive(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[y.length];
}

function time(fn, pairs) {
  let best = Infinity;
  let out;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    out = pairs.map(([h, ref]) => fn(h, ref));
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, out };
}

for (const [name, label] of [['sroie-receipts', 'SROIE pages'], ['bengali-synthetic-lines', 'Bengali lines']]) {
  const dir = path.join(datasets, name);
  if (!fs.existsSync(dir)) { console.log(`${label}: ${dir} missing, skipped`); continue; }
  const ds = await loadDataset(dir);
  const pairs = ds.items.map((i) => [damage(i.text.normalize('NFC')), i.text.normalize('NFC')]);
  const chars = pairs.reduce((n, [, r]) => n + Array.from(r).length, 0);
  const base = time(naive, pairs);
  const lev = time(levenshtein, pairs);
  const cp = time((h, r) => cer(h, r, { unit: 'codepoint' }), pairs);
  const gr = time((h, r) => cer(h, r), pairs);
  const agree = lev.out.every((d, i) => d === base.out[i]) &&
    pairs.every(([h, r], i) => charErrors(h, r, { unit: 'codepoint' }).edits === base.out[i]);
  const per = (t) => `${(t.ms / pairs.length).toFixed(3)} ms/item`;
  console.log(`${label}: ${pairs.length} items, ${chars} reference code points, best of ${rounds}`);
  console.log(`  baseline naive DP            ${per(base)}`);
  console.log(`  levenshtein()                ${per(lev)}  (${(base.ms / lev.ms).toFixed(2)}× baseline speed)`);
  console.log(`  cer() code points + counts   ${per(cp)}  (${(base.ms / cp.ms).toFixed(2)}× baseline speed)`);
  console.log(`  cer() graphemes + counts     ${per(gr)}  (${(base.ms / gr.ms).toFixed(2)}× baseline speed)`);
  console.log(`  code-point distances equal to the baseline on every item: ${agree}`);
}
