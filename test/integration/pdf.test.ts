/**
 * PDF input: born-digital pages give their text layer (exact, positioned, OCR skipped), image-only pages are
 * rasterised for OCR, encrypted/corrupt files fail with their codes, and limits hold. PDFs are written by
 * fixtures/pdf.mjs; the invoice2data set (../shared/datasets) covers real producers.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../src/core/errors.js';
import type { PageImage } from '../../src/core/types.js';
import { decodePdf } from '../../src/decode/pdf.js';
// @ts-expect-error plain ESM generator without type declarations
import { makeBilevelPdf, makeCorruptPdf, makeEncryptedPdf, makeImagePdf, makeTextPdf, makeUnmappedFontPdf } from '../../fixtures/pdf.mjs';
import { readJsonl, repoRoot, runCli, tempDir } from './scan-helpers.js';

const invoices = path.resolve(repoRoot, '../shared/datasets/invoice2data-invoices');
const LIMITS = { maxPixels: 120_000_000, maxPagePixels: 40_000_000, maxPages: 200, dpi: 100 };

async function pages(bytes: Buffer, limits = LIMITS, name = 'test.pdf'): Promise<PageImage[]> {
  const out: PageImage[] = [];
  for await (const p of decodePdf(bytes, { path: name, absPath: name, size: bytes.length }, limits)) out.push(p);
  return out;
}

async function failure(bytes: Buffer, limits = LIMITS): Promise<FileError> {
  try {
    await pages(bytes, limits);
  } catch (err) {
    if (err instanceof FileError) return err;
    throw err;
  }
  throw new Error('expected a FileError');
}

async function scanJpeg(): Promise<Buffer> {
  // A "scan": dark text drawn into a JPEG, no text layer.
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><rect width="100%" height="100%" fill="#fff"/><text x="30" y="110" font-family="DejaVu Sans" font-size="48">SCANNED 42</text></svg>');
  return sharp(svg).flatten({ background: '#fff' }).jpeg().toBuffer();
}

describe('decodePdf', () => {
  it('reads a born-digital page: raster at the DPI plus exact pdf-text lines in reading order', async () => {
    const [p] = await pages(makeTextPdf([['INVOICE 2026-0042', 'Rice 5 kg   Tk 450.00', 'Total Tk 450.00']]));
    // A4 = 595 × 842 pt at 100 dpi.
    expect(p).toMatchObject({ width: 826, height: 1169, channels: 3, page: 0 });
    expect(p.textLayer?.map((l) => l.text)).toEqual(['INVOICE 2026-0042', 'Rice 5 kg Tk 450.00', 'Total Tk 450.00']);
    expect(p.textLayer?.every((l) => l.engine === 'pdf-text' && l.confidence === 1)).toBe(true);
    // First line: 14 pt Helvetica at (72, 72 + 14) pt from the top-left: baseline y = 86 pt = 119.4 px.
    const [x, y, w, h] = p.textLayer![0].box;
    expect(x).toBeCloseTo(100, 0);
    expect(y + h * (0.8 / 1.02)).toBeCloseTo(119.4, 0);
    expect(w).toBeGreaterThan(150);
    // The raster really has ink where the text layer says.
    const at = (px: number, py: number) => p.data[(Math.round(py) * p.width + Math.round(px)) * 3];
    let dark = 0;
    for (let xx = x; xx < x + w; xx += 2) for (let yy = y; yy < y + h; yy += 2) if (at(xx, yy) < 128) dark++;
    expect(dark).toBeGreaterThan(20);
  });

  it('gives one page per PDF page, 0-based', async () => {
    const ps = await pages(makeTextPdf([['Page one'], ['Page two'], ['Page three']]));
    expect(ps.map((p) => [p.page, p.textLayer?.[0]?.text])).toEqual([
      [0, 'Page one'],
      [1, 'Page two'],
      [2, 'Page three'],
    ]);
  });

  it('rasterises an image-only (scanned) page without a text layer', async () => {
    const [p] = await pages(makeImagePdf(await scanJpeg(), 600, 200, { dpi: 150 }));
    expect(p.textLayer).toBeUndefined();
    // 600 px at 150 dpi = 4 in → 400 px at 100 dpi.
    expect([p.width, p.height]).toEqual([400, 133]);
    let dark = 0;
    for (let i = 0; i < p.data.length; i += 3) if (p.data[i] < 100) dark++;
    expect(dark).toBeGreaterThan(500);
  });

  it('OCRs a scan that carries only a stamp of real text', async () => {
    const [p] = await pages(makeImagePdf(await scanJpeg(), 600, 200, { stampText: 'Page 1 of 1' }));
    expect(p.textLayer).toBeUndefined();
  });

  it('lowers the DPI of a page that would exceed maxPagePixels, and says so', async () => {
    const [p] = await pages(makeTextPdf([['big']]), { ...LIMITS, maxPagePixels: 100_000 });
    expect(p.width * p.height).toBeLessThanOrEqual(100_000);
    expect(p.width / p.height).toBeCloseTo(595 / 842, 2);
    expect(p.steps).toEqual(['downscaled:100dpi->32dpi:limits.maxPagePixels=100000']);
  });

  it.each<[string, () => Buffer, Partial<typeof LIMITS>, string, RegExp]>([
    ['encrypted with a user password', () => makeEncryptedPdf('secret'), {}, 'encrypted_pdf', /is encrypted with a password/],
    ['truncated', () => makeCorruptPdf(), {}, 'corrupt_pdf', /is not a readable PDF/],
    ['not a PDF after the header', () => Buffer.from('%PDF-1.7\n' + 'garbage '.repeat(50)), {}, 'corrupt_pdf', /is not a readable PDF/],
    ['more pages than limits.maxPages', () => makeTextPdf([['a'], ['b'], ['c']]), { maxPages: 2 }, 'too_large', /has 3 pages, over the limit of 2 \(limits.maxPages\)/],
  ])('fails a PDF that is %s', async (_n, make, limits, code, message) => {
    const err = await failure(make(), { ...LIMITS, ...limits });
    expect(err.fileCode).toBe(code);
    expect(err.stage).toBe('decode');
    expect(err.message).toMatch(message);
  });

  it('tells how to fix an encrypted PDF', async () => {
    expect((await failure(makeEncryptedPdf('secret'))).hint).toMatch(/qpdf --decrypt/);
  });
});

/** Dark pixels in a box of a page (sampled every other pixel). */
function inkIn(p: PageImage, [x, y, w, h]: [number, number, number, number]): number {
  let dark = 0;
  for (let yy = Math.round(y); yy < y + h; yy += 2) for (let xx = Math.round(x); xx < x + w; xx += 2) if (p.data[(yy * p.width + xx) * 3] < 128) dark++;
  return dark;
}

