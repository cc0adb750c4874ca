import path from 'node:path';
import type { Box, PageImage } from '../core/types.js';
import { features, type CropFeatures } from './dedup.js';
import { pixelHash } from './fingerprint.js';
import { loadPage, type PageLimits } from '../crop/image.js';
import { encodePng, greyIfNeutral } from './png.js';
import { assignSplit, type Split, type SplitRatios } from './split.js';
import type { ExportFormat, LineSample, SkipReason } from './types.js';
import { cropLine, type RawImage } from '../crop/warp.js';
import { writerFactories } from './writers.js';

/**
 * The per-document work of an export, self-contained so it can run in a worker thread: load and
 * verify the page, crop every kept line, fingerprint it for de-duplication, encode the PNG and write
 * its files into the staging folder. Names and splits depend only on the line itself, so they are
 * final here; the runner decides duplicates afterwards, in source order, and removes their files.
 */

export interface DocJob {
  file: string;
  candidates: string[];
  page: number | null;
  sha256: string | null;
  lines: Array<{ line: LineSample; label: string }>;
  format: ExportFormat;
  staging: string;
  margin: number;
  /** Near-duplicate checks will run: compute the grey pixels and profiles they need. */
  nearDup: boolean;
  splitBy: 'line' | 'document';
  seed: string;
  ratios: SplitRatios;
  limits: PageLimits;
}

export interface DocLineOut {
  /** Position in `DocJob.lines`. */
  at: number;
  name: string;
  split: Split;
  /** Image path relative to the export root. */
  rel: string;
  /** Every file written for this line (relative), removed again if it turns out to be a duplicate. */
  files: string[];
  box: Box;
  size: [number, number];
  features: CropFeatures;
}

export interface DocOut {
  sha256: string | null;
  lines: DocLineOut[];
  badBoxes: number;
  failure?: { reason: SkipReason; message: string };
}

function safeStem(file: string): string {
  const base = path.basename(file, path.extname(file));
  return (base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'img').slice(0, 48);
}

/** Output name of a line: readable and unique (stem, first hex of the file hash, page, line index). */
export function lineName(file: string, sha256: string, page: number | null, index: number): string {
  const p = page === null ? '' : `_p${page + 1}`;
  return `${safeStem(file)}_${sha256.slice(0, 8)}${p}_l${String(index).padStart(3, '0')}`;
}

/** Stable identity of a line for the split hash: its file, page and box (not its text, which a review may change). */
export function splitKey(sha256: string, page: number | null, line: LineSample, by: 'line' | 'document'): string {
  if (by === 'document') return sha256;
  const q = line.quad ? line.quad.map((p) => `${Math.round(p[0])},${Math.round(p[1])}`).join(';') : 'page';
  return `${sha256}|${page ?? ''}|${q}`;
}

function cropOf(page: PageImage, line: LineSample, margin: number): { crop: RawImage; box: Box } | null {
  if (line.quad === null) {
    return { crop: { data: page.data, width: page.width, height: page.height, channels: page.channels }, box: [0, 0, page.width, page.height] };
  }
  const xs = line.quad.map((p) => p[0]);
  const ys = line.quad.map((p) => p[1]);
  // A box entirely off the page is a labelling error, not a crop of the margin.
  if (Math.max(...xs) <= 0 || Math.max(...ys) <= 0 || Math.min(...xs) >= page.width || Math.min(...ys) >= page.height) return null;
  const crop = cropLine(page, line.quad, margin);
  const x0 = Math.floor(Math.min(...xs));
  const y0 = Math.floor(Math.min(...ys));
  return { crop, box: [x0, y0, Math.ceil(Math.max(...xs)) - x0, Math.ceil(Math.max(...ys)) - y0] };
}

/** Runs one document. Never throws for bad data: a bad file or box is reported in the result. */
export async function runDocJob(job: DocJob): Promise<DocOut> {
  const loaded = await loadPage(job.candidates, job.page, job.sha256, job.limits);
  if (!loaded.ok) return { sha256: job.sha256, lines: [], badBoxes: 0, failure: { reason: loaded.reason, message: loaded.message } };
  const writer = writerFactories[job.format](job.staging);
  const out: DocLineOut[] = [];
  let badBoxes = 0;
  job.lines.forEach(({ line, label }, at) => {
    let c;
    try {
      c = cropOf(loaded.page, line, job.margin);
    } catch {
      c = null;
    }
    if (!c) {
      badBoxes++;
      return;
    }
    const name = lineName(job.file, loaded.sha256, job.page, line.index);
    const split = assignSplit(splitKey(loaded.sha256, job.page, line, job.splitBy), job.seed, job.ratios);
    const rel = writer.imagePath(name, split);
    const png = encodePng(greyIfNeutral(c.crop));
    writer.add({ name, split, label, png });
    out.push({
      at,
      name,
      split,
      rel,
      files: writer.filesOf(name, split),
      box: c.box,
      size: [c.crop.width, c.crop.height],
      features: features(c.crop, pixelHash(c.crop), job.nearDup),
    });
  });
  return { sha256: loaded.sha256, lines: out, badBoxes };
}
