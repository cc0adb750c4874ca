/**
 * zxing-cpp compiled to WebAssembly (npm `zxing-wasm`), fed straight from the greyscale buffer.
 *
 * Loading: zxing-wasm's default `locateFile` fetches the .wasm from a CDN. zakocr is offline, so the binary
 * is read from `node_modules/zxing-wasm/dist/reader/zxing_reader.wasm`, checked against the SHA-256 the
 * package ships (`ZXING_WASM_SHA256`), and handed to Emscripten as `wasmBinary` — no network, ever.
 *
 * Decoding: the module's `readBarcodesFromPixmap(ptr, w, h, opts)` reads an 8-bit luminance buffer.
 * The package's own `readBarcodes(ImageData)` wants RGBA and converts it back to grey in JS; calling the
 * module directly skips that copy (the page is already grey).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { BarcodeFormat, Quad } from '../core/types.js';
import { MissingResourceError, errorMessage } from '../core/errors.js';
import type { Decoder, DecodeOptions, RawHit } from './decoder.js';
import { DEFAULT_FORMATS, retailSpelling, trimPayload } from './decoder.js';
import type { GrayImage } from './variants.js';

type ZxingReaderModule = import('zxing-wasm/reader').ZXingReaderModule;
type ZxingReaderOptions = import('zxing-wasm/reader').ZXingReaderOptions;
type ZxingReadResult = import('zxing-wasm/reader').ZXingReadResult;

/** zakocr format → zxing-cpp format names. */
const TO_ZXING: Record<Exclude<BarcodeFormat, 'OTHER'>, string[]> = {
  EAN_13: ['EAN13'], EAN_8: ['EAN8'], UPC_A: ['UPCA'], UPC_E: ['UPCE'],
  CODE_128: ['Code128'], CODE_39: ['Code39'], CODE_93: ['Code93'], ITF: ['ITF'], CODABAR: ['Codabar'],
  QR_CODE: ['QRCode', 'MicroQRCode', 'RMQRCode'], DATA_MATRIX: ['DataMatrix'], PDF_417: ['PDF417'],
  AZTEC: ['Aztec'], DATABAR: ['DataBar', 'DataBarLtd'], DATABAR_EXPANDED: ['DataBarExp'],
};

/** zxing-cpp format names (including variants it reports) → zakocr format. */
const FROM_ZXING: Record<string, BarcodeFormat> = {
  EAN13: 'EAN_13', EAN8: 'EAN_8', UPCA: 'UPC_A', UPCE: 'UPC_E', ISBN: 'EAN_13',
  Code128: 'CODE_128', Code39: 'CODE_39', Code39Std: 'CODE_39', Code39Ext: 'CODE_39', Code32: 'CODE_39', PZN: 'CODE_39',
  Code93: 'CODE_93', ITF: 'ITF', ITF14: 'ITF', Codabar: 'CODABAR',
  QRCode: 'QR_CODE', QRCodeModel1: 'QR_CODE', QRCodeModel2: 'QR_CODE', MicroQRCode: 'QR_CODE', RMQRCode: 'QR_CODE',
  DataMatrix: 'DATA_MATRIX', PDF417: 'PDF_417', CompactPDF417: 'PDF_417', MicroPDF417: 'PDF_417',
  Aztec: 'AZTEC', AztecCode: 'AZTEC', AztecRune: 'AZTEC',
  DataBar: 'DATABAR', DataBarOmni: 'DATABAR', DataBarStk: 'DATABAR', DataBarStkOmni: 'DATABAR', DataBarLtd: 'DATABAR',
  DataBarExp: 'DATABAR_EXPANDED', DataBarExpStk: 'DATABAR_EXPANDED',
};

const BINARIZER_NAMES = { local: 'LocalAverage', global: 'GlobalHistogram', fixed: 'FixedThreshold' } as const;

/** Locates the reader .wasm inside node_modules (never a URL). */
export function zxingWasmPath(): string {
  return createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
}

let loading: Promise<{ module: ZxingReaderModule; api: typeof import('zxing-wasm/reader') }> | null = null;

