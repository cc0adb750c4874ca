import { BARCODE_FORMATS, DEVICE_CHOICES, ENGINE_NAMES, LANG_CHOICES, PRECISION_CHOICES, TESSERACT_PSMS } from '../core/choices.js';
import { ConfigError, typedFlag } from '../core/errors.js';
import { defaults } from './defaults.js';

/** How one config key is checked. Every leaf of `defaults` has exactly one entry. */
export type KeySpec =
  | { type: 'int'; min?: number; max?: number; nullable?: boolean }
  | { type: 'number'; min?: number; max?: number; nullable?: boolean }
  | { type: 'boolean' }
  | { type: 'string'; nullable?: boolean }
  | { type: 'enum'; values: readonly string[]; nullable?: boolean }
  /** `hostPort`: every item is `host:port` (port 1–65535; an IPv6 host in brackets), e.g. Kafka brokers. */
  | { type: 'string[]'; values?: readonly string[]; hostPort?: boolean };

/** Keyed by dotted path, e.g. `ocr.paddle.det.boxThresh`. */
export const schema: Record<string, KeySpec> = {
  concurrency: { type: 'int', min: 1, max: 256 },
  lang: { type: 'enum', values: LANG_CHOICES },
  engine: { type: 'enum', values: ENGINE_NAMES },
  device: { type: 'enum', values: DEVICE_CHOICES },
  out: { type: 'string[]' },
  manifest: { type: 'string', nullable: true },
  resume: { type: 'boolean' },
  force: { type: 'boolean' },
  quiet: { type: 'boolean' },
  jsonLog: { type: 'boolean' },
  failFast: { type: 'boolean' },
  strict: { type: 'boolean' },
  'limits.maxBytes': { type: 'int', min: 1 },
  'limits.maxPixels': { type: 'int', min: 1 },
  'limits.maxPagePixels': { type: 'int', min: 1_000_000 },
  'limits.maxPages': { type: 'int', min: 1 },
  'limits.timeoutMs': { type: 'int', min: 100 },
  'preprocess.enabled': { type: 'boolean' },
  'preprocess.orientation': { type: 'boolean' },
  'preprocess.deskew': { type: 'boolean' },
  'preprocess.crop': { type: 'boolean' },
  'preprocess.contrast': { type: 'boolean' },
  'preprocess.denoise': { type: 'boolean' },
  'preprocess.binarize': { type: 'boolean' },
  'preprocess.upscale': { type: 'boolean' },
  'preprocess.upscaleBelowPx': { type: 'number', min: 0, max: 200 },
  'preprocess.minQuality': { type: 'number', min: 0, max: 1 },
  'preprocess.pdfDpi': { type: 'int', min: 50, max: 600 },
  'preprocess.quality': { type: 'boolean' },
  'ocr.minLineConfidence': { type: 'number', min: 0, max: 1 },
  'ocr.threads': { type: 'int', min: 0, max: 256 },
  'ocr.paddle.workers': { type: 'int', min: 0, max: 64 },
  'ocr.paddle.precision': { type: 'enum', values: PRECISION_CHOICES },
  'ocr.paddle.det.maxSide': { type: 'int', min: 32, max: 8192 },
  'ocr.paddle.det.thresh': { type: 'number', min: 0, max: 1 },
  'ocr.paddle.det.boxThresh': { type: 'number', min: 0, max: 1 },
  'ocr.paddle.det.unclipRatio': { type: 'number', min: 0.5, max: 5 },
  'ocr.paddle.det.minSize': { type: 'number', min: 0, max: 100 },
  'ocr.paddle.cls.enabled': { type: 'boolean' },
  'ocr.paddle.cls.thresh': { type: 'number', min: 0, max: 1 },
  'ocr.paddle.rec.batchSize': { type: 'int', min: 1, max: 256 },
  'ocr.paddle.rec.imageHeight': { type: 'int', min: 16, max: 128 },
  'ocr.paddle.rec.maxWidth': { type: 'int', min: 32, max: 8192 },
  'ocr.paddle.rec.spaceThreshold': { type: 'number', min: 0, max: 1 },
  'ocr.tesseract.psm': { type: 'enum', values: TESSERACT_PSMS },
  'barcode.enabled': { type: 'boolean' },
  'barcode.formats': { type: 'string[]', values: BARCODE_FORMATS },
  'barcode.tryHarder': { type: 'boolean' },
  'barcode.decoder': { type: 'enum', values: ['zxing-wasm', 'zxing-js'] },
  'barcode.maxPassPixels': { type: 'int', min: 10_000, max: 200_000_000 },
  'barcode.retryPixelBudget': { type: 'int', min: 0, max: 1_000_000_000 },
  'barcode.timeBudgetMs': { type: 'int', min: 0, max: 600_000 },
  'barcode.threads': { type: 'int', min: 0, max: 64 },
  'barcode.variableMeasure.layouts': { type: 'string[]' },
  'barcode.variableMeasure.priceDecimals': { type: 'int', min: 0, max: 4 },
  'extract.dateOrder': { type: 'enum', values: ['dmy', 'mdy', 'ymd'] },
  'extract.minFieldConfidence': { type: 'number', min: 0, max: 1 },
  catalog: { type: 'string', nullable: true },
  createProducts: { type: 'boolean' },
  'pg.url': { type: 'string', nullable: true },
  'pg.migrate': { type: 'boolean' },
  'pg.batchSize': { type: 'int', min: 1, max: 10_000 },
  'pg.ssl': { type: 'enum', values: ['disable', 'require', 'verify-full'] },
  'pg.poolSize': { type: 'int', min: 1, max: 64 },
  'kafka.brokers': { type: 'string[]', hostPort: true },
  'kafka.clientId': { type: 'string' },
  'kafka.topics.completed': { type: 'string' },
  'kafka.topics.product': { type: 'string' },
  'kafka.topics.failed': { type: 'string' },
  'kafka.ssl': { type: 'boolean' },
  'kafka.saslMechanism': { type: 'enum', values: ['plain', 'scram-sha-256', 'scram-sha-512'], nullable: true },
  'kafka.saslUsername': { type: 'string', nullable: true },
  'kafka.saslPassword': { type: 'string', nullable: true },
  'kafka.sslCa': { type: 'string', nullable: true },
  'kafka.timeoutMs': { type: 'int', min: 100, max: 600_000 },
  'sink.retries': { type: 'int', min: 0, max: 100 },
  'sink.backoffMs': { type: 'int', min: 0, max: 600_000 },
  'sink.deadLetter': { type: 'string', nullable: true },
  'sink.bufferSize': { type: 'int', min: 1, max: 100_000 },
  shard: { type: 'string', nullable: true },
  'cache.url': { type: 'string', nullable: true },
  'cache.ttlSeconds': { type: 'int', min: 1, max: 366 * 24 * 3600 },
  'cache.maxEntries': { type: 'int', min: 1, max: 1_000_000_000 },
  'cache.maxEntryBytes': { type: 'int', min: 1024, max: 512 * 1024 * 1024 },
  'cache.timeoutMs': { type: 'int', min: 10, max: 60_000 },
  'queue.redis': { type: 'string' },
  'queue.name': { type: 'string' },
  'queue.attempts': { type: 'int', min: 1, max: 100 },
  'queue.backoffMs': { type: 'int', min: 0, max: 3_600_000 },
  'queue.lockMs': { type: 'int', min: 1_000, max: 3_600_000 },
  'queue.stalledIntervalMs': { type: 'int', min: 500, max: 3_600_000 },
  'queue.maxStalled': { type: 'int', min: 1, max: 100 },
  'queue.keepCompletedHours': { type: 'int', min: 0, max: 24 * 366 },
  'serve.port': { type: 'int', min: 0, max: 65535 },
  'serve.host': { type: 'string' },
  'serve.apiKeys': { type: 'string[]' },
  'serve.jwt.secret': { type: 'string', nullable: true },
  'serve.jwt.publicKeyFile': { type: 'string', nullable: true },
  'serve.jwt.issuer': { type: 'string', nullable: true },
  'serve.jwt.audience': { type: 'string', nullable: true },
  'serve.corsOrigins': { type: 'string[]' },
  'serve.rateLimitMax': { type: 'int', min: 1, max: 10_000_000 },
  'serve.rateLimitWindowMs': { type: 'int', min: 1000, max: 86_400_000 },
  'serve.maxWaiting': { type: 'int', min: 0, max: 100_000 },
  'serve.retryAfterS': { type: 'int', min: 1, max: 3600 },
  'serve.engines': { type: 'string[]', values: ENGINE_NAMES },
  'serve.langs': { type: 'string[]', values: LANG_CHOICES },
  'serve.out': { type: 'string[]' },
  'serve.metricsAuth': { type: 'boolean' },
  'serve.accessLog': { type: 'boolean' },
  'serve.jobs.backend': { type: 'enum', values: ['auto', 'in-process', 'queue'] },
  'serve.jobs.maxFiles': { type: 'int', min: 1, max: 1_000_000 },
  'serve.jobs.maxQueuedFiles': { type: 'int', min: 1, max: 10_000_000 },
  'serve.jobs.retainMs': { type: 'int', min: 1000, max: 2_592_000_000 },
  'serve.jobs.roots': { type: 'string[]' },
  'export.format': { type: 'enum', values: ['tesstrain', 'paddle', 'hf'] },
  'export.split.train': { type: 'number', min: 0, max: 1 },
  'export.split.val': { type: 'number', min: 0, max: 1 },
  'export.split.test': { type: 'number', min: 0, max: 1 },
  'export.splitBy': { type: 'enum', values: ['line', 'document'] },
  'export.seed': { type: 'string' },
  'export.margin': { type: 'number', min: 0, max: 2 },
  'export.minConfidence': { type: 'number', min: 0, max: 1 },
  'export.maxConfidence': { type: 'number', min: 0, max: 1 },
  'export.dedup': { type: 'boolean' },
  'export.nearDupCorrelation': { type: 'number', min: 0, max: 1 },
  'export.redact': { type: 'boolean' },
  'review.maxLineConfidence': { type: 'number', min: 0, max: 1 },
  'review.maxRows': { type: 'int', min: 1, max: 1_000_000 },
  'review.cropMargin': { type: 'number', min: 0, max: 5 },
  'sink.circuitResetMs': { type: 'int', min: 0, max: 3_600_000 },
};

