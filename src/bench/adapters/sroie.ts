/**
 * ICDAR 2019 SROIE: `img/NNN.jpg`, key fields in `key/NNN.json` ({company, date, address, total}),
 * line boxes in `box/NNN.csv` (`x1,y1,…,x4,y4,transcript`; the transcript may contain commas).
 * The transcripts in file order are the page reference text. They are upper case even where the
 * print is not, so the layout asks for case folding.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, errorMessage } from '../../core/errors.js';
import type { BenchItem } from '../datasets.js';
import { isImageName, naturalCompare, type AdapterResult } from './common.js';

const BOX_COORDS = 8;

/** Transcripts of a SROIE box CSV, in file order. */
export function sroieTranscripts(csv: string): string[] {
  const out: string[] = [];
  for (const raw of csv.split(/\r?\n/u)) {
    if (raw.trim() === '') continue;
    let idx = -1;
    for (let i = 0; i < BOX_COORDS && (idx = raw.indexOf(',', idx + 1)) >= 0; i++);
    if (idx < 0) continue;
    out.push(raw.slice(idx + 1).trim());
  }
  return out;
}

async function readOptional(p: string): Promise<string | null> {
  try {
    return await readFile(p, 'utf8');
  } catch {
    return null;
  }
}

export async function loadSroie(root: string): Promise<AdapterResult> {
  const items: BenchItem[] = [];
  const warnings: string[] = [];
  const images = (await readdir(path.join(root, 'img'))).filter(isImageName).sort(naturalCompare);
  for (const name of images) {
    const stem = name.slice(0, name.length - path.extname(name).length);
    const keyText = await readOptional(path.join(root, 'key', `${stem}.json`));
    const boxText = await readOptional(path.join(root, 'box', `${stem}.csv`));
    if (keyText === null && boxText === null) {
      warnings.push(`img/${name}: neither key/${stem}.json nor box/${stem}.csv; skipped`);
      continue;
    }
    let fields: Record<string, unknown> | undefined;
    if (keyText !== null) {
      try {
        fields = JSON.parse(keyText) as Record<string, unknown>;
      } catch (err) {
        throw new UsageError(`key/${stem}.json: not valid JSON: ${errorMessage(err)}`, { cause: err });
      }
    }
    items.push({
      id: stem,
      images: [path.join(root, 'img', name)],
      docType: 'receipt',
      layout: 'page',
      ...(boxText !== null ? { text: sroieTranscripts(boxText).join('\n') } : {}),
      ...(fields ? { fields } : {}),
    });
  }
  return { items, warnings, compare: { foldCase: true } };
}
