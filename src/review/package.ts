import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { UsageError, errorMessage } from '../core/errors.js';
import type { Logger, PageImage, ZakRecord } from '../core/types.js';
import { replaceDirectory } from '../core/replace-dir.js';
import { recordKey } from '../core/record.js';
import { readRecords } from '../core/record-io.js';
import { ZAKOCR_VERSION } from '../core/version.js';
import { quadFromBox } from '../core/geometry.js';
import { candidatePaths, loadPage, type PageLimits } from '../crop/image.js';
import { cropLine } from '../crop/warp.js';
import {
  REVIEW_CROPS_DIR, REVIEW_CSV_FILE, REVIEW_INDEX_FILE, REVIEW_PACKAGE_SCHEMA, REVIEW_ROWS_FILE,
} from './package-files.js';
import { rowsOfRecord, selectRows, type ReviewRow, type SelectOptions } from './rows.js';
import { formatSheet } from './sheet.js';

/**
 * `zakocr review export`: doubtful lines and fields of scan results → a review package
 * (review.csv + crops + rows.jsonl + review.json). Built in a staging folder and renamed into place.
 */

/** Page previews for field rows without a box are scaled down to this width. */
const PREVIEW_MAX_WIDTH = 1600;

/** Where the records come from: a results file, or rows of the PostgreSQL jobs table. */
export type RecordSource =
  | { kind: 'jsonl'; path: string }
  | { kind: 'pg'; describe: string; records: () => AsyncIterable<ZakRecord> };

export interface ReviewExportOptions {
  source: RecordSource;
  out: string;
  force: boolean;
  select: SelectOptions;
  maxRows: number;
  cropMargin: number;
  imagesRoot?: string;
  limits: PageLimits;
}

export interface ReviewPackageIndex {
  schema: typeof REVIEW_PACKAGE_SCHEMA;
  tool: { name: 'zakocr'; version: string };
  createdAt: string;
  /** Absolute path of the results file, or the redacted PostgreSQL URL. */
  source: { kind: 'jsonl' | 'pg'; path: string };
  select: SelectOptions & { maxRows: number };
  counts: { records: number; recordsWithRows: number; rows: number; lineRows: number; fieldRows: number; rowsDropped: number; missingImages: number };
}

export interface ReviewExportResult {
  out: string;
  index: ReviewPackageIndex;
}

async function prepareFolder(out: string, force: boolean): Promise<string> {
  try {
    const entries = await readdir(out);
    if (entries.length > 0) {
      if (!entries.includes(REVIEW_INDEX_FILE)) throw new UsageError(`--out ${out} is not empty and is not a review package; choose a new or empty folder`);
      if (!force) {
        throw new UsageError(`--out ${out} already holds a review package (its edits and ground truth would be lost)`, {
          hint: 'Import its corrections first, then pass --force to replace it, or choose another folder',
        });
      }
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`Cannot use --out ${out}: ${errorMessage(err)}`);
  }
  const staging = path.join(path.dirname(out), `.${path.basename(out)}.partial-${randomBytes(4).toString('hex')}`);
  await mkdir(path.join(staging, REVIEW_CROPS_DIR), { recursive: true });
  return staging;
}

function png(img: { data: Buffer; width: number; height: number; channels: 1 | 3 | 4 }): Promise<Buffer> {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }).png().toBuffer();
}

/** Writes the crops of one record's rows; sets `row.crop` and `row.image`. Returns false when the image was not usable. */
async function cropRows(rows: ReviewRow[], candidates: string[], staging: string, opts: ReviewExportOptions): Promise<boolean> {
  const first = rows[0];
  const loaded = await loadPage(candidates, first.page, /^[0-9a-f]{64}$/.test(first.sha256) ? first.sha256 : null, opts.limits);
  if (!loaded.ok) return false;
  const page: PageImage = loaded.page;
  let preview: string | null = null;
  for (const row of rows) {
    row.image = loaded.absPath;
    const quad = row.quad ?? (row.box ? quadFromBox(row.box) : null);
    if (quad) {
      try {
        const c = cropLine(page, quad, opts.cropMargin);
        row.crop = `${REVIEW_CROPS_DIR}/${row.rowId}.png`;
        await writeFile(path.join(staging, row.crop), await png(c));
        continue;
      } catch {
        // a degenerate box: fall back to the page preview
      }
    }
    if (!preview) {
      preview = `${REVIEW_CROPS_DIR}/page-${first.sha256.slice(0, 12)}${first.page === null ? '' : `-p${first.page + 1}`}.jpg`;
      const buf = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: page.channels } })
        .resize({ width: Math.min(PREVIEW_MAX_WIDTH, page.width), withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer();
      await writeFile(path.join(staging, preview), buf);
    }
    row.crop = preview;
  }
  return true;
}

/**
 * Builds a review package.
 * @throws UsageError for a bad source or an occupied output folder.
 */
export async function runReviewExport(opts: ReviewExportOptions, log: Logger): Promise<ReviewExportResult> {
  const out = path.resolve(opts.out);
  const all: ReviewRow[] = [];
  let records = 0;
  const iter = opts.source.kind === 'jsonl' ? readRecords(opts.source.path) : opts.source.records();
  // Last record per identity (as in the sinks) and path wins: a re-run appended to the same file replaces the earlier one.
  const byKey = new Map<string, ReviewRow[]>();
  for await (const rec of iter) {
    records++;
    byKey.set(`${recordKey(rec)}|${rec.file}`, rowsOfRecord(rec, opts.select));
  }
  for (const rows of byKey.values()) all.push(...rows);
  const rows = selectRows(all, opts.maxRows);
  const staging = await prepareFolder(out, opts.force);
  let missingImages = 0;
  try {
    const groups = new Map<string, ReviewRow[]>();
    for (const r of rows) {
      const k = `${r.sha256}|${r.page}|${r.file}`;
      const g = groups.get(k) ?? [];
      g.push(r);
      groups.set(k, g);
    }
    const resultsPath = opts.source.kind === 'jsonl' ? opts.source.path : path.join(process.cwd(), 'results.jsonl');
    for (const g of groups.values()) {
      const ok = await cropRows(g, candidatePaths(g[0].file, resultsPath, opts.imagesRoot), staging, opts);
      if (!ok) {
        missingImages++;
        log.warn(`review: no crops for ${g[0].file}: its image was not found or changed since the scan (rows kept without crops)`);
      }
    }
    const index: ReviewPackageIndex = {
      schema: REVIEW_PACKAGE_SCHEMA,
      tool: { name: 'zakocr', version: ZAKOCR_VERSION },
      createdAt: new Date().toISOString(),
      source: opts.source.kind === 'jsonl' ? { kind: 'jsonl', path: path.resolve(opts.source.path) } : { kind: 'pg', path: opts.source.describe },
      select: { ...opts.select, maxRows: opts.maxRows },
      counts: {
        records,
        recordsWithRows: groups.size,
        rows: rows.length,
        lineRows: rows.filter((r) => r.kind === 'line').length,
        fieldRows: rows.filter((r) => r.kind !== 'line').length,
        rowsDropped: all.length - rows.length,
        missingImages,
      },
    };
    await writeFile(path.join(staging, REVIEW_CSV_FILE), formatSheet(rows), 'utf8');
    await writeFile(path.join(staging, REVIEW_ROWS_FILE), rows.map((r) => JSON.stringify(r) + '\n').join(''), 'utf8');
    await writeFile(path.join(staging, REVIEW_INDEX_FILE), JSON.stringify(index, null, 1) + '\n', 'utf8');
    await replaceDirectory(staging, out);
    return { out, index };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
