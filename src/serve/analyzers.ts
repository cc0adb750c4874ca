import { errorMessage } from '../core/errors.js';
import type { EngineInfo } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { createAnalyzer, type Analyzer, type AnalyzerDeps } from '../pipeline/analyzer.js';
import { ServeError } from './errors.js';

/** What a request may choose per call (`?engine=&lang=&barcodes=`); each distinct choice is its own warm analyzer. */
export interface Variant {
  engine: string;
  lang: string;
  barcodes: boolean;
}

export interface VariantQuery {
  engine?: string;
  lang?: string;
  barcodes?: boolean;
}

export function variantKey(v: Variant): string {
  return `${v.engine}|${v.lang}|${v.barcodes ? 'barcodes' : 'no-barcodes'}`;
}

/**
 * The analyzers of the service, one per variant, created on first use and kept warm (the default one at start).
 * A variant changes the pipeline version exactly as the same flags would in `scan`, so sinks keep their
 * idempotency keys. Variants are bounded by configuration: `serve.engines` × `serve.langs` × barcodes on/off.
 */
export class AnalyzerPool {
  readonly defaultVariant: Variant;
  private readonly engines: readonly string[];
  private readonly langs: readonly string[];
  private readonly live = new Map<string, { variant: Variant; analyzer: Promise<Analyzer>; info?: EngineInfo }>();

  constructor(private readonly config: ZakConfig, private readonly deps: AnalyzerDeps) {
    this.defaultVariant = { engine: config.engine, lang: config.lang, barcodes: config.barcode.enabled };
    this.engines = config.serve.engines.length ? config.serve.engines : [config.engine];
    this.langs = config.serve.langs.length ? config.serve.langs : [config.lang];
  }

  /**
   * The variant a request asks for, defaults filled in.
   * @throws ServeError 400 naming the option and the values this server allows.
   */
  resolve(q: VariantQuery): Variant {
    const v: Variant = { engine: q.engine ?? this.defaultVariant.engine, lang: q.lang ?? this.defaultVariant.lang, barcodes: q.barcodes ?? this.defaultVariant.barcodes };
    if (!this.engines.includes(v.engine)) {
      throw new ServeError(400, 'bad_request', `engine ${JSON.stringify(v.engine)} is not enabled on this server; allowed: ${this.engines.join(', ')} (serve.engines)`);
    }
    if (!this.langs.includes(v.lang)) {
      throw new ServeError(400, 'bad_request', `lang ${JSON.stringify(v.lang)} is not enabled on this server; allowed: ${this.langs.join(', ')} (serve.langs)`);
    }
    return v;
  }

  /** The warm analyzer of a variant, created on first use. @throws what engine start-up throws (the next call retries). */
  get(v: Variant): Promise<Analyzer> {
    const key = variantKey(v);
    const have = this.live.get(key);
    if (have) return have.analyzer;
    const variantConfig: ZakConfig = { ...this.config, engine: v.engine, lang: v.lang, barcode: { ...this.config.barcode, enabled: v.barcodes } };
    const entry: { variant: Variant; analyzer: Promise<Analyzer>; info?: EngineInfo } = { variant: v, analyzer: createAnalyzer(variantConfig, this.deps) };
    this.live.set(key, entry);
    entry.analyzer.then(
      (a) => (entry.info = a.info),
      (err: unknown) => {
        this.live.delete(key);
        this.deps.log?.error(`engine ${v.engine} (${v.lang}) failed to start: ${errorMessage(err)}`);
      },
    );
    return entry.analyzer;
  }

  /** Variants whose engines have finished loading. */
  loaded(): Array<{ variant: Variant; info: EngineInfo }> {
    return [...this.live.values()].filter((e) => e.info).map((e) => ({ variant: e.variant, info: e.info! }));
  }

  async dispose(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.allSettled(all.map(async (e) => (await e.analyzer).dispose()));
  }
}
