import { describe, expect, it } from 'vitest';
import type { OcrLine, RecordBarcode } from '../core/types.js';
import { extractFields, type ExtractInput } from './extract-fields.js';

const now = new Date('2026-11-28T10:00:00Z');
const options = { dateOrder: 'dmy', minFieldConfidence: 0.5 } as ExtractInput['options'];

/** A line at (x, y) with a box sized from its text (10 px per character, `h` high). */
function line(text: string, x: number, y: number, h = 20, confidence = 0.98): OcrLine {
  return { text, confidence, engine: 'test', box: [x, y, Math.max(10, text.length * 10), h] };
}

function run(lines: OcrLine[], width: number, height: number, extra: Partial<ExtractInput> = {}) {
  return extractFields({ lines, text: lines.map((l) => l.text).join('\n'), barcodes: [], width, height, options, now, ...extra });
}

describe('extractFields: receipts', () => {
  // A Dhaka supershop receipt: labels at the left, amounts in a right-hand column (separate boxes).
  const receipt = [
    line('SHWAPNO', 150, 20, 40),
    line('ACI LOGISTICS LIMITED', 90, 70, 24),
    line('BIN: 000123456-0101', 100, 100),
    line('House 12, Road 5, Gulshan 1, Dhaka 1212', 20, 125),
    line('Cash Memo No: SW-204518', 20, 170),
    line('Date: 27/11/2026 18:42', 20, 195),
    line('Item', 20, 240), line('Qty', 250, 240), line('Price', 320, 240), line('Amount', 420, 240),
    line('Miniket Rice 5kg', 20, 270), line('1', 260, 270), line('375.00', 320, 270), line('375.00', 420, 270),
    line('Fresh Milk 1L', 20, 300), line('2', 260, 300), line('95.00', 320, 300), line('190.00', 420, 300),
    line('Sub Total', 20, 340), line('565.00', 420, 340),
    line('VAT 5%', 20, 370), line('28.25', 430, 370),
    line('Rounding', 20, 400), line('-0.25', 430, 400),
    line('Net Payable', 20, 430), line('Tk 593.00', 400, 430),
    line('Cash', 20, 460), line('1,000.00', 400, 460),
    line('Change', 20, 490), line('407.00', 420, 490),
    line('Thank you for shopping', 80, 540),
  ];

  it('reads total, subtotal, tax, merchant, date, number, items, currency', () => {
    const r = run(receipt, 520, 1100);
    expect(r.docType).toBe('receipt');
    expect(r.fields.total).toMatchObject({ value: 593, currency: 'BDT', verified: true });
    expect(r.fields.total!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(r.fields.subtotal?.value).toBe(565);
    expect(r.fields.tax?.value).toBe(28.25);
    expect(r.fields.merchant?.value).toBe('ACI LOGISTICS LIMITED');
    expect(r.fields.date).toMatchObject({ value: '2026-11-27', kind: 'date' });
    expect(r.fields.invoiceNumber?.value).toBe('SW-204518');
    expect(r.fields.currency?.value).toBe('BDT');
    expect(r.fields.lineItems).toEqual([
      expect.objectContaining({ description: 'Miniket Rice 5kg', quantity: 1, unitPrice: 375, amount: 375 }),
      expect.objectContaining({ description: 'Fresh Milk 1L', quantity: 2, unitPrice: 95, amount: 190 }),
    ]);
    expect(r.review).toEqual([]);
  });

  it('flags a total that fails the payment check instead of dropping it', () => {
    const broken = receipt.map((l) => (l.text === '407.00' ? { ...l, text: '400.00' } : l));
    const r = run(broken, 520, 1100);
    expect(r.fields.total?.value).toBe(593);
    expect(r.fields.total?.flags).toContain('payment');
    expect(r.review).toContain('check_failed:payment');
  });

  it('reads a Bengali cash memo with Bengali digits', () => {
    const memo = [
      line('মেসার্স রহিম স্টোর', 100, 20, 36),
      line('১২/ক, কাওরান বাজার, ঢাকা', 90, 70),
      line('ক্যাশ মেমো নং: ৪৫৬', 20, 110),
      line('তারিখ: ১৫/১১/২০২৬', 300, 110),
      line('চাল ৫ কেজি', 20, 160), line('৩৭৫', 400, 160),
      line('ডাল ১ কেজি', 20, 190), line('১২০', 400, 190),
      line('মোট', 20, 240), line('৪৯৫ টাকা', 380, 240),
      line('নগদ', 20, 270), line('৫০০', 400, 270),
      line('ফেরত', 20, 300), line('৫', 420, 300),
      line('ধন্যবাদ', 200, 350),
    ];
    const r = run(memo, 520, 800);
    expect(r.docType).toBe('receipt');
    expect(r.fields.total).toMatchObject({ value: 495, currency: 'BDT' });
    expect(r.fields.total?.flags ?? []).not.toContain('payment');
    expect(r.fields.date?.value).toBe('2026-11-15');
    expect(r.fields.merchant?.value).toBe('মেসার্স রহিম স্টোর');
    expect(r.fields.invoiceNumber?.value).toBe('456');
  });

  it('prefers the total after rounding over the tax summary TOTAL row', () => {
    const lines = [
      line('YONGFATT ENTERPRISE', 90, 20, 26),
      line('(JM0517726)', 170, 50),
      line('NO 122.124 JALAN DEDAP 13', 100, 75),
      line('DATE', 270, 120), line('25/12/2018', 330, 120),
      line('TOTAL SALES (EXCLUDING GST) :', 60, 200), line('80.91', 330, 200),
      line('TOTAL GST :', 200, 225), line('0.00', 340, 225),
      line('ROUNDING', 200, 250), line('-0.01', 335, 250),
      line('TOTAL SALES (INCLUSIVE OF GST) :', 30, 275), line('80.90', 330, 275),
      line('CASH :', 220, 300), line('100.00', 325, 300),
      line('CHANGE :', 210, 325), line('19.10', 335, 325),
      line('GST SUMMARY', 50, 370),
      line('TAX CODE', 55, 400), line('AMT (RM)', 228, 400), line('TAX (RM)', 334, 400),
      line('TOTAL :', 140, 430), line('80.91', 256, 430), line('0.00', 371, 430),
    ];
    const r = run(lines, 450, 1000);
    expect(r.fields.total?.value).toBe(80.9);
    expect(r.fields.total?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(r.fields.merchant?.value).toBe('YONGFATT ENTERPRISE');
    expect(r.fields.date?.value).toBe('2018-12-25');
    expect(r.fields.currency?.value).toBe('MYR');
  });

  it.each([
    ['below their numbers', [
      line('ITEM', 20, 100), line('QTY', 170, 100), line('S/PRICE', 232, 100), line('AMOUNT', 313, 100),
      line('E8318', 20, 125), line('1', 172, 125), line('80.91', 234, 125), line('80.91', 328, 125),
      line('ELEGANT SCHTR BAG 15', 20, 150),
      line('A1002', 20, 175), line('2', 172, 175), line('4.50', 234, 175), line('9.00', 328, 175),
      line('GLUE STICK', 20, 200),
    ]],
    ['above their numbers', [
      line('ELEGANT SCHTR BAG 15', 20, 100),
      line('1 X 80.91', 20, 125), line('80.91', 328, 125),
      line('GLUE STICK', 20, 150),
      line('2 X 4.50', 20, 175), line('9.00', 328, 175),
    ]],
  ])('joins item descriptions printed %s', (_where, rows) => {
    const lines = [
      line('ABC STATIONERY SDN BHD', 20, 20), line('DATE 25/12/2018', 20, 50), ...rows,
      line('TOTAL', 20, 240), line('89.91', 328, 240), line('CASH', 20, 265), line('100.00', 328, 265),
      line('CHANGE', 20, 290), line('10.09', 328, 290),
    ];
    const r = run(lines, 450, 900);
    expect(r.fields.lineItems?.map((i) => [i.description, i.quantity, i.unitPrice, i.amount])).toEqual([
      [expect.stringContaining('ELEGANT SCHTR BAG 15'), 1, 80.91, 80.91],
      [expect.stringContaining('GLUE STICK'), 2, 4.5, 9],
    ]);
    expect(r.fields.total).toMatchObject({ value: 89.91, verified: true });
  });

  it('accepts unprinted cash rounding and a tax printed only in the tax summary', () => {
    const lines = [
      line('SIN THYE & COMPANY', 20, 20), line('DATE 28/02/2016', 20, 50),
      line('SUB-TOTAL', 20, 100), line('103.77', 300, 100),
      line('TAX', 20, 125), line('0.00', 310, 125),
      line('TOTAL', 20, 150), line('110.02', 300, 150),
      line('CASH', 20, 175), line('120.00', 300, 175),
      line('CHANGE', 20, 200), line('10.00', 310, 200),
      line('GST SUMMARY', 20, 300),
      line('TAX TOTAL:', 20, 330), line('6.25', 300, 330),
    ];
    const r = run(lines, 400, 800);
    expect(r.fields.total).toMatchObject({ value: 110.02, verified: true });
    expect(r.fields.tax?.value).toBe(6.25);
    expect(r.review).toEqual([]);
  });

  it('needs review when the total is missing', () => {
    const r = run([line('KEDAI RUNCIT AH SENG', 20, 20), line('DATE 01/11/2026', 20, 50), line('CASH 10.00', 20, 80), line('CHANGE 0.00', 20, 110)], 300, 600);
    expect(r.docType).toBe('receipt');
    expect(r.review).toContain('missing_field:total');
  });

  it('flags a receipt dated in the future', () => {
    const r = run([line('ABC TRADERS', 20, 20), line('Date: 01/01/2031', 20, 50), line('TOTAL 10.00', 20, 80), line('CASH 10.00', 20, 110)], 300, 600);
    expect(r.fields.date?.flags).toContain('future');
    expect(r.review).toContain('check_failed:future');
  });
});

describe('extractFields: invoices', () => {
  it('reads values printed under their column labels and checks subtotal + tax = total', () => {
    const lines = [
      line('Global Wholesaler', 480, 40),
      line('Invoice INV/2023/03/0008', 30, 225, 20),
      line('Invoice Date:', 30, 256), line('Due Date:', 215, 256), line('Reference:', 400, 256),
      line('03/20/2023', 30, 272), line('04/04/2023', 215, 272), line('CUSTREF123', 400, 272),
      line('Description', 32, 311), line('Quantity', 257, 311), line('Unit Price', 332, 311), line('Amount', 526, 311),
      line('Office Chair', 32, 353), line('2.00', 257, 353), line('70.00', 352, 353), line('$ 140.00', 520, 353),
      line('Desk', 32, 390), line('1.00', 257, 390), line('122.90', 352, 390), line('$ 122.90', 520, 390),
      line('Subtotal', 310, 548), line('$ 262.90', 523, 548),
      line('Tax 15% on $ 112.90', 310, 569), line('$ 16.94', 529, 569),
      line('Total', 310, 590), line('$ 279.84', 523, 590),
      line('Payment terms: 15 Days', 30, 634),
      line('IBAN US1234567890', 30, 659),
    ];
    const r = run(lines, 612, 792);
    expect(r.docType).toBe('invoice');
    expect(r.fields.total).toMatchObject({ value: 279.84, currency: 'USD', verified: true });
    expect(r.fields.subtotal?.value).toBe(262.9);
    expect(r.fields.tax?.value).toBe(16.94);
    expect(r.fields.date).toMatchObject({ value: '2023-03-20', kind: 'invoice' });
    expect(r.fields.dates?.map((d) => d.kind)).toEqual(['invoice', 'due']);
    expect(r.fields.invoiceNumber?.value).toBe('INV/2023/03/0008');
    expect(r.fields.lineItems?.map((i) => i.amount)).toEqual([140, 122.9]);
  });

  it('picks the subtotal that adds up when sections print their own subtotals', () => {
    const lines = [
      line('Global Wholesaler', 30, 20),
      line('Invoice No: 7781', 30, 60), line('Invoice Date: 01/11/2026', 300, 60),
      line('Chair', 30, 120), line('$ 112.00', 500, 120),
      line('Subtotal', 400, 145), line('$ 112.00', 500, 145),
      line('Truffles', 30, 170), line('$ 150.90', 500, 170),
      line('Subtotal', 400, 195), line('$ 150.90', 500, 195),
      line('Subtotal', 400, 240), line('$ 262.90', 500, 240),
      line('Tax 15% on $ 112.90', 300, 265), line('$ 16.94', 500, 265),
      line('Total', 400, 290), line('$ 279.84', 500, 290),
    ];
    const r = run(lines, 612, 792);
    expect(r.fields.subtotal?.value).toBe(262.9);
    expect(r.fields.total).toMatchObject({ value: 279.84, verified: true });
    expect(r.review).toEqual([]);
  });

  it('reads European amounts with decimal commas', () => {
    const lines = [
      line('NETPRESSE', 250, 40, 24),
      line('Facture n° 2022089083', 244, 186),
      line('Date : 28/11/2022', 56, 198),
      line('Total HT :', 376, 373), line('46,68 €', 511, 373),
      line('TVA 20% :', 376, 398), line('9,34 €', 516, 398),
      line('Total TTC :', 376, 423), line('56,02 €', 511, 423),
    ];
    const r = run(lines, 595, 842);
    expect(r.fields.total).toMatchObject({ value: 56.02, currency: 'EUR' });
    expect(r.fields.subtotal?.value).toBe(46.68);
    expect(r.fields.invoiceNumber?.value).toBe('2022089083');
    expect(r.fields.date?.value).toBe('2022-11-28');
  });
});

describe('extractFields: labels and price tags', () => {
  const ean: RecordBarcode = { format: 'EAN_13', text: '8941100500017', valid: true, gtin: '08941100500017', box: [10, 300, 200, 80] };

  it('reads a product label: name, net quantity, MRP, MFG/EXP, barcode checked against its digits', () => {
    const lines = [
      line('PRAN', 120, 10, 30),
      line('Premium Chanachur', 60, 50, 44),
      line('Net Wt. 350g', 90, 110),
      line('MRP Tk 120.00', 90, 140),
      line('MFG: 01/11/2026', 20, 180), line('EXP: 30/04/2027', 220, 180),
      line('Ingredients: lentils, peanuts, spices', 20, 210),
      line('8 941100 500017', 40, 390),
    ];
    const r = run(lines, 400, 450, { barcodes: [ean] });
    expect(r.docType).toBe('label');
    expect(r.fields.productName?.value).toBe('Premium Chanachur');
    expect(r.fields.quantity).toMatchObject({ value: 350, unit: 'g' });
    expect(r.fields.price).toMatchObject({ value: 120, currency: 'BDT' });
    expect(r.fields.date).toMatchObject({ value: '2027-04-30', kind: 'expiry' });
    expect(r.fields.dates?.map((d) => `${d.kind}:${d.value}`)).toEqual(['manufactured:2026-11-01', 'expiry:2027-04-30']);
    expect(r.fields.barcode).toMatchObject({ value: '08941100500017', verified: true });
    expect(r.review).toEqual([]);
  });

  it('flags a barcode whose check digit is wrong', () => {
    const r = run([line('Soap 100g', 10, 10)], 300, 300, { barcodes: [{ ...ean, valid: false }] });
    expect(r.fields.barcode?.flags).toContain('check_digit');
  });

  it('reads a shelf price tag with a per-kg price', () => {
    const lines = [
      line('Miniket Rice', 20, 20, 30),
      line('৳ 75/kg', 20, 70, 60),
      line('5 kg bag ৳ 360', 20, 150),
    ];
    const r = run(lines, 400, 250);
    expect(r.docType).toBe('price_tag');
    expect(r.fields.unitPrice).toMatchObject({ value: 75, unit: 'kg', currency: 'BDT' });
    expect(r.fields.price).toMatchObject({ value: 360, currency: 'BDT' });
    expect(r.fields.productName?.value).toBe('Miniket Rice');
  });

  it('reads OCR slips in keywords and units (INV0ICE, per po) and prices a per-piece tag', () => {
    const inv = run([line('INV0ICE No INV-2026-0042', 29, 27), line('Date 28/11/2026', 29, 63), line('Supplier Dhaka Foods Ltd', 29, 97),
      line('Subtotal Tk 1200.00', 28, 132), line('VAT 15% Tk 180.00', 28, 167), line('Total Tk 1380.00', 27, 202)], 400, 260);
    expect(inv.docType).toBe('invoice');
    expect(inv.fields.invoiceNumber?.value).toBe('INV-2026-0042');
    expect(inv.fields.supplier?.value).toBe('Dhaka Foods Ltd');
    const tag = run([line('Lux Soap 100g', 64, 31, 35), line('Tk 55.00 per po', 59, 74, 33)], 340, 130);
    expect(tag.fields.unitPrice).toMatchObject({ value: 55, unit: 'pcs', currency: 'BDT' });
    expect(tag.fields.price).toMatchObject({ value: 55, currency: 'BDT' });
    expect(tag.review).toEqual([]);
  });

  it('returns nothing for an empty page', () => {
    expect(run([], 100, 100)).toEqual({ docType: 'unknown', fields: {}, review: [] });
  });

  it('reads lines without geometry (text only)', () => {
    const r = extractFields({ lines: [], text: 'ABC MART SDN BHD\nDATE 02/03/2019\nTOTAL 12.50\nCASH 20.00\nCHANGE 7.50', barcodes: [], width: 0, height: 0, options, now });
    expect(r.fields.total?.value).toBe(12.5);
    expect(r.fields.merchant?.value).toBe('ABC MART SDN BHD');
  });

  it('honours minFieldConfidence', () => {
    const lines = [line('ABC TRADERS', 20, 20, 20, 0.6), line('Date: 01/11/2026', 20, 50), line('TOTAL 10.00', 20, 80, 20, 0.6), line('CASH 10.00', 20, 110)];
    const strict = extractFields({ lines, text: '', barcodes: [], width: 300, height: 600, options: { ...options, minFieldConfidence: 0.9 }, now });
    expect(strict.review).toEqual(expect.arrayContaining(['low_confidence:total', 'low_confidence:merchant']));
    const lax = extractFields({ lines, text: '', barcodes: [], width: 300, height: 600, options: { ...options, minFieldConfidence: 0.1 }, now });
    expect(lax.review).toEqual([]);
  });
});
