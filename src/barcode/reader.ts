/**
 * The barcode reader used by the pipeline: greyscale page → first pass → (only if nothing believable)
 * retry passes on enlarged / sharpened / re-binarised copies → believed codes with boxes in original pixels.
 *
 * Bounded per page: very large pages are shrunk (area average) for the first pass, every pass raster is
 * capped at `maxPassPixels`, all retries together at `retryPixelBudget`, and the retries stop when
 * `timeBudgetMs` has passed or the file's AbortSignal fires.
 */
import type { BarcodeFormat, BarcodeHit, BarcodeReadOptions, BarcodeReader, PageImage } from '../core/types.js';
import { toGray } from '../core/image.js';
import { Tally, planRetries, quadToBox, type Candidate, type PassSpec, type VariantKind } from './cascade.js';
import { linearCodePresence } from './presence.js';
import type { Decoder, DecodeOptions, RawHit } from './decoder.js';
import { asVariant, compose, scale, sharpen, shrink, stretch, type GrayImage, type Variant } from './variants.js';

export interface ReaderSettings {
  /** Formats to look for; empty = the decoder's defaults. */
  formats: BarcodeFormat[];
  /** Run the retry passes when the first finds nothing. */
  tryHarder: boolean;
  /** Largest raster one pass may decode (pixels). */
  maxPassPixels: number;
  /** Pixels all retry passes of one page may decode together. */
  retryPixelBudget: number;
  /** Wall-clock limit for the retry passes of one page (ms). */
  timeBudgetMs: number;
}

/** Decoder settings of the first pass and of each retry pass. */
function passOptions(formats: readonly BarcodeFormat[], spec: Pick<PassSpec, 'binarizer' | 'minLineCount' | 'tryRotate'>, tryRotate = spec.tryRotate ?? true): DecodeOptions {
  return { formats, binarizer: spec.binarizer, minLineCount: spec.minLineCount, tryHarder: true, tryRotate, returnErrors: true };
}

/** Builds the raster of a retry pass from the working image (enlarged copies are shared between passes). */
class VariantCache {
  private readonly cache = new Map<string, Variant>();
  constructor(private readonly work: Variant) {}

  private up(factor: number, fy = factor): Variant {
    const key = `up${factor}x${fy}`;
    let v = this.cache.get(key);
    if (!v) {
      v = compose(this.work, scale(this.work, factor, fy));
      this.cache.set(key, v);
    }
    return v;
  }

  get(kind: VariantKind): Variant {
    const w = this.work;
    switch (kind) {
      case 'orig': return w;
      case 'up': return this.up(2);
      case 'up15': return this.up(1.5);
      case 'xup': return this.up(2, 1);
      case 'sharpen1': return compose(w, sharpen(w, 1, 1.5));
      case 'sharpen2': return compose(w, sharpen(w, 2, 1.5));
      case 'sharpen3': return compose(w, sharpen(w, 3, 2));
      case 'upSharpen2': { const u = this.up(2); return compose(u, sharpen(u, 2, 1.5)); }
      case 'upSharpen3': {
        let v = this.cache.get(kind);
        if (!v) {
          const u = this.up(2);
          v = compose(u, sharpen(u, 3, 2));
          this.cache.set(kind, v);
        }
        return v;
      }
      case 'stretch': return compose(w, stretch(w, 0.02));
    }
  }
}

/** Decodes `img` and maps the quads back to source pixels. */
function decodeMapped(decoder: Decoder, img: Variant, opts: DecodeOptions): Candidate[] {
  return decoder.decode(img, opts).map((h: RawHit) => ({
    ...h,
    quad: h.quad.map(([x, y]) => img.toSource(x, y)) as Candidate['quad'],
  }));
}

/** Statistics of one `read`, for the benchmark and debug logs. */
export interface ReadTrace {
  passes: string[];
  ms: number;
  /** Decodes per pass (only with `exhaustive`). */
  perPass?: Record<string, Candidate[]>;
  /** Every decode seen, with the passes that saw it (including the ones not believed). */
  seen: Array<Candidate & { passes: string[] }>;
}