/** `host:port` with a port from 1 to 65535; the host a name, an IPv4 address or a bracketed IPv6 address. Pure. */
export function isHostPort(text: string): boolean {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
}

/**
 * Where a value came from, so a message can name what the user typed or wrote: a command-line flag (`--min-quality`),
 * an environment variable, or a config file (with the key inside it).
 */
export type ValueSource = { flag: string } | { env: string } | { file: string };

/** What the user gave, in their words: `--min-quality 2`, `ZAKOCR_CONCURRENCY=lots`, `/p/.zakocrrc: engine "easyocr"`. */
export function describeSource(key: string, raw: unknown, source?: ValueSource): string {
  if (source && 'flag' in source) return typedFlag(source.flag, raw);
  if (source && 'env' in source) return `${source.env}=${typeof raw === 'string' ? raw : JSON.stringify(raw)}`;
  const value = JSON.stringify(raw) ?? String(raw);
  return source ? `${source.file}: ${key} ${value}` : `${key} ${value}`;
}

function fail(key: string, problem: string, raw: unknown, source: ValueSource | undefined): never {
  throw new ConfigError(key, `${describeSource(key, raw, source)}: ${problem}`);
}

/** `between 0 and 1`, `≥ 100`, or '' for an unbounded number. */
function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `≥ ${min}`;
  return max !== undefined ? `≤ ${max}` : '';
}

