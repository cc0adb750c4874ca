/**
 * @zxing/library (the TypeScript port of Java zxing) behind the same `Decoder` contract, selectable with
 * `barcode.decoder: zxing-js`. Kept as the pure-JS alternative and as the baseline in bench/barcodes.mjs;
 * zxing-wasm is the default because it finds more codes, several per image, in a fraction of the time
 * (numbers in bench/RESULTS.md).
 *
 * Limits of the port, visible in results: one symbol per call (no multi-reader in the JS port), no
 * AIM symbology identifier (GS1-128 is recognised only from bracketed text), no scan-line count.
 */
import { createRequire } from 'node:module';
import type * as ZX from '@zxing/library';
import type { BarcodeFormat, Quad } from '../core/types.js';
import type { Decoder, DecodeOptions, RawHit } from './decoder.js';
import { DEFAULT_FORMATS, retailSpelling, trimPayload } from './decoder.js';
import type { GrayImage } from './variants.js';

// The package has no `exports` map; its CommonJS build is the reliable entry from ESM.
const Z = createRequire(import.meta.url)('@zxing/library') as typeof ZX;

const TO_JS: Partial<Record<BarcodeFormat, ZX.BarcodeFormat>> = {
  EAN_13: Z.BarcodeFormat.EAN_13, EAN_8: Z.BarcodeFormat.EAN_8, UPC_A: Z.BarcodeFormat.UPC_A, UPC_E: Z.BarcodeFormat.UPC_E,
  CODE_128: Z.BarcodeFormat.CODE_128, CODE_39: Z.BarcodeFormat.CODE_39, CODE_93: Z.BarcodeFormat.CODE_93,
  ITF: Z.BarcodeFormat.ITF, CODABAR: Z.BarcodeFormat.CODABAR, QR_CODE: Z.BarcodeFormat.QR_CODE,
  DATA_MATRIX: Z.BarcodeFormat.DATA_MATRIX, PDF_417: Z.BarcodeFormat.PDF_417, AZTEC: Z.BarcodeFormat.AZTEC,
  DATABAR: Z.BarcodeFormat.RSS_14, DATABAR_EXPANDED: Z.BarcodeFormat.RSS_EXPANDED,
};

const FROM_JS = new Map<ZX.BarcodeFormat, BarcodeFormat>(
  Object.entries(TO_JS).map(([k, v]) => [v as ZX.BarcodeFormat, k as BarcodeFormat]),
);

/** Exceptions the port throws for "no symbol here" (normal, not errors). */
function isMiss(err: unknown): boolean {
  return err instanceof Z.NotFoundException || err instanceof Z.ChecksumException || err instanceof Z.FormatException;
}

export class ZxingJsDecoder implements Decoder {
  readonly name = 'zxing-js';
  readonly version: string;
  private readonly readers = new Map<string, ZX.MultiFormatReader>();

  constructor() {
    const pkg = createRequire(import.meta.url)('@zxing/library/package.json') as { version: string };
    this.version = pkg.version;
  }

  private reader(o: DecodeOptions): ZX.MultiFormatReader {
    const key = `${o.formats.join(',')}|${o.tryHarder}`;
    let r = this.readers.get(key);
    if (!r) {
      const hints = new Map<ZX.DecodeHintType, unknown>();
      const formats = (o.formats.length ? o.formats : DEFAULT_FORMATS).map((f) => TO_JS[f]).filter((f) => f !== undefined);
      hints.set(Z.DecodeHintType.POSSIBLE_FORMATS, formats);
      if (o.tryHarder) hints.set(Z.DecodeHintType.TRY_HARDER, true);
      r = new Z.MultiFormatReader();
      r.setHints(hints);
      this.readers.set(key, r);
    }
    return r;
  }

  decode(img: GrayImage, o: DecodeOptions): RawHit[] {
    const lum = new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.width * img.height);
    const source = new Z.RGBLuminanceSource(lum, img.width, img.height);
    const binarizer = o.binarizer === 'local' ? new Z.HybridBinarizer(source) : new Z.GlobalHistogramBinarizer(source);
    let result: ZX.Result;
    try {
      result = this.reader(o).decodeWithState(new Z.BinaryBitmap(binarizer));
    } catch (err) {
      if (isMiss(err)) return [];
      throw err;
    }
    const format = FROM_JS.get(result.getBarcodeFormat()) ?? 'OTHER';
    const spelled = retailSpelling(format, trimPayload(result.getText()), o.formats);
    return [{ ...spelled, symbologyId: '', lineCount: null, quad: quadOf(result.getResultPoints()) }];
  }

  dispose(): void {
    this.readers.clear();
  }
}

/** Result points (2 for linear codes, 3-4 for 2D) → the quad of their bounding box. */
function quadOf(points: ZX.ResultPoint[]): Quad {
  const xs = points.map((p) => p.getX());
  const ys = points.map((p) => p.getY());
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 0;
  const y0 = ys.length ? Math.min(...ys) : 0;
  const y1 = ys.length ? Math.max(...ys) : 0;
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
}