/** Loads (once per process) and instantiates the WebAssembly module from the local file. */
async function loadModule(): Promise<{ module: ZxingReaderModule; api: typeof import('zxing-wasm/reader') }> {
  loading ??= (async () => {
    const api = await import('zxing-wasm/reader');
    let path: string;
    let bytes: Buffer;
    try {
      path = zxingWasmPath();
      bytes = await readFile(path);
    } catch (err) {
      throw new MissingResourceError(`zxing-wasm reader binary not found: ${errorMessage(err)}`, {
        hint: 'Reinstall dependencies: npm install (the zxing-wasm package ships dist/reader/zxing_reader.wasm)',
        cause: err,
      });
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (api.ZXING_WASM_SHA256 && sha !== api.ZXING_WASM_SHA256) {
      throw new MissingResourceError(`zxing-wasm reader binary ${path} is corrupt (sha256 ${sha.slice(0, 12)}…, expected ${api.ZXING_WASM_SHA256.slice(0, 12)}…)`, {
        hint: 'Reinstall the package: npm install zxing-wasm',
      });
    }
    const module = await api.prepareZXingModule({
      // wasmBinary makes Emscripten instantiate from memory; locateFile is never called, so no CDN fetch.
      overrides: { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, print: () => {}, printErr: () => {} },
      fireImmediately: true,
    });
    return { module, api };
  })();
  try {
    return await loading;
  } catch (err) {
    loading = null;
    throw err;
  }
}

/** The decoder for zxing-cpp (WebAssembly). One instance may be shared; decoding is synchronous. */
export class ZxingWasmDecoder implements Decoder {
  readonly name = 'zxing-wasm';
  readonly version: string;
  private readonly optionCache = new Map<string, ZxingReaderOptions>();

  private constructor(
    private readonly module: ZxingReaderModule,
    private readonly api: typeof import('zxing-wasm/reader'),
  ) {
    this.version = `${api.ZXING_WASM_VERSION} (zxing-cpp ${api.ZXING_CPP_COMMIT.slice(0, 7)})`;
  }

  /** @throws MissingResourceError when the .wasm is missing or corrupt. */
  static async create(): Promise<ZxingWasmDecoder> {
    const { module, api } = await loadModule();
    return new ZxingWasmDecoder(module, api);
  }

  private options(o: DecodeOptions): ZxingReaderOptions {
    const key = `${o.formats.join(',')}|${o.binarizer}|${o.minLineCount}|${o.tryHarder}|${o.tryRotate}|${o.returnErrors}`;
    let opts = this.optionCache.get(key);
    if (!opts) {
      const { api } = this;
      const formats = (o.formats.length ? o.formats : DEFAULT_FORMATS).flatMap((f) => (f === 'OTHER' ? [] : TO_ZXING[f]));
      opts = {
        ...api.defaultReaderOptions,
        formats: api.encodeFormats(formats as Parameters<typeof api.encodeFormats>[0]),
        tryHarder: o.tryHarder,
        tryRotate: o.tryRotate,
        tryInvert: o.tryHarder,
        tryDownscale: o.tryHarder,
        tryDenoise: false,
        isPure: false,
        minLineCount: o.minLineCount,
        maxNumberOfSymbols: 255,
        returnErrors: o.returnErrors,
        binarizer: api.BINARIZERS.indexOf(BINARIZER_NAMES[o.binarizer]),
        // Add-ons (EAN-2/5 price or issue numbers on books/magazines) are not part of the product key.
        eanAddOnSymbol: api.EAN_ADD_ON_SYMBOLS.indexOf('Ignore'),
        // Plain: the content itself (GS1 FNC1 as GS, 0x1D), not zxing's "(01)…" rendering.
        textMode: api.TEXT_MODES.indexOf('Plain'),
        characterSet: api.CHARACTER_SETS.indexOf('Unknown'),
        tryCode39ExtendedMode: true,
      } as ZxingReaderOptions;
      this.optionCache.set(key, opts);
    }
    return opts;
  }

  decode(img: GrayImage, o: DecodeOptions): RawHit[] {
    const m = this.module;
    const n = img.width * img.height;
    if (n === 0) return [];
    const ptr = m._malloc(n);
    if (!ptr) throw new Error(`zxing-wasm: cannot allocate ${n} bytes`);
    let vec: ReturnType<ZxingReaderModule['readBarcodesFromPixmap']> | null = null;
    try {
      m.HEAPU8.set(img.data.subarray(0, n), ptr);
      vec = m.readBarcodesFromPixmap(ptr, img.width, img.height, this.options(o));
      const out: RawHit[] = [];
      for (let i = 0, size = vec.size(); i < size; i++) {
        const r = vec.get(i);
        const hit = r ? toHit(r, o.formats) : null;
        if (hit) out.push(hit);
      }
      return out;
    } finally {
      vec?.delete();
      m._free(ptr);
    }
  }

  dispose(): void {
    this.optionCache.clear();
  }
}

const RETAIL_FORMATS = new Set<BarcodeFormat>(['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E']);

function toHit(r: ZxingReadResult, formats: readonly string[]): RawHit | null {
  const f = FROM_ZXING[r.format] ?? 'OTHER';
  // Of the reads with errors only EAN/UPC check-digit failures are kept (the reader decides whether to
  // believe them); format errors and failed Reed-Solomon corrections are noise.
  const checksumError = !r.isValid && RETAIL_FORMATS.has(f) && r.error.startsWith('ChecksumError');
  if (!r.isValid && !checksumError) return null;
  let text = r.text;
  if (f === 'UPC_E') {
    // zxing-cpp reports UPC-E normalised to its GTIN-13 text; the printed 8 digits are in `extra`.
    const printed = parseExtra(r.extra).UPCE;
    if (typeof printed === 'string' && /^\d{8}$/.test(printed)) text = printed;
  }
  const spelled = retailSpelling(f, trimPayload(text), formats as BarcodeFormat[]);
  const p = r.position;
  const quad: Quad = [
    [p.topLeft.x, p.topLeft.y], [p.topRight.x, p.topRight.y], [p.bottomRight.x, p.bottomRight.y], [p.bottomLeft.x, p.bottomLeft.y],
  ];
  return {
    format: spelled.format,
    text: spelled.text,
    symbologyId: r.symbologyIdentifier ?? '',
    lineCount: r.lineCount > 0 ? r.lineCount : null,
    quad,
    ...(checksumError ? { checksumError: true } : {}),
  };
}

function parseExtra(extra: string): Record<string, unknown> {
  if (!extra) return {};
  try {
    const v = JSON.parse(extra) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
