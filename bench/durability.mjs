#!/usr/bin/env node
/**
 * What durability costs: records/s of `zakocr scan --engine none` over N distinct small images (default 10,000)
 * writing `--out r.jsonl --out r.csv` (record journal, fdatasync per group commit, rebuild at the end), against a
 * baseline in the same run: by default the same build streaming to stdout (`--out -`: no journal, no sync, no
 * rebuild), or with `--before DIR` the CLI of another checkout (e.g. the commit before the journal) writing the same
 * files. Alternating order over --rounds; the best wall time of each and CPU seconds are reported.
 *
 *   node bench/durability.mjs [--files 10000] [--rounds 2] [--before /tmp/zakocr-before]
 *
 * Figures go to bench/RESULTS.md. Needs `npm run build` (and the other checkout built).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { optionReader, sh, timed } from './lib.mjs';

const opt = optionReader(process.argv.slice(2));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = Number(opt('files', '10000'));
const rounds = Number(opt('rounds', '2'));
const before = opt('before', '');

// Cached between runs: rendering 10,000 images takes longer than a scan of them.
const inputs = path.join(os.tmpdir(), `zakocr-bench-durability-${files}`);
if (!existsSync(path.join(inputs, '.complete'))) {
  await mkdir(inputs, { recursive: true });
  for (let i = 0; i < files; i++) {
    const shade = (i * 37) % 200;
    const png = await sharp({ create: { width: 48 + (i % 16), height: 32, channels: 3, background: { r: shade, g: (i >> 8) % 256, b: i % 256 } } }).png().toBuffer();
    await sharp(png).toFile(path.join(inputs, `f${String(i).padStart(5, '0')}.png`));
  }
  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toFile(path.join(inputs, '.complete'));
}

const work = path.join(os.tmpdir(), `zakocr-bench-durability-out-${process.pid}`);
const cli = (dir) => `node ${sh(path.join(dir, 'bin/zakocr'))} scan ${sh(inputs)} --engine none --quiet --concurrency 2`;
const variants = {
  durable: (out) => `${cli(root)} --out ${sh(path.join(out, 'r.jsonl'))} --out ${sh(path.join(out, 'r.csv'))}`,
  ...(before
    ? { before: (out) => `${cli(before)} --out ${sh(path.join(out, 'r.jsonl'))} --out ${sh(path.join(out, 'r.csv'))}` }
    : { 'stdout stream': () => `${cli(root)} --out - > /dev/null` }),
};
const wall = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
try {
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(variants);
    for (const name of r % 2 ? names.reverse() : names) {
      const out = path.join(work, `${r}-${name.replace(/\W+/g, '-')}`);
      await mkdir(out, { recursive: true });
      const t = await timed(variants[name](out), { CI: 'true' });
      if (t.code !== 0 && t.code !== 1) throw new Error(`${name}: exit ${t.code}: ${t.stderr.slice(-300)}`);
      wall[name].push(t.wallS);
      cpu[name].push(t.cpuS);
      await rm(out, { recursive: true, force: true });
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
// Best of the rounds: other load on a shared machine only ever slows a run down. CPU seconds as a second view.
const best = (xs) => Math.min(...xs);
const rate = Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, files / best(v)]));
for (const [k, v] of Object.entries(wall)) {
  console.log(`${k.padEnd(14)} wall ${v.map((s) => s.toFixed(1)).join(' / ')} s, CPU ${cpu[k].map((s) => s.toFixed(1)).join(' / ')} s  (best ${rate[k].toFixed(0)} records/s)`);
}
const base = Object.keys(variants)[1];
console.log(`durable file outputs: ${(rate.durable / rate[base]).toFixed(3)}× the records/s of ${base}, CPU ${(best(cpu[base]) / best(cpu.durable)).toFixed(3)}× (${files} files, --engine none, -c 2)`);
