import { createRequire } from 'node:module';
import path from 'node:path';
import { FileError, errorMessage } from '../core/errors.js';
import type { Box, OcrLine, PageImage, SourceItem } from '../core/types.js';
import { orderLines } from '../layout/index.js';
import { downscaleStep } from './budget.js';
import { judgeTextLayer } from './text-layer.js';
import { type CanvasFactory, POINTS_PER_INCH, type RenderablePage, pageScale, renderRaster } from './pdf-render.js';

/** Engine name of lines read from a PDF's own text layer (exact, no OCR). */
export const PDF_TEXT_ENGINE = 'pdf-text';
/**
 * A page that also paints images is treated as a scan (rasterised and OCRed) unless its text layer has at least
 * this many visible characters: a scan with a one-line stamp or page number must not skip OCR.
 */
export const MIN_TEXT_CHARS_WITH_IMAGES = 40;
/**
 * Runs further apart than this many font sizes stay separate pieces (table cells, a column gutter); the layout
 * (`orderLines`) joins the pieces of one row within a block, and keeps columns apart.
 */
export const RUN_JOIN_GAP = 1.5;
/** Glyph box above and below the baseline, as a fraction of the font size. */
const ASCENT = 0.8;
const DESCENT = 0.22;

/** One positioned run of text from pdf.js, already in page pixels (y down). */
export interface TextRun {
  text: string;
  /** Baseline origin, pixels. */
  x: number;
  y: number;
  /** Advance width along the baseline, pixels. */
  width: number;
  /** Font size, pixels. */
  size: number;
  /** Baseline direction, radians (0 = left to right). */
  angle: number;
  /** pdf.js `hasEOL`: the producer ended the line here. */
  eol: boolean;
  /** The font that drew it (pdf.js `fontName`), for judging the layer font by font. */
  font?: string;
}

/**
 * Groups text runs into lines in reading order: runs on one baseline (same direction, baseline within 40% of the
 * font size, horizontal gap under RUN_JOIN_GAP font sizes) join into one line — with a space where the runs do not touch —
 * and lines are sorted top to bottom, then left to right. Boxes are axis-aligned in page pixels. Pure.
 */
export function runsToLines(runs: TextRun[]): OcrLine[] {
  // Whitespace runs carry no glyphs (some producers emit page-wide ones): spaces are re-inferred from gaps.
  const visible = runs.filter((r) => r.text.trim().length > 0 && r.size > 0);
  type Acc = { runs: TextRun[]; y: number; angle: number; x1: number; size: number };
  const lines: Acc[] = [];
  // Runs arrive in content-stream order; sort by baseline then x so table cells on one row meet.
  const sorted = [...visible].sort((a, b) => (Math.abs(a.y - b.y) > 0.4 * Math.min(a.size, b.size) ? a.y - b.y : a.x - b.x));
  for (const r of sorted) {
    const last = lines.find(
      (l) => Math.abs(l.angle - r.angle) < 0.05 && Math.abs(l.y - r.y) <= 0.4 * Math.min(l.size, r.size) && r.x - l.x1 < RUN_JOIN_GAP * r.size && r.x >= l.x1 - 0.5 * r.size,
    );
    if (last) {
      last.runs.push(r);
      last.x1 = Math.max(last.x1, r.x + r.width);
    } else {
      lines.push({ runs: [r], y: r.y, angle: r.angle, x1: r.x + r.width, size: r.size });
    }
  }
  const out: OcrLine[] = [];
  for (const l of lines) {
    let text = '';
    let prevEnd = -Infinity;
    for (const r of l.runs) {
      if (text && !/\s$/.test(text) && !/^\s/.test(r.text) && r.x - prevEnd > 0.15 * r.size) text += ' ';
      text += r.text;
      prevEnd = Math.max(prevEnd, r.x + r.width);
    }
    text = text.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    out.push({ text, confidence: 1, engine: PDF_TEXT_ENGINE, box: lineBox(l.runs) });
  }
  return out.sort((a, b) => {
    const dy = a.box[1] + a.box[3] - (b.box[1] + b.box[3]);
    return Math.abs(dy) > 0.4 * Math.min(a.box[3], b.box[3]) ? dy : a.box[0] - b.box[0];
  });
}

function lineBox(runs: TextRun[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of runs) {
    const c = Math.cos(r.angle);
    const s = Math.sin(r.angle);
    // Corners of the run's glyph box: along the baseline by width, across by ascent (up = -y) and descent.
    const up = [s * r.size * ASCENT, -c * r.size * ASCENT];
    const down = [-s * r.size * DESCENT, c * r.size * DESCENT];
    const end = [c * r.width, s * r.width];
    for (const [dx, dy] of [up, down, [end[0] + up[0], end[1] + up[1]], [end[0] + down[0], end[1] + down[1]]]) {
      x0 = Math.min(x0, r.x + dx);
      x1 = Math.max(x1, r.x + dx);
      y0 = Math.min(y0, r.y + dy);
      y1 = Math.max(y1, r.y + dy);
    }
  }
  const q = (v: number) => Math.round(v * 10) / 10;
  return [q(x0), q(y0), q(x1 - x0), q(y1 - y0)];
}

// ---- pdf.js plumbing -------------------------------------------------------------------------------------------

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
let pdfjsPromise: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

/**
 * Folders of the fonts, CMaps and decoders that ship inside pdfjs-dist (never fetched from the network), as plain
 * paths: pdf.js reads them in Node with `fs.readFile(base + name)`, which takes a `file://` string for a relative
 * path and fails, and then paints the 14 standard fonts (Helvetica, Times …) as empty boxes.
 */
