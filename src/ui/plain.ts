import type { Logger, ZakRecord } from '../core/types.js';
import type { ScanEvent } from '../pipeline/run-scan.js';

/** One line per file, for logs and pipes (no TTY, CI, --json-log). */
export function plainLine(records: ZakRecord[], ms: number): string {
  const r = records[0];
  const status = records.some((x) => x.status === 'failed') ? 'failed' : records.some((x) => x.status === 'needs_review') ? 'review' : 'ok';
  const pages = records.length > 1 ? ` (${records.length} pages)` : '';
  const detail = r.error ? `${r.error.code}: ${r.error.message}` : `${r.docType}${r.barcodes.length ? ` · ${r.barcodes.length} barcode(s)` : ''}${r.review.length ? ` · ${r.review.join(',')}` : ''}`;
  return `${status.padEnd(6)} ${r.file}${pages} · ${detail} · ${(ms / 1000).toFixed(1)}s`;
}

export function createPlainReporter(log: Logger, json: boolean) {
  return {
    event(e: ScanEvent) {
      if (e.type === 'start') log.info(`zakocr: engine ${e.engine.name} (${e.engine.models.join(', ') || 'no models'}) on ${e.engine.device}; concurrency ${e.concurrency}; pipeline ${e.pipelineVersion}`);
      else if (e.type === 'file') {
        const r = e.records[0];
        if (json) log.info('file', { file: r.file, status: e.records.map((x) => x.status), ms: e.ms, error: r.error });
        else log.info(plainLine(e.records, e.ms));
      } else if (e.type === 'skipped') log.info(`skip   ${e.item.path} · already done (--resume)`);
      else if (e.type === 'draining') log.info(`finishing ${e.inFlight} file(s) in progress…`);
      else if (e.type === 'sink-error') log.error(`sink ${e.sink} failed: ${e.message}`);
    },
    stop() {},
  };
}
