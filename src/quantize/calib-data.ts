/**
 * Calibration inputs from the development half of the labelled datasets, prepared exactly as the reader prepares
 * them at run time: detector inputs from SROIE receipt pages and Bengali line images (prepareDetInput), recogniser
 * and classifier inputs from the line crops of SROIE boxes and UW-III lines (cropQuad at the model height, a tenth
 * of them turned by 180° as the reader does for lines it reads both ways). Deterministic: files in name order,
 * every n-th box.
 */
import path from 'node:path';
import sharp from 'sharp';
import { splitHalf } from '../bench/split.js';
import { inkBounds } from '../core/ink.js';
import type { PageImage, Quad } from '../core/types.js';
import { readDataset } from '../export/sources/dataset.js';
import { CLS_BATCH, CLS_WIDTH, clsCrop } from '../ocr/paddle/cls.js';
import { type Crop, cropQuad, rotate180 } from '../ocr/paddle/crop.js';
import { prepareDetInput } from '../ocr/paddle/det.js';
import { DET_MARGIN, REC_HEIGHT, REC_MIN_WIDTH } from '../ocr/paddle/reader.js';
import { cropsToTensor } from '../ocr/paddle/tensor.js';
import type { CalibrationInput } from './calibrate.js';

export interface CalibrationSet {
  inputs: CalibrationInput[];
  /** What each input is, for the record: `<dataset>/<file>` or `<dataset>/<file>#<box>`. */
  sources: string[];
}

export interface CalibrationPlan {
  /** ../shared/datasets */
  datasetsRoot: string;
  /** Detector side (ocr.paddle.det.maxSide). */
  detMaxSide: number;
  /** Every n-th SROIE box becomes a line crop. */
  boxStride: number;
  /** Every n-th Bengali line becomes a detector input. */
  bengaliStride: number;
  /** Widest recogniser input; wider crops are left out (the reader splits them). */
  recMaxWidth: number;
}

async function loadPage(file: string): Promise<PageImage> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3, page: null };
}

async function devDocs(root: string, name: string) {
  const docs = await readDataset(path.join(root, name));
  return docs.filter((d) => !d.problem && splitHalf(d.absPath) === 'dev');
}

/** Detector inputs: every development SROIE page, and every n-th development Bengali line. */
export async function detCalibration(plan: CalibrationPlan): Promise<CalibrationSet> {
  const out: CalibrationSet = { inputs: [], sources: [] };
  const sets: [string, number][] = [['sroie-receipts', 1], ['bengali-synthetic-lines', plan.bengaliStride]];
  for (const [name, stride] of sets) {
    const docs = (await devDocs(plan.datasetsRoot, name)).filter((_, i) => i % stride === 0);
    for (const d of docs) {
      const x = await prepareDetInput(await loadPage(d.absPath), plan.detMaxSide, DET_MARGIN);
      out.inputs.push({ data: x.data, dims: [...x.dims] });
      out.sources.push(`${name}/${d.file}`);
    }
  }
  return out;
}

/** Line crops at the recogniser height: every n-th development SROIE box and every development UW-III line. */
export async function lineCrops(plan: CalibrationPlan): Promise<{ crops: Crop[]; sources: string[] }> {
  const crops: Crop[] = [];
  const sources: string[] = [];
  let k = 0;
  const add = (c: Crop, source: string) => {
    if (c.width > plan.recMaxWidth) return;
    const turn = k++ % 10 === 9;
    crops.push(turn ? rotate180(c) : c);
    sources.push(turn ? `${source}@180` : source);
  };
  for (const d of await devDocs(plan.datasetsRoot, 'sroie-receipts')) {
    const lines = d.lines.filter((l) => l.quad && !l.invalid).filter((_, i) => i % plan.boxStride === 0);
    if (!lines.length) continue;
    const page = await loadPage(d.absPath);
    for (const l of lines) add(cropQuad(page, l.quad!, REC_HEIGHT), `sroie-receipts/${d.file}#${l.index}`);
  }
  for (const d of await devDocs(plan.datasetsRoot, 'uw3-printed-lines')) {
    const page = await loadPage(d.absPath);
    const [x, y, w, h] = inkBounds(page) ?? [0, 0, page.width, page.height];
    const q: Quad = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
    add(cropQuad(page, q, REC_HEIGHT), `uw3-printed-lines/${d.file}`);
  }
  return { crops, sources };
}

/** Recogniser inputs: one crop per run, at its own width (as `ocr.paddle.rec.batchSize` 1 does). */
export function recCalibration(lines: { crops: Crop[]; sources: string[] }): CalibrationSet {
  const inputs = lines.crops.map((c) => {
    const t = cropsToTensor([c], Math.max(REC_MIN_WIDTH, c.width));
    return { data: t.data, dims: [...t.dims] };
  });
  return { inputs, sources: lines.sources };
}

/** Classifier inputs: the same crops fitted to 192 columns, in batches of CLS_BATCH. */
export function clsCalibration(lines: { crops: Crop[]; sources: string[] }): CalibrationSet {
  const inputs: CalibrationInput[] = [];
  for (let i = 0; i < lines.crops.length; i += CLS_BATCH) {
    const t = cropsToTensor(lines.crops.slice(i, i + CLS_BATCH).map(clsCrop), CLS_WIDTH);
    inputs.push({ data: t.data, dims: [...t.dims] });
  }
  return { inputs, sources: lines.sources };
}
