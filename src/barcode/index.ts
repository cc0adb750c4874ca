/**
 * Barcode stage entry points used by the pipeline.
 *
 * - `createBarcodeReader(config.barcode)`: the reader for a run (zxing-wasm by default), or null when off.
 * - `enrichBarcodes(hits, config.barcode)`: check digits, GTIN-14, GS1 AIs, variable-measure content. Pure.
 * - `createCatalog(config)`: the product catalog (CSV `--catalog`, PostgreSQL `products` with `--pg`), in catalog.ts.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BarcodeFormat, BarcodeHit, BarcodeReader, RecordBarcode } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { defaults } from '../config/defaults.js';
import { ConfigError } from '../core/errors.js';
import type { Decoder } from './decoder.js';
import { enrichAll, type EnrichOptions } from './enrich.js';
import { WorkerPoolReader } from './pool.js';
import { CascadeBarcodeReader, type ReaderSettings } from './reader.js';
import { parseLayouts } from './variable-measure.js';

export { createCatalog } from './catalog.js';

type BarcodeConfig = ZakConfig['barcode'];

/** `barcode.threads: 0` starts one worker per core, up to this many. */
const MAX_AUTO_THREADS = 4;

/**
 * Creates the barcode reader for a run, or null when barcodes are off (`barcode.enabled: false`).
 * Validates the variable-measure layouts up front so a typo fails at start-up, not per file.
 * @throws ConfigError for an unknown decoder or a malformed layout; MissingResourceError when the
 *   zxing-wasm binary is missing or corrupt.
 */
export async function createBarcodeReader(opts: BarcodeConfig): Promise<BarcodeReader | null> {
  if (!opts.enabled) return null;
  parseLayouts(opts.variableMeasure.layouts);
  if (opts.decoder !== 'zxing-wasm' && opts.decoder !== 'zxing-js') {
    throw new ConfigError('barcode.decoder', `Expected one of zxing-wasm, zxing-js for barcode.decoder, got ${JSON.stringify(opts.decoder)}`);
  }
  const settings: ReaderSettings = {
    formats: opts.formats as BarcodeFormat[],
    tryHarder: opts.tryHarder,
    maxPassPixels: opts.maxPassPixels,
    retryPixelBudget: opts.retryPixelBudget,
    timeBudgetMs: opts.timeBudgetMs,
  };
  // Worker threads when running compiled (dist/); the TypeScript sources (tests) decode in-process.
  const script = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(script))) {
    const threads = opts.threads > 0 ? opts.threads : Math.min(MAX_AUTO_THREADS, os.availableParallelism?.() ?? os.cpus().length);
    return WorkerPoolReader.create(script, { decoder: opts.decoder, settings }, threads);
  }
  return createInProcessReader(opts.decoder, settings);
}

/** A reader that decodes on the calling thread (tests, benchmarks that want per-pass traces). */
export async function createInProcessReader(name: 'zxing-wasm' | 'zxing-js', settings: ReaderSettings): Promise<CascadeBarcodeReader> {
  let decoder: Decoder;
  if (name === 'zxing-wasm') {
    const { ZxingWasmDecoder } = await import('./zxing-wasm.js');
    decoder = await ZxingWasmDecoder.create();
  } else {
    const { ZxingJsDecoder } = await import('./zxing-js.js');
    decoder = new ZxingJsDecoder();
  }
  return new CascadeBarcodeReader(decoder, settings);
}

const layoutCache = new Map<string, EnrichOptions>();

function enrichOptions(opts: Pick<BarcodeConfig, 'variableMeasure'>): EnrichOptions {
  const key = JSON.stringify(opts.variableMeasure);
  let e = layoutCache.get(key);
  if (!e) {
    e = { layouts: parseLayouts(opts.variableMeasure.layouts), priceDecimals: opts.variableMeasure.priceDecimals };
    layoutCache.set(key, e);
  }
  return e;
}

/**
 * Adds check-digit validity, GTIN-14, GS1 AIs and variable-measure data to raw hits. Pure.
 * @param opts the `barcode` config section (variable-measure layouts); defaults when omitted.
 */
export function enrichBarcodes(hits: BarcodeHit[], opts: Pick<BarcodeConfig, 'variableMeasure'> = defaults.barcode): RecordBarcode[] {
  return enrichAll(hits, enrichOptions(opts));
}