function assetUrls(): { standardFontDataUrl: string; cMapUrl: string; wasmUrl: string } {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  const folder = (name: string) => path.join(root, name) + path.sep;
  return { standardFontDataUrl: folder('standard_fonts'), cMapUrl: folder('cmaps'), wasmUrl: folder('wasm') };
}

function openError(item: SourceItem, err: unknown): FileError {
  const name = (err as { name?: string } | null)?.name ?? '';
  if (name === 'PasswordException') {
    return new FileError('encrypted_pdf', 'decode', `${item.path} is encrypted with a password; zakocr cannot read it`, {
      cause: err,
      hint: 'Remove the password (e.g. `qpdf --decrypt --password=… in.pdf out.pdf`) and scan the decrypted copy.',
    });
  }
  return new FileError('corrupt_pdf', 'decode', `${item.path} is not a readable PDF: ${errorMessage(err)}`, { cause: err });
}

/** What `decodePdf` needs from the configuration. */
export interface PdfLimits {
  /** More pages → `too_large`. */
  maxPages: number;
  /** Largest embedded image pdf.js may decode, in pixels (larger ones are left out of the page). */
  maxPixels: number;
  /** Largest page raster, in pixels: the DPI is lowered to stay under it. */
  maxPagePixels: number;
  /** Raster DPI. */
  dpi: number;
}

/**
 * PDF → pages, one at a time (at most one rendered page in memory). Every page is rasterised at `limits.dpi`,
 * lowered for a page that would pass `limits.maxPagePixels` (said in the page's `steps`), so barcodes and quality
 * still see pixels; a page whose text layer holds real text also carries it as `textLayer` lines (engine
 * `pdf-text`, exact positions in the raster's pixels), and the pipeline then skips OCR for it. Pages that paint
 * images and carry little text (scans, scans with a stamp) are OCRed. The document is destroyed when the
 * generator ends, fails or is closed early (`return()`).
 * @param bytes the whole file
 * @throws FileError `encrypted_pdf` (a user password is needed), `corrupt_pdf` (unparsable file or page),
 *   `too_large` (more pages than `limits.maxPages`, or a page no canvas can hold)
 */
export async function* decodePdf(bytes: Buffer, item: SourceItem, limits: PdfLimits): AsyncGenerator<PageImage> {
  const pdfjs = await loadPdfJs();
  let doc: PdfDocument;
  const task = pdfjs.getDocument({
    // pdf.js may transfer (detach) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: 0,
    maxImageSize: limits.maxPixels,
    ...assetUrls(),
    cMapPacked: true,
    // pdf.js loads its JBIG2/CCITT and JPEG 2000 WebAssembly decoders once per process, through the message channel
    // of whichever document was opened last; when that document had failed and been destroyed, the request is
    // never answered and every later CCITT, JBIG2 or JPX page of the run waits forever (the "hang after a bad
    // PDF"). The JavaScript decoders need no such channel (JPX's is loaded from wasmUrl as a module).
    useWasm: false,
  });
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw openError(item, err);
  }
  try {
    if (doc.numPages > limits.maxPages) {
      throw new FileError('too_large', 'decode', `${item.path} has ${doc.numPages} pages, over the limit of ${limits.maxPages} (limits.maxPages)`);
    }
    for (let p = 1; p <= doc.numPages; p++) {
      yield await renderPage(pdfjs, doc, p, item, limits);
    }
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

async function renderPage(pdfjs: PdfJs, doc: PdfDocument, pageNumber: number, item: SourceItem, limits: PdfLimits): Promise<PageImage> {
  let page;
  try {
    page = await doc.getPage(pageNumber);
  } catch (err) {
    throw new FileError('corrupt_pdf', 'decode', `${item.path} page ${pageNumber}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    const unit = page.getViewport({ scale: 1 });
    const { scale, downscaled } = pageScale(unit.width, unit.height, limits);
    const steps: string[] = [];
    if (downscaled) steps.push(downscaleStep(`${limits.dpi}dpi`, `${Math.round(scale * POINTS_PER_INCH)}dpi`, limits.maxPagePixels));
    const viewport = page.getViewport({ scale });
    const content = await page.getTextContent();
    const runs: TextRun[] = [];
    let chars = 0;
    for (const it of content.items) {
      if (!('str' in it) || !it.str) continue;
      const m = pdfjs.Util.transform(viewport.transform, it.transform) as number[];
      const size = Math.hypot(m[2], m[3]);
      chars += it.str.replace(/\s/g, '').length;
      runs.push({ text: it.str, x: m[4], y: m[5], width: it.width * scale, size, angle: Math.atan2(m[1], m[0]), eol: it.hasEOL, font: it.fontName });
    }
    const raster = await renderRaster(page as unknown as RenderablePage, doc.canvasFactory as CanvasFactory, scale, item, pageNumber);
    let useText = chars > 0 && (!raster.hasImages || chars >= MIN_TEXT_CHARS_WITH_IMAGES);
    const rejected = useText ? judgeTextLayer(runs.map((r) => ({ text: r.text, font: r.font ?? '' }))) : null;
    if (rejected) {
      // Codes without a Unicode mapping (control characters, "7+%-" for "Phone"): the page is OCRed instead.
      steps.push(`text-layer-rejected:${rejected}`);
      useText = false;
    }
    const out: PageImage = { data: raster.data, width: raster.width, height: raster.height, channels: 3, page: pageNumber - 1 };
    if (steps.length) out.steps = steps;
    if (useText) out.textLayer = orderLines(runsToLines(runs));
    return out;
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw new FileError('corrupt_pdf', 'decode', `${item.path} page ${pageNumber} cannot be read: ${errorMessage(err)}`, { cause: err });
  } finally {
    page.cleanup();
  }
}
