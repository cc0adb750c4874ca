import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { SinkError, errorMessage } from '../core/errors.js';
import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js';
import type { Logger, RunContext, RunSummary, Sink, SourceItem, ZakRecord } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { checkInputs, discover } from '../source/walk.js';
import { parseShard } from '../source/shard.js';
import { createSinks } from '../sinks/registry.js';
import { createAnalyzer, RETRYABLE_CODES, type AnalyzerDeps } from './analyzer.js';
import { manifestPath, RunManifest, type ManifestEntry } from './manifest.js';
import { RunStats } from './stats.js';

export type ScanEvent =
  | { type: 'start'; runId: string; engine: RunSummary['engine']; pipelineVersion: string; concurrency: number; manifest: string }
  | { type: 'discovered'; count: number; final?: boolean }
  | { type: 'file'; item: SourceItem; records: ZakRecord[]; ms: number }
  | { type: 'skipped'; item: SourceItem }
  | { type: 'draining'; inFlight: number }
  | { type: 'sink-error'; sink: string; message: string };

export interface ScanOptions {
  inputs: string[];
  config: ZakConfig;
  log: Logger;
  signal?: AbortSignal;
  onEvent?: (event: ScanEvent) => void;
  /** Injected stages (tests: fake engines through the real pipeline). */
  deps?: AnalyzerDeps & { sinks?: Sink[] };
  cwd?: string;
}

export interface ScanResult {
  summary: RunSummary;
  exitCode: ExitCodeValue;
  interrupted: boolean;
  sinkErrors: SinkError[];
  slowest: Array<{ file: string; ms: number }>;
  manifest: string;
}

/** Records delivered to the sinks per write. */
const DELIVERY_BATCH = 32;

/**
 * The streaming scan: discover lazily → analyse with bounded concurrency → deliver to every sink in
 * input order → mark files done in the run manifest once every sink acknowledged them.
 * At most `concurrency` files are analysed at once and at most as many finished ones wait for
 * their turn, so memory stays flat however many files there are. Never exits the process.
 * @throws UsageError/ConfigError/MissingResourceError/DeviceError at start-up; per-file problems become records.
 */
