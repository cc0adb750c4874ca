import type { Logger, ZakRecord } from '../core/types.js';
import { paint, type Tone } from './color.js';
import { decisionText, detailFields, timingText } from './file-detail.js';
import type { DisplayEvent } from './progress-state.js';
import type { Reporter } from './reporter.js';

/** A file's overall status: failed if any page failed, else needs_review if any page needs it, else ok (or skipped). */
export function fileStatus(records: readonly ZakRecord[]): ZakRecord['status'] {
  const st = records.map((r) => r.status);
  return st.includes('failed') ? 'failed' : st.includes('needs_review') ? 'needs_review' : st.every((x) => x === 'skipped') && st.length ? 'skipped' : 'ok';
}

const STATUS_TONE: Record<ZakRecord['status'], Tone> = { ok: 'ok', needs_review: 'review', failed: 'failed', skipped: 'dim' };

/** One line per file, for logs and pipes (no TTY, CI, --json-log); the status word coloured when `color`. */
export function plainLine(records: ZakRecord[], ms: number, color = false): string {
  const r = records[0];
  const status = fileStatus(records);
  const pages = records.length > 1 ? ` (${records.length} pages)` : '';
  const detail = r.error ? `${r.error.code}: ${r.error.message}` : `${r.docType}${r.barcodes.length ? ` · ${r.barcodes.length} barcode(s)` : ''}${r.review.length ? ` · ${r.review.join(',')}` : ''}`;
  const word = (status === 'needs_review' ? 'review' : status).padEnd(6);
  return `${paint(word, STATUS_TONE[status], color)} ${r.file}${pages} · ${detail} · ${(ms / 1000).toFixed(1)}s`;
}

/** How much a plain or JSON display says per file: `verbose` adds stage timings, `debug` also the engine's decisions. */
export interface PlainOptions {
  json: boolean;
  quiet: boolean;
  verbose?: boolean;
  debug?: boolean;
  color?: boolean;
  /** What the engines load (the `loading models (…)` line). */
  models?: readonly string[];
}

/** The log level of a finished file: failed = error, needs_review = warn, else info. */
export function fileLevel(records: readonly ZakRecord[]): 'error' | 'warn' | 'info' {
  const status = fileStatus(records);
  return status === 'failed' ? 'error' : status === 'needs_review' ? 'warn' : 'info';
}

/** Scalar fields of a finished file for `--json-log` (log collectors index flat fields). */
export function fileFields(records: readonly ZakRecord[], ms: number): Record<string, unknown> {
  const failed = records.find((r) => r.error);
  const r = records[0]!;
  return {
    file: r.file,
    status: fileStatus(records),
    pages: records.length,
    docType: r.docType,
    ms: Math.round(ms),
    ...(failed?.error ? { errorCode: failed.error.code, errorMessage: failed.error.message, errorStage: failed.error.stage } : {}),
    ...(records.some((x) => x.review.length) ? { review: [...new Set(records.flatMap((x) => x.review))].join(',') } : {}),
  };
}

/** `--verbose`/`--debug` detail of a finished file: one indented line (or one `page` event) per page. */
function logDetail(log: Logger, records: readonly ZakRecord[], opts: PlainOptions): void {
  const debug = Boolean(opts.debug);
  for (const r of records) {
    if (opts.json) {
      log.info('page', detailFields(r, debug));
      continue;
    }
    const page = records.length > 1 ? `page ${(r.page ?? 0) + 1}: ` : '';
    log.info(`       ${page}${timingText(r.timingsMs)}`);
    if (debug) log.info(`       ${page}${decisionText(r)}`);
  }
}

/**
 * Plain progress: one line per file. `quiet` keeps only failed files (one line each, naming the file and why), so a
 * quiet run still says what went wrong. With `json`, every line is a JSON log event at the file's level.
 */
export function createPlainReporter(log: Logger, opts: PlainOptions): Reporter {
  const color = Boolean(opts.color) && !opts.json;
  if (!opts.quiet) {
    const models = opts.models ?? [];
    if (opts.json) log.info('loading', { models: models.join(', ') });
    else log.info(models.length ? `zakocr: loading models (${models.join(', ')})…` : 'zakocr: starting (no OCR models to load)…');
  }
  return {
    event(e: DisplayEvent) {
      if (e.type === 'file') {
        const level = fileLevel(e.records);
        if (opts.quiet && level !== 'error') return;
        if (opts.json) log[level]('file', fileFields(e.records, e.ms));
        else if (opts.quiet) log.error(plainLine(e.records, e.ms, color));
        else log.info(plainLine(e.records, e.ms, color));
        if ((opts.verbose || opts.debug) && !opts.quiet) logDetail(log, e.records, opts);
      } else if (e.type === 'sink-error') log.error(`sink ${e.sink} failed: ${e.message}`, opts.json ? { sink: e.sink } : undefined);
      else if (opts.quiet) return;
      else if (e.type === 'start') log.info(`zakocr: engine ${e.engine.name} (${e.engine.models.join(', ') || 'no models'}) on ${e.engine.device}; concurrency ${e.concurrency}; pipeline ${e.pipelineVersion}`);
      else if (e.type === 'skipped') log.info(`skip   ${e.item.path} · already done (--resume)`);
      else if (e.type === 'draining') log.info(`finishing ${e.inFlight} file(s) in progress…`);
    },
    stop() {},
  };
}