export class CascadeBarcodeReader implements BarcodeReader {
  readonly name: string;
  /** Set after each `read`: what ran and what was seen (the last page only). */
  lastTrace: ReadTrace | null = null;
  /**
   * Benchmarks only: run these passes (all of them, no early stop, no budgets) and record each pass's decodes
   * in `lastTrace.perPass`, so pass orders can be compared offline with `Tally`.
   */
  exhaustive: readonly PassSpec[] | null = null;

  constructor(
    private readonly decoder: Decoder,
    private readonly settings: ReaderSettings,
  ) {
    this.name = `${decoder.name} ${decoder.version}`;
  }

  async read(page: PageImage, opts: BarcodeReadOptions = {}): Promise<BarcodeHit[]> {
    const t0 = performance.now();
    const gray = toGray(page);
    const src: GrayImage = { data: gray.data, width: gray.width, height: gray.height };
    const formats = opts.formats ?? this.settings.formats;
    const { maxPassPixels, retryPixelBudget, timeBudgetMs, tryHarder } = this.settings;
    const pixels = src.width * src.height;

    // Very large pages: first pass on an area-averaged copy (codes on phone photos stay several px per module).
    const factor = pixels > maxPassPixels ? Math.ceil(Math.sqrt(pixels / maxPassPixels)) : 1;
    const work = factor > 1 ? shrink(src, factor) : asVariant(src);
    const tally = new Tally();
    const ran: string[] = [];
    const perPass: Record<string, Candidate[]> = {};
    const run = (name: string, img: Variant, o: DecodeOptions) => {
      const hits = decodeMapped(this.decoder, img, o);
      tally.add(name, hits);
      ran.push(name);
      if (this.exhaustive) perPass[name] = hits;
    };

    run('base', work, passOptions(formats, { binarizer: 'local', minLineCount: 2 }));
    const baseSawSomething = tally.all().length > 0;
    if (this.exhaustive) {
      const cache = new VariantCache(work);
      for (const p of this.exhaustive) run(p.name, cache.get(p.variant), passOptions(formats, p));
      this.lastTrace = { passes: ran, ms: performance.now() - t0, seen: tally.all(), perPass };
      return [];
    }
    // Retries only when the first pass saw something or the page shows a patch of parallel bars, on every page
    // size: a receipt or a text label without a code costs no retries (on 200 two-line labels the retries were a
    // third of the run's CPU; bench/RESULTS.md ## throughput: pipeline levers).
    const worthRetrying = () => baseSawSomething || linearCodePresence(work).likely;
    if (tryHarder && tally.accepted().length === 0 && worthRetrying()) {
      const retries: Array<{ name: string; go: () => void }> = [];
      let budget = retryPixelBudget;
      if (factor > 1 && pixels <= retryPixelBudget) {
        // The full-resolution page once, without the decoder's rotations (the costly part at this size).
        retries.push({ name: 'native', go: () => run('native', asVariant(src), passOptions(formats, { binarizer: 'local', minLineCount: 2 }, false)) });
        budget -= pixels;
      }
      const cache = new VariantCache(work);
      for (const p of planRetries(work.width * work.height, maxPassPixels, budget)) {
        retries.push({ name: p.name, go: () => run(p.name, cache.get(p.variant), passOptions(formats, p)) });
      }
      for (const r of retries) {
        if (opts.signal?.aborted || performance.now() - t0 > timeBudgetMs) break;
        r.go();
        if (tally.accepted().length > 0) break;
        // Let other files' I/O and timers run between passes (decoding is synchronous).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }

    this.lastTrace = { passes: ran, ms: performance.now() - t0, seen: tally.all() };
    return tally.final().map((c) => ({
      format: c.format,
      text: c.text,
      box: quadToBox(c.quad, src.width, src.height),
      ...(c.symbologyId ? { symbologyId: c.symbologyId } : {}),
    }));
  }

  async dispose(): Promise<void> {
    this.decoder.dispose();
  }
}
