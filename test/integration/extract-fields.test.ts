/**
 * Field extraction on real data:
 * - SROIE receipts from their ground-truth line boxes (no OCR: extraction errors only) — accuracy and calibration;
 * - invoice2data PDFs through the real CLI (text layer → fields);
 * - the bundled example images through the real CLI and OCR engine (default engine, no flags but --out).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrLine, ZakRecord } from '../../src/core/types.js';
import { extractFields } from '../../src/extract/extract-fields.js';
import { byBase, examplesDir, readJsonl, repoRoot, runCli, tempDir } from './scan-helpers.js';

const datasets = path.resolve(repoRoot, '../shared/datasets');
const sroieDir = path.join(datasets, 'sroie-receipts');
const invoiceDir = path.join(datasets, 'invoice2data-invoices');
const now = new Date('2026-11-28T00:00:00Z');
const options = { dateOrder: 'dmy', minFieldConfidence: 0.5 } as const;

interface SroieItem { id: string; image: string; box_file: string; fields: { company: string; date: string; total: string } }

function readManifest<T>(dir: string): T[] {
  return readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** SROIE box file → OCR lines with confidence 1 (8 corner coordinates, then the transcript, which may hold commas). */
function boxLines(file: string): OcrLine[] {
  return readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim()).map((row) => {
    const parts = row.split(',');
    const c = parts.slice(0, 8).map(Number);
    const xs = [c[0], c[2], c[4], c[6]];
    const ys = [c[1], c[3], c[5], c[7]];
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return {
      text: parts.slice(8).join(','), confidence: 1, engine: 'gt',
      box: [x, y, Math.max(...xs) - x, Math.max(...ys) - y],
      quad: [[c[0], c[1]], [c[2], c[3]], [c[4], c[5]], [c[6], c[7]]],
    };
  });
}

