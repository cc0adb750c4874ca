/**
 * The contract between the barcode reader (passes, votes, boxes) and a symbol decoder library.
 * A decoder reads one greyscale raster synchronously; it knows nothing about retries or records.
 */
import type { BarcodeFormat, Quad } from '../core/types.js';
import type { GrayImage } from './variants.js';

/** Thresholding used to turn grey into bars/modules before decoding. */
export type Binarizer = 'local' | 'global' | 'fixed';

export interface DecodeOptions {
  /** Formats to look for; empty = every format the reader supports by default (`DEFAULT_FORMATS`). */
  formats: readonly BarcodeFormat[];
  binarizer: Binarizer;
  /** Scan lines that must agree on a linear code (zxing-cpp `minLineCount`, default 2). */
  minLineCount: number;
  /** The decoder's own extra effort: denser scanning, 90° rotations, inverted codes, downscaled copies. */
  tryHarder: boolean;
  /** Try 90/180/270° inside the decoder (costly on very large rasters). */
  tryRotate: boolean;
  /** Also return EAN/UPC reads whose check digit fails (flagged `checksumError`). */
  returnErrors: boolean;
}

/** One symbol as the decoder saw it, in the raster's own pixel coordinates. */
export interface RawHit {
  format: BarcodeFormat;
  /** Content text: UPC-A as 12 digits, UPC-E as 8, trailing line feeds removed. */
  text: string;
  /** AIM symbology identifier (`]E0`, `]C1` GS1-128, `]Q3` GS1 QR…); '' when the decoder does not say. */
  symbologyId: string;
  /** Scan lines that agreed on a linear code; null when the decoder does not count them. */
  lineCount: number | null;
  quad: Quad;
  /** An EAN/UPC read whose check digit is wrong (only with `returnErrors`). */
  checksumError?: boolean;
}

export interface Decoder {
  readonly name: string;
  readonly version: string;
  /** Reads every symbol it can find in `img`. Never throws for "nothing found" (returns []). */
  decode(img: GrayImage, opts: DecodeOptions): RawHit[];
  dispose(): void;
}

/** What `barcode.formats: []` means: the product codes of the SPEC plus the common industrial/2D ones. */
export const DEFAULT_FORMATS: readonly BarcodeFormat[] = [
  'EAN_13', 'EAN_8', 'UPC_A', 'UPC_E', 'CODE_128', 'CODE_39', 'ITF', 'QR_CODE', 'DATA_MATRIX',
];

/** Decoded text as records carry it: trailing line feeds dropped (payloads are line-oriented in JSONL/CSV). */
export function trimPayload(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * UPC-A spelling rules shared by decoders: an EAN-13 starting with 0 is the UPC-A in its 13-digit form;
 * report it as UPC-A (12 digits) when UPC-A is wanted, the way zxing and scanners do.
 */
export function retailSpelling(format: BarcodeFormat, text: string, formats: readonly BarcodeFormat[]): { format: BarcodeFormat; text: string } {
  const wantUpcA = formats.length === 0 || formats.includes('UPC_A');
  if (format === 'EAN_13' && wantUpcA && text.length === 13 && text[0] === '0') return { format: 'UPC_A', text: text.slice(1) };
  if (format === 'UPC_A' && text.length === 13 && text[0] === '0') return { format, text: text.slice(1) };
  return { format, text };
}