export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const { config, log } = opts;
  const emit = opts.onEvent ?? (() => undefined);
  const runId = opts.deps?.runId ?? randomUUID();
  const started = Date.now();
  const mPath = manifestPath(config.manifest, config.out, opts.cwd);
  const resume = config.resume && !config.force;
  const shard = config.shard ? parseShard(config.shard) : null;
  await checkInputs(opts.inputs, opts.cwd);
  const manifest = await RunManifest.open(mPath, resume);

  const analyzer = await createAnalyzer(config, { ...opts.deps, runId, log });
  const pv = analyzer.pipelineVersion;
  const ctx: RunContext = {
    runId,
    pipelineVersion: pv,
    startedAt: new Date(started),
    resume,
    log,
    isDone: (sha, version, file) => manifest.isDone(sha, version, file),
    outputs: config.out,
  };
  let sinks: Sink[] = [];
  try {
    sinks = opts.deps?.sinks ?? (await createSinks(config, ctx));
    for (const s of sinks) await s.open(ctx);
  } catch (err) {
    await analyzer.dispose();
    await Promise.allSettled(sinks.map((s) => s.close({ interrupted: true })));
    throw err;
  }

  emit({ type: 'start', runId, engine: analyzer.stamp, pipelineVersion: pv, concurrency: config.concurrency, manifest: mPath });
  const stats = new RunStats();
  const sinkErrors = new Map<string, SinkError>();
  const queue = new PQueue({ concurrency: config.concurrency });
  const window: Array<{ item: SourceItem; result: Promise<{ records: ZakRecord[]; ms: number }> }> = [];
  const maxWaiting = config.concurrency * 2;
  let pending: Array<{ records: ZakRecord[]; item: SourceItem }> = [];
  let pendingCount = 0;
  let failedSeen = false;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  async function deliver(force: boolean): Promise<void> {
    if (pending.length === 0 || (!force && pendingCount < DELIVERY_BATCH)) return;
    const groups = pending;
    pending = [];
    pendingCount = 0;
    const batch = groups.flatMap((g) => g.records);
    let allAccepted = true;
    // Sinks are independent: deliver to all at once so a slow database does not wait behind Kafka.
    const outcomes = await Promise.allSettled(sinks.map((sink) => sink.write(batch)));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return;
      allAccepted = false;
      const sink = sinks[i];
      const err: unknown = outcome.reason;
      const se = err instanceof SinkError ? err : new SinkError(sink.name, `${sink.name}: ${errorMessage(err)}`, { cause: err });
      if (!sinkErrors.has(sink.name)) emit({ type: 'sink-error', sink: sink.name, message: se.message });
      sinkErrors.set(sink.name, se);
    });
    if (!allAccepted) return; // not marked done: `--resume` delivers these files again
    const entries: ManifestEntry[] = [];
    for (const g of groups) {
      const first = g.records[0];
      if (!first.sha256) continue;
      const retryable = g.records.some((r) => r.status === 'failed' && RETRYABLE_CODES.has(r.error?.code ?? ''));
      if (retryable) continue;
      const status = g.records.some((r) => r.status === 'failed') ? 'failed' : g.records.some((r) => r.status === 'needs_review') ? 'needs_review' : 'ok';
      entries.push({ sha256: first.sha256, pipelineVersion: pv, file: first.file, pages: g.records.length, status, runId, at: new Date().toISOString(), absPath: g.item.absPath });
    }
    await manifest.append(entries);
  }

  async function settleHead(): Promise<void> {
    const head = window.shift()!;
    const { records, ms } = await head.result;
    if (records.length === 1 && records[0].status === 'skipped') {
      stats.addSkipped();
      emit({ type: 'skipped', item: head.item });
      return;
    }
    stats.add(records, ms);
    emit({ type: 'file', item: head.item, records, ms });
    pending.push({ records, item: head.item });
    pendingCount += records.length;
    if (records.some((r) => r.status === 'failed')) failedSeen = true;
    await deliver(false);
    if (failedSeen && config.failFast) stop.abort();
  }

  let interrupted = false;
  let discovered = 0;
  let summary: RunSummary | undefined;
  try {
    for await (const item of discover(opts.inputs, { cwd: opts.cwd, signal: stop.signal, shard })) {
      if (stop.signal.aborted) break;
      discovered++;
      if (discovered % 100 === 0) emit({ type: 'discovered', count: discovered });
      const result = queue.add(async () => {
        const t = performance.now();
        // No run-level signal here: after Ctrl-C the files in progress finish whole (a reader that saw the abort
        // returned no barcodes, yet the file was marked done and --resume never read them again).
        const records = await analyzer.analyse(item, { isDone: resume ? (sha) => manifest.isDoneAt(sha, pv, item.absPath) : undefined });
        return { records, ms: Math.round(performance.now() - t) };
      }) as Promise<{ records: ZakRecord[]; ms: number }>;
      window.push({ item, result });
      while (window.length >= maxWaiting) await settleHead();
    }
    emit({ type: 'discovered', count: discovered, final: true });
    if (stop.signal.aborted && window.length > 0) emit({ type: 'draining', inFlight: window.length });
    while (window.length > 0) await settleHead();
    await deliver(true);
  } finally {
    interrupted = opts.signal?.aborted ?? false;
    opts.signal?.removeEventListener('abort', onAbort);
    // Every queued file finishes (each is bounded by limits.timeoutMs); dropping queued tasks would leave their promises unsettled.
    await Promise.allSettled(window.map((w) => w.result));
    await deliver(true).catch((err: unknown) => log.error(`final delivery failed: ${errorMessage(err)}`));
    summary = stats.summary({ runId, pipelineVersion: pv, engine: analyzer.stamp, durationMs: Date.now() - started });
    for (const s of sinks) {
      try {
        await s.summarize?.(summary);
      } catch (err) {
        log.warn(`${s.name}: could not write run metrics: ${errorMessage(err)}`);
      }
    }
    for (const s of sinks) {
      try {
        await s.close({ interrupted });
      } catch (err) {
        const se = err instanceof SinkError ? err : new SinkError(s.name, `${s.name}: close failed: ${errorMessage(err)}`, { cause: err });
        sinkErrors.set(s.name, se);
      }
    }
    await analyzer.dispose();
  }
  let exitCode: ExitCodeValue = ExitCode.ok;
  if (summary.failed > 0 || (config.strict && summary.needsReview > 0)) exitCode = ExitCode.filesFailed;
  if (sinkErrors.size > 0) exitCode = ExitCode.sinkFailed;
  if (interrupted) exitCode = ExitCode.interrupted;
  return { summary, exitCode, interrupted, sinkErrors: [...sinkErrors.values()], slowest: stats.slowest(), manifest: mPath };
}