const MONTHS: Record<string, number> = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
/** The printed SROIE date as ISO, parsed independently of src/extract. */
function isoOf(s: string): string | null {
  const t = s.trim().toUpperCase();
  const y = (v: string) => (v.length === 2 ? 2000 + Number(v) : Number(v));
  const f = (yy: number, m: number, d: number) => `${yy}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return f(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$/.exec(t);
  if (m) return f(y(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\s*([A-Z]{3})[A-Z]*\s*(\d{2,4})$/.exec(t);
  return m && MONTHS[m[2]] ? f(y(m[3]), MONTHS[m[2]], Number(m[1])) : null;
}

const hasSroie = existsSync(path.join(sroieDir, 'manifest.jsonl'));
const hasInvoices = existsSync(path.join(invoiceDir, 'manifest.jsonl'));
if (!hasSroie) console.warn(`extract-fields: ${sroieDir} is missing; the SROIE checks are skipped`);
if (!hasInvoices) console.warn(`extract-fields: ${invoiceDir} is missing; the invoice2data checks are skipped`);

describe.runIf(hasSroie)('SROIE receipts from ground-truth lines', () => {
  const results: Array<{ field: string; ok: boolean; confidence: number }> = [];
  const hits = { total: 0, date: 0, company: 0 };
  let n = 0;

  beforeAll(async () => {
    for (const it of readManifest<SroieItem>(sroieDir)) {
      const lines = boxLines(path.join(sroieDir, it.box_file));
      const meta = await sharp(path.join(sroieDir, it.image)).metadata();
      const r = extractFields({ lines, text: lines.map((l) => l.text).join('\n'), barcodes: [], width: meta.width!, height: meta.height!, options, now });
      const want = it.fields;
      const ok = {
        total: r.fields.total?.value === Math.round(Number(want.total.replace(/[^\d.]/g, '')) * 100) / 100,
        date: r.fields.date?.value === isoOf(want.date),
        company: (r.fields.merchant?.value ?? '').toUpperCase().replace(/\s+/g, '') === want.company.toUpperCase().replace(/\s+/g, ''),
      };
      n += 1;
      for (const f of ['total', 'date', 'company'] as const) {
        if (ok[f]) hits[f] += 1;
        const fv = r.fields[f === 'company' ? 'merchant' : f] as { confidence: number } | undefined;
        if (fv) results.push({ field: f, ok: ok[f], confidence: fv.confidence });
      }
    }
  });

  it('reads total, date and company at the issue’s bar when OCR is perfect', () => {
    expect(n).toBeGreaterThan(0);
    expect(hits.total / n).toBeGreaterThanOrEqual(0.9);
    expect(hits.date / n).toBeGreaterThanOrEqual(0.95);
    expect(hits.company / n).toBeGreaterThanOrEqual(0.85);
  });

  it('is calibrated: fields with confidence ≥ 0.9 are right at least 95% of the time', () => {
    const high = results.filter((r) => r.confidence >= 0.9);
    expect(high.length).toBeGreaterThan(n);
    expect(high.filter((r) => r.ok).length / high.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe.runIf(hasInvoices)('invoice2data PDFs through zakocr scan (text layer)', () => {
  let cwd: string;
  let records: ZakRecord[];

  beforeAll(async () => {
    cwd = await tempDir('extract-inv');
    const out = path.join(cwd, 'inv.jsonl');
    const run = await runCli(['scan', path.join(invoiceDir, 'pdf'), '--out', out], { cwd, timeoutMs: 180_000 });
    expect(run.stderr).not.toMatch(/internal error/);
    records = existsSync(out) ? await readJsonl(out) : [];
  }, 200_000);

  afterAll(async () => {
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('matches amount, date, invoice number and currency of the labels', () => {
    interface Inv { id: string; pdf: string; key: { amount?: number; date?: string; invoice_number?: string; currency?: string } }
    let right = 0;
    let asked = 0;
    for (const it of readManifest<Inv>(invoiceDir)) {
      // The first page of each PDF holds its header and totals.
      const pages = records.filter((x) => path.basename(x.file) === path.basename(it.pdf)).sort((a, b) => (a.page ?? 0) - (b.page ?? 0));
      const r = pages[0];
      expect(r, it.id).toBeDefined();
      const f = r!.fields;
      const checks: Array<[unknown, unknown]> = [
        [f.total?.value, it.key.amount], [f.date?.value, it.key.date], [f.invoiceNumber?.value, it.key.invoice_number], [f.currency?.value, it.key.currency],
      ];
      for (const [got, want] of checks) {
        if (want === undefined) continue;
        asked += 1;
        if (got === want) right += 1;
      }
    }
    expect(asked).toBeGreaterThan(20);
    expect(right / asked).toBeGreaterThanOrEqual(0.9);
  });
});

describe('bundled examples through zakocr scan with the default engine', () => {
  let cwd: string;
  let records: Map<string, ZakRecord>;

  beforeAll(async () => {
    cwd = await tempDir('extract-ex');
    const out = path.join(cwd, 'ex.jsonl');
    const run = await runCli(['scan', examplesDir, '--out', out], { cwd, timeoutMs: 240_000 });
    expect(run.stderr).not.toMatch(/internal error/);
    records = byBase(existsSync(out) ? await readJsonl(out) : []);
  }, 260_000);

  afterAll(async () => {
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('reads the receipt total, currency and merchant', () => {
    const r = records.get('receipt-grocery.png')!;
    expect(r.docType).toBe('receipt');
    expect(r.fields.total).toMatchObject({ value: 930, currency: 'BDT' });
    expect(r.fields.merchant?.value).toBe('ZAKPOS GENERAL STORE');
  });

  it('reads the invoice number, date, subtotal, VAT and total', () => {
    const r = records.get('invoice-header.jpg')!;
    expect(r.docType).toBe('invoice');
    expect(r.fields.invoiceNumber?.value).toBe('INV-2026-0042');
    expect(r.fields.date?.value).toBe('2026-11-28');
    expect(r.fields.subtotal?.value).toBe(1200);
    expect(r.fields.tax?.value).toBe(180);
    expect(r.fields.total).toMatchObject({ value: 1380, currency: 'BDT', verified: true });
  });

  it('reads the label expiry (end of month) and quantity', () => {
    const r = records.get('label-milk.jpg')!;
    expect(r.docType).toBe('label');
    expect(r.fields.date).toMatchObject({ kind: 'expiry', value: '2026-12-31' });
    expect(r.fields.dates?.map((d) => d.kind)).toEqual(['manufactured', 'expiry']);
    expect(r.fields.quantity).toMatchObject({ value: 1, unit: 'l' });
    expect(r.fields.productName?.value).toMatch(/Fresh Milk/);
  });

  it('reads the price tag and the per-piece shelf label', () => {
    expect(records.get('price-tag-sugar.png')!.fields.price).toMatchObject({ value: 140, currency: 'BDT' });
    const soap = records.get('shelf-label-soap.png')!;
    expect(soap.fields.unitPrice).toMatchObject({ value: 55, unit: 'pcs', currency: 'BDT' });
    expect(soap.fields.quantity).toMatchObject({ value: 100, unit: 'g' });
  });

  it('every example has only its own files', () => {
    expect([...records.keys()].sort()).toEqual(readdirSync(examplesDir).filter((f) => !f.endsWith('.gt.txt')).sort());
  });
});