describe('text layers that are not text', () => {
  it.each([
    ['control', 'control-chars'],
    ['shifted', 'unmapped-font'],
  ])('OCRs a page whose font has no Unicode mapping (%s codes) and says why', async (codes, reason) => {
    const [p] = await pages(makeUnmappedFontPdf(['Phone 0171 555 0101', 'Total Tk 450.00'], { codes }));
    expect(p.textLayer).toBeUndefined();
    expect(p.steps).toEqual([`text-layer-rejected:${reason}`]);
    // The glyphs themselves are painted (the raster is what OCR reads).
    expect(inkIn(p, [90, 90, 500, 90])).toBeGreaterThan(300);
  });

  it('paints the 14 standard fonts from pdfjs-dist, not empty boxes', async () => {
    // With the font files missing every glyph is the same box: "WWWW" would hold as much ink as "iiii".
    const [p] = await pages(makeTextPdf([['iiiiiiii', 'WWWWWWWW']]));
    const lines = p.textLayer!;
    expect(lines.map((l) => l.text)).toEqual(['iiiiiiii', 'WWWWWWWW']);
    expect(inkIn(p, lines[1].box)).toBeGreaterThan(3 * inkIn(p, lines[0].box));
  });
});

describe('pages over the pixel budget', () => {
  const exec = promisify(execFile);
  /** Writes a file with `write(path)` into a temp folder and decodes it in a process of its own. */
  async function decodeInOwnProcess(name: string, write: (file: string) => Promise<unknown>) {
    const dir = await tempDir('budget');
    try {
      const file = path.join(dir, name);
      await write(file);
      return JSON.parse((await exec(process.execPath, [path.join(repoRoot, 'test/helpers/decode-peak.mjs'), file], { maxBuffer: 1 << 20 })).stdout);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('reads a 14,000 × 14,000 px 1-bit poster page within the budget and well under 1 GB', async () => {
    // Black bars at the top and near the bottom, where the last lines of a poster are.
    const ink = (y: number, row: Uint8Array) => {
      if ((y >= 400 && y < 520) || (y >= 13_300 && y < 13_420)) row.fill(0, 50, 1500);
    };
    const out = await decodeInOwnProcess('poster.pdf', (file) => writeFile(file, makeBilevelPdf(14_000, 14_000, { dpi: 300, ink })));
    expect(out.pages).toHaveLength(1);
    const [p] = out.pages;
    expect(p.width * p.height).toBeLessThanOrEqual(40_000_000);
    expect(p.steps).toEqual(['downscaled:200dpi->136dpi:limits.maxPagePixels=40000000']);
    expect(p.dark).toBeGreaterThan(100);
    expect(out.peakRssMb).toBeLessThan(800);
  }, 120_000);

  it('shrinks a 14,000 × 14,000 px 1-bit PNG while decoding it', async () => {
    const out = await decodeInOwnProcess('poster.png', (file) =>
      sharp({ create: { width: 14_000, height: 14_000, channels: 3, background: '#fff' } })
        .composite([{ input: { create: { width: 1500, height: 120, channels: 3, background: '#000' } }, left: 50, top: 13_300 }])
        .png({ palette: true, colours: 2 })
        .toFile(file),
    );
    const [p] = out.pages;
    expect([p.width, p.height]).toEqual([6324, 6324]);
    expect(p.steps).toEqual(['downscaled:14000x14000->6324x6324:limits.maxPagePixels=40000000']);
    expect(p.dark).toBeGreaterThan(100);
    expect(out.peakRssMb).toBeLessThan(800);
  }, 120_000);
});

describe('invoice2data PDFs (real producers)', () => {
  it('every page of every PDF gives its text through the text layer', async () => {
    const manifest = (await readFile(path.join(invoices, 'manifest.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    for (const m of manifest) {
      const ps = await pages(await readFile(path.join(invoices, m.pdf)), { ...LIMITS, dpi: 50 });
      expect(ps.length).toBe(m.renders.length);
      for (const p of ps) expect(p.textLayer?.length ?? 0).toBeGreaterThan(5);
      const text = ps.flatMap((p) => p.textLayer!.map((l) => l.text)).join('\n');
      const number = String(m.key.invoice_number ?? '');
      if (number) expect(text.replace(/\s/g, '')).toContain(number.replace(/\s/g, ''));
    }
  });
});

describe('zakocr scan with PDFs', () => {
  it('one record per page; text-layer pages need no OCR engine; bad PDFs become failed records', async () => {
    const dir = await tempDir('pdf');
    await writeFile(path.join(dir, 'a-text.pdf'), makeTextPdf([['Total Tk 450.00'], ['Second page']]));
    await writeFile(path.join(dir, 'b-encrypted.pdf'), makeEncryptedPdf('secret'));
    await writeFile(path.join(dir, 'c-corrupt.pdf'), makeCorruptPdf());
    const out = path.join(dir, 'r.jsonl');
    const res = await runCli(['scan', dir, '--engine', 'none', '--no-barcodes', '--out', out, '--quiet']);
    expect(res.code).toBe(1);
    const recs = await readJsonl(out);
    // Text pages are read (ok, or needs_review when field extraction wants a person): never failed.
    const rows = recs.map((r) => [path.basename(r.file), r.page, r.status === 'needs_review' ? 'ok' : r.status, r.error?.code ?? null, r.text]);
    expect(rows).toEqual([
      ['a-text.pdf', 0, 'ok', null, 'Total Tk 450.00'],
      ['a-text.pdf', 1, 'ok', null, 'Second page'],
      ['b-encrypted.pdf', null, 'failed', 'encrypted_pdf', ''],
      ['c-corrupt.pdf', null, 'failed', 'corrupt_pdf', ''],
    ]);
    expect(recs[0].lines[0].engine).toBe('pdf-text');
    expect(recs[0].preprocess).toEqual([]);
    expect(recs[0].review.some((r) => r.startsWith('low_quality'))).toBe(false);
    expect((await readdir(dir)).length).toBeGreaterThanOrEqual(4);
  });
});
