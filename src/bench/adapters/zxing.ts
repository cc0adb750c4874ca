/**
 * zxing blackbox folders: `<format>-<n>/<name>.png` with the exact decoded text in `<name>.txt`
 * (`<name>.metadata.txt` is zxing result metadata, not a label). The folder prefix names the symbology.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BenchItem } from '../datasets.js';
import { isImageName, naturalCompare, type AdapterResult } from './common.js';

/** zxing blackbox folder prefixes → format names used in records. */
export const ZXING_FOLDER_FORMATS: Readonly<Record<string, string>> = {
  ean13: 'EAN_13',
  ean8: 'EAN_8',
  upca: 'UPC_A',
  upce: 'UPC_E',
  code128: 'CODE_128',
  code39: 'CODE_39',
  code93: 'CODE_93',
  itf: 'ITF',
  codabar: 'CODABAR',
  qrcode: 'QR_CODE',
  datamatrix: 'DATA_MATRIX',
  pdf417: 'PDF_417',
  aztec: 'AZTEC',
  rss14: 'DATABAR',
  rssexpanded: 'DATABAR_EXPANDED',
};

const FOLDER = /^([a-z0-9]+)-\d+$/iu;

export async function loadZxing(root: string): Promise<AdapterResult> {
  const items: BenchItem[] = [];
  const warnings: string[] = [];
  const folders = (await readdir(root)).filter((n) => FOLDER.test(n)).sort(naturalCompare);
  for (const folder of folders) {
    const dir = path.join(root, folder);
    if (!(await stat(dir)).isDirectory()) continue;
    const prefix = FOLDER.exec(folder)![1]!.toLowerCase();
    const format = ZXING_FOLDER_FORMATS[prefix];
    if (!format) {
      warnings.push(`${folder}/: unknown zxing folder prefix "${prefix}"; skipped`);
      continue;
    }
    const names = new Set(await readdir(dir));
    for (const name of [...names].sort(naturalCompare)) {
      if (!isImageName(name)) continue;
      const stem = name.slice(0, name.length - path.extname(name).length);
      if (!names.has(`${stem}.txt`)) {
        warnings.push(`${folder}/${name}: no ${stem}.txt label; skipped`);
        continue;
      }
      // The label is the exact payload; the final-newline rule lives in the barcode matcher.
      const text = await readFile(path.join(dir, `${stem}.txt`), 'utf8');
      items.push({
        id: `${folder}/${name}`,
        images: [path.join(dir, name)],
        docType: 'label',
        layout: 'page',
        barcodes: [{ format, text }],
      });
    }
  }
  return { items, warnings };
}
