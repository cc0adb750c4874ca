/**
 * invoice2data test invoices: `labels/<name>.json` (a JSON array with one object of expected
 * fields) beside `renders/<name>-<page>.png`, `png/<name>.png` or `pdf/<name>.pdf`. Raster renders
 * are preferred so the OCR path is measured (the PDFs carry a text layer that skips OCR); the PDF
 * is used when there is no raster copy.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, errorMessage } from '../../core/errors.js';
import type { BenchItem } from '../datasets.js';
import { naturalCompare, type AdapterResult } from './common.js';

/** The label keys that are printed on the invoice and that extraction can produce. */
export const INVOICE_FIELDS = ['issuer', 'amount', 'amount_untaxed', 'amount_tax', 'date', 'date_due', 'invoice_number', 'currency'] as const;

async function listOr(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

export async function loadInvoice2data(root: string): Promise<AdapterResult> {
  const items: BenchItem[] = [];
  const warnings: string[] = [];
  const renders = (await listOr(path.join(root, 'renders'))).sort(naturalCompare);
  const pngs = new Set(await listOr(path.join(root, 'png')));
  const pdfs = new Set(await listOr(path.join(root, 'pdf')));
  const labels = (await listOr(path.join(root, 'labels'))).filter((n) => n.endsWith('.json')).sort(naturalCompare);
  for (const file of labels) {
    const name = file.slice(0, -'.json'.length);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path.join(root, 'labels', file), 'utf8'));
    } catch (err) {
      throw new UsageError(`labels/${file}: not valid JSON: ${errorMessage(err)}`, { cause: err });
    }
    const label = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
    if (!label || typeof label !== 'object') {
      warnings.push(`labels/${file}: no label object; skipped`);
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const k of INVOICE_FIELDS) if (label[k] !== undefined && label[k] !== null && label[k] !== '') fields[k] = label[k];
    const pages = renders.filter((r) => r.startsWith(`${name}-`) && /^-\d+\.png$/u.test(r.slice(name.length)));
    const images = pages.length
      ? pages.map((r) => path.join(root, 'renders', r))
      : pngs.has(`${name}.png`)
        ? [path.join(root, 'png', `${name}.png`)]
        : pdfs.has(`${name}.pdf`)
          ? [path.join(root, 'pdf', `${name}.pdf`)]
          : [];
    if (images.length === 0) {
      warnings.push(`labels/${file}: no renders/${name}-N.png, png/${name}.png or pdf/${name}.pdf; skipped`);
      continue;
    }
    items.push({ id: name, images, docType: 'invoice', layout: 'page', fields });
  }
  return { items, warnings };
}
