/**
 * The generated European and Bangladeshi receipts (fixtures/receipts.mjs) on their ground-truth lines: every field
 * the generator knows exactly must come out. Seeds beyond the bench's set, so no rule fits a handful of receipts.
 */
import { describe, expect, it } from 'vitest';
import { layoutReceipt, receiptSet, FONTS } from '../../fixtures/receipts.mjs';
import { extractFields, type ExtractInput } from './extract-fields.js';

const now = new Date('2026-11-28T10:00:00Z');
const options = { dateOrder: 'dmy', minFieldConfidence: 0.5 } as ExtractInput['options'];

interface Truth { total: number; date: string; merchant: string; address: string; currency: string }
const receipts = (receiptSet(40, 101) as Array<{ id: string; truth: Truth }>).map((r, k) => {
  const { runs, width, height } = layoutReceipt(r, { font: FONTS[k % FONTS.length], fontSize: 22 + (k % 3) * 2 }) as {
    runs: Array<{ text: string; box: [number, number, number, number] }>; width: number; height: number;
  };
  return { r, runs, width, height };
});

describe('generated receipts, ground-truth lines', () => {
  it.each(receipts.map((x) => [x.r.id, x] as const))('%s', (_id, { r, runs, width, height }) => {
    const lines = runs.map((l) => ({ text: l.text, confidence: 0.97, engine: 'gt', box: l.box }));
    const out = extractFields({ lines, text: lines.map((l) => l.text).join('\n'), barcodes: [], width, height, options, now });
    expect({
      total: out.fields.total?.value,
      date: out.fields.date?.value,
      merchant: out.fields.merchant?.value,
      address: out.fields.address?.value?.replace(/,/g, ''),
      currency: out.fields.currency?.value,
    }).toEqual({ ...r.truth, address: r.truth.address.replace(/,/g, ''), subtotal: undefined, tax: undefined });
  });
});