/**
 * Checks one value against its key's spec and returns it in canonical form.
 * Strings from the environment or flags are coerced ("4" → 4, "true" → true, "a,b" → ["a","b"]).
 * @throws ConfigError saying what the user gave (the flag, variable or file and key) and what it must be, e.g.
 *   `--min-quality 2: must be between 0 and 1`.
 */
export function validateValue(key: string, raw: unknown, source?: ValueSource): unknown {
  const spec = schema[key];
  if (!spec) {
    const leaf = key.split('.').pop()!;
    const near = Object.keys(schema).filter((k) => editDistance(k.split('.').pop()!, leaf) <= 2);
    const where = source && 'file' in source ? `${source.file}: ` : '';
    throw new ConfigError(
      key,
      `${where}unknown key ${key}` + (near.length ? `; did you mean ${near.join(', ')}?` : `; allowed top-level keys: ${topLevelKeys().join(', ')}`),
    );
  }
  let value = raw;
  if ('nullable' in spec && spec.nullable && (value === null || value === '' || value === 'null')) return null;
  switch (spec.type) {
    case 'int':
    case 'number': {
      if (typeof value === 'string' && value.trim() !== '') value = Number(value);
      const range = rangeText(spec.min, spec.max);
      const kind = spec.type === 'int' ? 'a whole number' : 'a number';
      if (typeof value !== 'number' || !Number.isFinite(value) || (spec.type === 'int' && !Number.isInteger(value))) {
        fail(key, `must be ${kind}${range ? ` ${range}` : ''}`, raw, source);
      }
      const n = value as number;
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) fail(key, `must be ${range}`, raw, source);
      return n;
    }
    case 'boolean': {
      if (value === 'true' || value === '1' || value === 'yes') return true;
      if (value === 'false' || value === '0' || value === 'no') return false;
      if (typeof value !== 'boolean') fail(key, 'must be true or false', raw, source);
      return value;
    }
    case 'string':
      if (typeof value !== 'string') fail(key, 'must be a string', raw, source);
      return value;
    case 'enum':
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        fail(key, `must be one of ${spec.values.join(', ')}`, raw, source);
      }
      return value;
    case 'string[]': {
      if (typeof value === 'string') value = value.split(',').map((s) => s.trim()).filter(Boolean);
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(key, 'must be a list of strings', raw, source);
      const list = value as string[];
      if (spec.values) {
        const bad = list.find((v) => !spec.values!.includes(v));
        if (bad !== undefined) fail(key, `${list.length > 1 ? `${JSON.stringify(bad)} is not` : 'must be'} one of ${spec.values.join(', ')}`, raw, source);
      }
      if (spec.hostPort) {
        // Caught here, at start-up: a client would only find out on connecting, and a retry cannot fix it.
        const bad = list.find((v) => !isHostPort(v));
        if (bad !== undefined) fail(key, `${list.length > 1 ? `${JSON.stringify(bad)} is not` : 'must be'} host:port with a port from 1 to 65535 (e.g. broker1:9092,broker2:9092)`, raw, source);
      }
      return list;
    }
  }
}

export function topLevelKeys(): string[] {
  return Object.keys(defaults);
}

/** `ocr.paddle.det.boxThresh` → `ZAKOCR_OCR_PADDLE_DET_BOX_THRESH`. */
export function envNameFor(key: string): string {
  return 'ZAKOCR_' + key.split('.').map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

/** Small Levenshtein distance for "did you mean" suggestions on config keys. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}
