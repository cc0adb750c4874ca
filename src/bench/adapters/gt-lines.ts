/**
 * `.gt.txt` line sets (tesstrain, Calamari, OCR-D): `X.gt.txt` holds the text of the image `X.png`,
 * `X.bin.png`, `X.nrm.png`, `X.tif`… (or of `X` itself when X already ends in an image extension,
 * as in `simple.png.gt.txt`). Single-line labels are line crops (layout hint 'line'); multi-line
 * labels are pages.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BenchItem } from '../datasets.js';
import { IMAGE_EXTENSIONS, isImageName, naturalCompare, type AdapterResult } from './common.js';

const GT_SUFFIX = '.gt.txt';
/** Image name infixes of line-image conventions: binarised and normalised variants. */
const VARIANT_INFIXES = ['', '.bin', '.nrm', '.raw'];

/** The image a `.gt.txt` stem labels, among the folder's file names; null when there is none. */
export function pairImage(stem: string, names: ReadonlySet<string>): string | null {
  if (isImageName(stem) && names.has(stem)) return stem;
  for (const infix of VARIANT_INFIXES) {
    for (const ext of IMAGE_EXTENSIONS) {
      if (names.has(`${stem}${infix}${ext}`)) return `${stem}${infix}${ext}`;
    }
  }
  return null;
}

export async function loadGtLines(root: string): Promise<AdapterResult> {
  const all = (await readdir(root, { recursive: true })).map(String).sort(naturalCompare);
  const byDir = new Map<string, Set<string>>();
  for (const rel of all) {
    const dir = path.dirname(rel);
    let set = byDir.get(dir);
    if (!set) byDir.set(dir, (set = new Set()));
    set.add(path.basename(rel));
  }
  const items: BenchItem[] = [];
  const warnings: string[] = [];
  for (const rel of all) {
    if (!rel.endsWith(GT_SUFFIX)) continue;
    const dir = path.dirname(rel);
    const stem = path.basename(rel).slice(0, -GT_SUFFIX.length);
    const image = pairImage(stem, byDir.get(dir)!);
    if (!image) {
      warnings.push(`${rel}: no image named ${stem}.png/.bin.png/.tif/… beside it; skipped`);
      continue;
    }
    // tesstrain files often end with a blank line as well: drop every trailing line break
    const text = (await readFile(path.join(root, rel), 'utf8')).replace(/^\uFEFF/u, '').replace(/(\r?\n)+$/u, '');
    const multiLine = text.includes('\n');
    items.push({
      id: path.join(dir, image),
      images: [path.join(root, dir, image)],
      docType: multiLine ? 'page' : 'line',
      layout: multiLine ? 'page' : 'line',
      text,
    });
  }
  return { items, warnings };
}
