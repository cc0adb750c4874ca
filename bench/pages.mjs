#!/usr/bin/env node
/**
 * Pages of one file in parallel: a multi-page TIFF of SROIE receipts (one receipt per page) scanned with
 * `--concurrency 2`, against the same TIFF at `--concurrency 1` (pages one after the other: what a single multi-page
 * file got before pages shared the run's slots) and against the same receipts as separate files at `-c 2` (the
 * ceiling: file-level parallelism), all in the same run, alternating order over --rounds.
 *
 *   node bench/pages.mjs [--pages 6] [--rounds 2] [--engine auto]
 *
 * Prints wall seconds per variant and the speed-ups; figures go to bench/RESULTS.md. Needs `npm run build`.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { joinTiffPages } from '../fixtures/tiff.mjs';
import { optionReader, sh, timed } from './lib.mjs';

const opt = optionReader(process.argv.slice(2));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sroie = path.resolve(root, '../shared/datasets/sroie-receipts');
const pages = Number(opt('pages', '6'));
const rounds = Number(opt('rounds', '2'));
const engine = opt('engine', 'auto');

const work = await mkdtemp(path.join(os.tmpdir(), 'zakocr-pages-'));
try {
  const rows = (await readFile(path.join(sroie, 'manifest.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).slice(0, pages);
  const separate = path.join(work, 'separate');
  await mkdir(separate);
  const tiffs = [];
  for (const [i, row] of rows.entries()) {
    const tif = await sharp(path.join(sroie, row.image)).greyscale().tiff({ compression: 'lzw' }).toBuffer();
    tiffs.push(tif);
    await writeFile(path.join(separate, `r${String(i).padStart(2, '0')}.tif`), tif);
  }
  const multi = path.join(work, 'multi.tif');
  await writeFile(multi, joinTiffPages(tiffs));
  const variants = {
    'one file, -c 1': `${multi} --concurrency 1`,
    'one file, -c 2': `${multi} --concurrency 2`,
    'separate files, -c 2': `${separate} --concurrency 2`,
  };
  const wall = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(variants);
    for (const name of r % 2 ? names.reverse() : names) {
      const out = path.join(work, `out-${r}-${name.replace(/\W+/g, '-')}.jsonl`);
      const t = await timed(`node ${sh(path.join(root, 'bin/zakocr'))} scan ${variants[name]} --engine ${engine} --no-barcodes --quiet --out ${sh(out)}`, { CI: 'true' });
      if (t.code !== 0 && t.code !== 1) throw new Error(`${name}: exit ${t.code}: ${t.stderr.slice(-300)}`);
      wall[name].push(t.wallS);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, median(v)]));
  for (const [k, v] of Object.entries(wall)) console.log(`${k.padEnd(22)} ${v.map((s) => s.toFixed(1)).join(' / ')} s  (${(pages / m[k]).toFixed(2)} pages/s)`);
  console.log(`pages in parallel: ${(m['one file, -c 1'] / m['one file, -c 2']).toFixed(2)}× the sequential pages; ${(m['separate files, -c 2'] / m['one file, -c 2']).toFixed(2)}× of separate files`);
} finally {
  await rm(work, { recursive: true, force: true });
}
