import { randomUUID } from 'node:crypto';
import type { SinkError } from '../core/errors.js';
import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js';
import { runOrdered } from '../core/ordered.js';
import type { Logger, RunContext, RunSummary, Sink, SourceItem, ZakRecord } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { checkInputs, discover } from '../source/walk.js';
import { parseShard } from '../source/shard.js';
import { FileOutputs } from '../sinks/file-outputs.js';
import { createSinks, fileFormatOf, outputPaths } from '../sinks/registry.js';
import { createAnalyzer, type AnalyzerDeps } from './analyzer.js';
import { Delivery } from './deliver.js';
import { manifestPath, RunManifest } from './manifest.js';
import { RunLock } from './run-lock.js';
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

/** Files discovered between two `discovered` events. */
const DISCOVERY_EVENT_EVERY = 100;

/**
 * The streaming scan: lock the outputs → discover lazily → analyse with bounded concurrency (core/ordered.ts) →
 * deliver to the output files' journal and every sink in input order → mark files done in the run manifest once all
 * acknowledged them (pipeline/deliver.ts) → rebuild the output files from the journal (sinks/file-outputs.ts).
 * At most `concurrency` files are analysed at once and at most 2 × `concurrency` started ones wait for their turn,
 * so memory stays flat however many files there are. Never exits the process.
 * @throws UsageError (another run holds an output, an output cannot be written), ConfigError, MissingResourceError,
 *   DeviceError at start-up; per-file problems become records.
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
  const cwd = opts.cwd ?? process.cwd();
  const outFiles = outputPaths(config.out, cwd).filter((o) => o !== '-');
  // An unknown extension exits 2 (naming the --out value as typed) before anything is locked.
  const formats = config.out.filter((o) => o !== '-').map((o) => fileFormatOf(o));
  const lock = opts.deps?.sinks ? null : await RunLock.acquire([mPath, ...outFiles], log);
  let analyzer: Awaited<ReturnType<typeof createAnalyzer>> | null = null;
  let sinks: Sink[] = [];
  let files: FileOutputs | null = null;
  let manifest: RunManifest;
  try {
    manifest = await RunManifest.open(mPath, resume);
    analyzer = await createAnalyzer(config, { ...opts.deps, runId, log });
    const ctx: RunContext = { runId, pipelineVersion: analyzer.pipelineVersion, startedAt: new Date(started), resume, log, outputs: config.out };
    sinks = opts.deps?.sinks ?? (await createSinks(config, ctx, { cwd, fileSink: null }));
    for (const s of sinks) await s.open(ctx);
    // Last: a run whose database or broker cannot open stops before the journal of the old results is reset.
    if (!opts.deps?.sinks && outFiles.length > 0) files = await FileOutputs.open(outFiles.map((p, i) => ({ path: p, format: formats[i] })), { resume, log });
  } catch (err) {
    await analyzer?.dispose();
    await Promise.allSettled(sinks.map((s) => s.close({ interrupted: true })));
    await lock?.release();
    throw err;
  }
  const pv = analyzer.pipelineVersion;
  const doneAt = (sha: string, absPath: string) => manifest.isDoneAt(sha, pv, absPath) && (files?.has(absPath, sha, pv) ?? true);

  emit({ type: 'start', runId, engine: analyzer.stamp, pipelineVersion: pv, concurrency: config.concurrency, manifest: mPath });
  const stats = new RunStats();
  const stop = new AbortController();
  const delivery = new Delivery({
    sinks, files, manifest, runId, pipelineVersion: pv, log,
    onSinkError: (sink, message) => emit({ type: 'sink-error', sink, message }),
    onFatal: () => stop.abort(),
  });
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let discovered = 0;
  let delivered = 0;
  let discoveryEnded = false;
  const endDiscovery = () => {
    if (discoveryEnded) return;
    discoveryEnded = true;
    emit({ type: 'discovered', count: discovered, final: true });
  };
  async function* sourceItems(): AsyncGenerator<SourceItem> {
    for await (const item of discover(opts.inputs, { cwd: opts.cwd, signal: stop.signal, shard })) {
      if (stop.signal.aborted) break;
      discovered++;
      if (discovered % DISCOVERY_EVENT_EVERY === 0) emit({ type: 'discovered', count: discovered });
      yield item;
    }
    endDiscovery();
  }
  const analyse = async (item: SourceItem): Promise<{ records: ZakRecord[]; ms: number }> => {
    const t = performance.now();
    // No run-level signal here: after Ctrl-C the files in progress finish whole (a reader that saw the abort
    // returned no barcodes, yet the file was marked done and --resume never read them again).
    const records = await analyzer!.analyse(item, { isDone: resume ? (sha) => doneAt(sha, item.absPath) : undefined });
    return { records, ms: Math.round(performance.now() - t) };
  };

  let interrupted = false;
  let summary: RunSummary | undefined;
  let drainingSaid = false;
  let failedSeen = false;
  try {
    const files = runOrdered(sourceItems(), analyse, { concurrency: config.concurrency, window: config.concurrency * 2, signal: stop.signal });
    for await (const { item, result } of files) {
      if (stop.signal.aborted && !drainingSaid) {
        // No file starts any more; every started one finishes (each is bounded by limits.timeoutMs) and is delivered.
        drainingSaid = true;
        endDiscovery();
        emit({ type: 'draining', inFlight: discovered - delivered });
      }
      delivered++;
      // analyse never rejects (a bad file is a failed record); a rejection here is a bug and ends the run.
      if (result.status === 'rejected') throw result.reason;
      const { records, ms } = result.value;
      if (records.length === 1 && records[0].status === 'skipped') {
        stats.addSkipped();
        delivery.skip(item);
        emit({ type: 'skipped', item });
        continue;
      }
      stats.add(records, ms);
      emit({ type: 'file', item, records, ms });
      await delivery.add(item, records);
      if (records.some((r) => r.status === 'failed')) failedSeen = true;
      if (failedSeen && config.failFast) stop.abort();
    }
    endDiscovery();
  } finally {
    interrupted = opts.signal?.aborted ?? false;
    opts.signal?.removeEventListener('abort', onAbort);
    try {
      summary = await delivery.close(() => stats.summary({ runId, pipelineVersion: pv, engine: analyzer!.stamp, durationMs: Date.now() - started }), interrupted);
      await analyzer.dispose();
    } finally {
      await lock?.release();
    }
  }
  const sinkErrors = delivery.errors;
  let exitCode: ExitCodeValue = ExitCode.ok;
  if (summary.failed > 0 || (config.strict && summary.needsReview > 0)) exitCode = ExitCode.filesFailed;
  if (sinkErrors.length > 0) exitCode = ExitCode.sinkFailed;
  if (interrupted) exitCode = ExitCode.interrupted;
  return { summary, exitCode, interrupted, sinkErrors, slowest: stats.slowest(), manifest: mPath };
}
