#!/usr/bin/env node
/**
 * Decodes one file with the built decoder (dist/) in a fresh process and prints its pages' sizes and steps, and
 * the process's peak RSS: memory tests need a process of their own (vitest's workers share one).
 *
 *   node test/helpers/decode-peak.mjs <file> [maxPagePixels]
 */
import { readFile } from 'node:fs/promises';
import { decodeInput } from '../../dist/decode/index.js';

const [file, budget] = process.argv.slice(2);
const bytes = await readFile(file);
const limits = { maxPixels: 600_000_000, maxPagePixels: Number(budget ?? 40_000_000), maxPages: 10, pdfDpi: 200 };
const decoded = await decodeInput(bytes, { path: file, absPath: file, size: bytes.length }, limits);
const pages = [];
for await (const p of decoded.pages) {
  let dark = 0;
  for (let i = 0; i < p.data.length; i += p.channels * 97) if (p.data[i] < 128) dark++;
  pages.push({ width: p.width, height: p.height, steps: p.steps ?? [], dark });
}
console.log(JSON.stringify({ pages, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
