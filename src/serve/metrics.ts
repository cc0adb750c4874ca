import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineStamp, ZakRecord } from '../core/types.js';

/** Latency buckets in seconds: from a GPU label (tens of ms) to a long PDF. */
const LATENCY_BUCKETS_S = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

/** What the metrics read live at scrape time. */
export interface MetricsSources {
  waiting(): number;
  running(): number;
  jobFilesWaiting(): number;
}

/**
 * The Prometheus metrics of one service (its own registry, so tests can run several): HTTP requests and latency,
 * per-stage latency from each record's `timingsMs`, records by status, failures by code, queue depth, sinks, the
 * engine and its device, and Node's process metrics, all prefixed `zakocr_`.
 */
export class ServeMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly requestSeconds: Histogram<'route'>;
  private readonly stageSeconds: Histogram<'stage'>;
  private readonly records: Counter<'status' | 'doc_type'>;
  private readonly failures: Counter<'code'>;
  private readonly sinkFailures: Counter<'sink'>;
  private readonly sinkUp: Gauge<'sink'>;
  private readonly engine: Gauge<'engine' | 'device' | 'version' | 'lang' | 'barcodes'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'zakocr_' });
    this.requests = new Counter({ name: 'zakocr_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers });
    this.requestSeconds = new Histogram({ name: 'zakocr_http_request_duration_seconds', help: 'HTTP request latency (seconds) by route', labelNames: ['route'], buckets: LATENCY_BUCKETS_S, registers });
    this.stageSeconds = new Histogram({ name: 'zakocr_stage_duration_seconds', help: 'Pipeline stage latency (seconds) per record, from its timingsMs', labelNames: ['stage'], buckets: LATENCY_BUCKETS_S, registers });
    this.records = new Counter({ name: 'zakocr_records_total', help: 'Records produced, by status and document type', labelNames: ['status', 'doc_type'], registers });
    this.failures = new Counter({ name: 'zakocr_failures_total', help: 'Failed files and refused requests, by error code', labelNames: ['code'], registers });
    this.sinkFailures = new Counter({ name: 'zakocr_sink_failures_total', help: 'Deliveries a sink gave up on (records went to the dead-letter file)', labelNames: ['sink'], registers });
    this.sinkUp = new Gauge({ name: 'zakocr_sink_up', help: '1 while the last delivery to the sink succeeded', labelNames: ['sink'], registers });
    this.engine = new Gauge({ name: 'zakocr_engine_info', help: 'Loaded engines and the device each really runs on (value 1)', labelNames: ['engine', 'device', 'version', 'lang', 'barcodes'], registers });
    new Gauge({ name: 'zakocr_queue_depth', help: 'Analyses waiting for a slot', registers, collect() { this.set(sources.waiting()); } });
    new Gauge({ name: 'zakocr_analyses_in_flight', help: 'Analyses running', registers, collect() { this.set(sources.running()); } });
    new Gauge({ name: 'zakocr_job_files_waiting', help: 'Files of accepted jobs not analysed yet', registers, collect() { this.set(sources.jobFilesWaiting()); } });
  }

  request(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.requestSeconds.observe({ route }, seconds);
  }

  /** Counts records and their stage timings (`timingsMs` keys become `stage` labels: decode, ocr, ocr.det, …, total). */
  observeRecords(records: readonly ZakRecord[]): void {
    for (const r of records) {
      this.records.inc({ status: r.status, doc_type: r.docType });
      if (r.status === 'failed') this.failures.inc({ code: r.error?.code ?? 'unknown' });
      for (const [stage, ms] of Object.entries(r.timingsMs)) {
        if (Number.isFinite(ms)) this.stageSeconds.observe({ stage }, ms / 1000);
      }
    }
  }

  /** A request refused before analysis (401, 413, 429, 503 …). */
  refused(code: string): void {
    this.failures.inc({ code });
  }

  sinkDelivered(sink: string, ok: boolean): void {
    this.sinkUp.set({ sink }, ok ? 1 : 0);
    if (!ok) this.sinkFailures.inc({ sink });
  }

  engineLoaded(stamp: EngineStamp, lang: string, barcodes: boolean): void {
    this.engine.set({ engine: stamp.name, device: stamp.device, version: stamp.version, lang, barcodes: String(barcodes) }, 1);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
