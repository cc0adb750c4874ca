/**
 * `zakocr bench` end to end: flags → dataset → variants → runs → gate → reports. Returns the exit
 * code (0, or throws RegressionError → 4); never exits the process. The CLI file only declares flags.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { LoadConfigOptions, LoadedConfig } from '../config/load.js';
import type { ZakConfig } from '../config/defaults.js';
import { ExitCode } from '../core/exit-codes.js';
import { RegressionError, UsageError, badFlag, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/types.js';
import { createLogger } from '../core/logger.js';
import { pgSecrets } from '../db/pool.js';
import { ZAKOCR_VERSION } from '../core/version.js';
import { writeAtomic } from '../core/write-atomic.js';
import { checkRequirements, compareWithBaseline, parseRequirement, recordChecks, validateBaseline } from './compare.js';
import { makeCrops } from './crops.js';
import { DATASET_FORMATS, loadDataset, type DatasetFormat } from './datasets.js';
import type { TextCompareOptions } from './metrics.js';
import { writeBenchMetrics } from './pg.js';
import { buildReport, itemsHash, renderJson, toBaseline } from './report.js';
import { renderHtml } from './report-html.js';
import { renderJunit } from './report-junit.js';
import { renderMarkdown } from './report-md.js';
import { renderText } from './report-text.js';
import { runVariant } from './runner.js';
import type { GateCheck, VariantResult } from './types.js';
import { parseEngineList, planVariants } from './variants.js';

export interface BenchFlags {
  format?: string;
  engine?: string[];
  config?: string[];
  concurrency?: string;
  lang?: string;
  device?: string;
  limit?: string;
  worst?: string;
  foldCase?: boolean;
  foldPunctuation?: boolean;
  foldWhitespace?: boolean;
  cerUnit?: string;
  baseline?: string;
  tolerance?: string;
  latencyTolerance?: string;
  require?: string[];
  saveBaseline?: string;
  reportJson?: string;
  reportMd?: string;
  junit?: string;
  reportHtml?: string;
  pg?: string;
  migrate?: boolean;
  allStages?: boolean;
  warmup?: boolean;
  quiet?: boolean;
  jsonLog?: boolean;
}

export interface BenchDeps {
  loadConfig: (opts: LoadConfigOptions) => Promise<LoadedConfig>;
  log?: Logger;
  /** Where the terminal report goes (stdout). */
  out?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

function num(flag: string, raw: string | undefined, opts: { min: number; int?: boolean }): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(n) && n >= opts.min && (!opts.int || Number.isInteger(n));
  if (!ok) {
    throw badFlag(flag, raw, `must be ${opts.int ? 'a whole number' : 'a number'} ≥ ${opts.min}`);
  }
  return n;
}

/** Flags every variant shares, as dotted config keys (undefined = not given). */
export function sharedConfigFlags(f: BenchFlags): Record<string, unknown> {
  return { concurrency: f.concurrency, lang: f.lang, device: f.device, 'pg.url': f.pg, 'pg.migrate': f.migrate };
}

/**
 * Runs the bench and writes every requested report.
 * @throws UsageError | ConfigError (exit 2), MissingResourceError | DeviceError (2), RegressionError (4),
 *         SinkError (3) when --pg cannot be written, InterruptedError (130).
 */
export async function runBenchCommand(datasetPath: string, flags: BenchFlags, deps: BenchDeps): Promise<number> {
  const log = deps.log ?? createLogger({ json: Boolean(flags.jsonLog), quiet: Boolean(flags.quiet), secrets: pgSecrets(flags.pg ?? null) });
  const out = deps.out ?? process.stdout;
  const tolerancePp = num('--tolerance', flags.tolerance ?? '0.5', { min: 0 })!;
  const latencyTolerancePct = num('--latency-tolerance', flags.latencyTolerance, { min: 0 }) ?? null;
  const worst = num('--worst', flags.worst ?? '10', { min: 0, int: true })!;
  const limit = num('--limit', flags.limit, { min: 1, int: true });
  const requirements = (flags.require ?? []).map(parseRequirement);
  const engines = parseEngineList(flags.engine ?? []);
  const configFiles = (flags.config ?? []).flatMap((c) => c.split(',')).map((s) => s.trim()).filter(Boolean);
  if (flags.format && flags.format !== 'auto' && !(DATASET_FORMATS as readonly string[]).includes(flags.format)) {
    throw badFlag('--format', flags.format, `must be one of auto, ${DATASET_FORMATS.join(', ')}`);
  }
  // Read the baseline before spending minutes on the run: a bad path should fail at once.
  let baseline = null;
  if (flags.baseline) {
    let raw: string;
    try {
      raw = await readFile(flags.baseline, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read baseline ${flags.baseline}: ${errorMessage(err)}`, { hint: 'create one with --save-baseline <file>', cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new UsageError(`Baseline ${flags.baseline} is not valid JSON: ${errorMessage(err)}`, { cause: err });
    }
    baseline = validateBaseline(parsed, flags.baseline);
  }

  const dataset = await loadDataset(datasetPath, { format: flags.format as DatasetFormat | 'auto' | undefined, limit });
  const compare: TextCompareOptions = {
    ...dataset.compare,
    foldWhitespace: flags.foldWhitespace !== false,
    ...(flags.foldCase !== undefined ? { foldCase: flags.foldCase } : {}),
    ...(flags.foldPunctuation ? { foldPunctuation: true } : {}),
    unit: flags.cerUnit === 'codepoint' ? 'codepoint' : 'grapheme',
  };
  const warnings = [...dataset.warnings];
  for (const w of dataset.warnings) log.warn(w);
  const configFlags = sharedConfigFlags(flags);
  const { variants: specs, notes } = await planVariants({
    engines,
    configFiles,
    dataset,
    langGiven: flags.lang !== undefined,
    allStages: Boolean(flags.allStages),
    load: async (file) => (await deps.loadConfig({ configFile: file, flags: configFlags })).config as ZakConfig,
  });
  for (const n of notes) log.info(`note: ${n}`);
  log.info(`bench ${dataset.name}: ${dataset.items.length} items (${dataset.format}); variants: ${specs.map((s) => s.name).join(', ')}`);

  const results: VariantResult[] = [];
  for (const spec of specs) {
    const step = Math.max(1, Math.ceil(dataset.items.length / 10));
    const t0 = performance.now();
    const res = await runVariant(dataset, spec, {
      compare,
      worst,
      warmup: flags.warmup !== false,
      signal: deps.signal,
      log,
      onProgress: (done, total) => {
        if (done % step === 0 || done === total) log.info(`  ${spec.name}: ${done}/${total} items (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      },
    });
    results.push(res);
  }

  const checks: GateCheck[] = [];
  if (baseline) {
    const cmp = compareWithBaseline(results, baseline, { tolerancePp, latencyTolerancePct });
    checks.push(...cmp.checks);
    for (const n of cmp.notes) {
      log.warn(n);
      warnings.push(n);
    }
    if (baseline.dataset && baseline.dataset.itemsHash !== itemsHash(dataset)) {
      const w = `baseline was measured on other items (${baseline.dataset.items} items of ${baseline.dataset.name}; this run: ${dataset.items.length} of ${dataset.name}): figures may differ for that reason alone`;
      log.warn(w);
      warnings.push(w);
    }
  }
  checks.push(...checkRequirements(results, requirements), ...recordChecks(results));
  const report = buildReport({
    dataset, compare, variants: results, checks, baseline: flags.baseline ?? null, tolerancePp, latencyTolerancePct, warnings, zakocrVersion: ZAKOCR_VERSION,
  });

  out.write(renderText(report, { worst: Math.min(worst, 5) }));
  if (flags.reportJson) await writeAtomic(flags.reportJson, renderJson(report));
  if (flags.reportMd) await writeAtomic(flags.reportMd, renderMarkdown(report, { worst }));
  if (flags.junit) await writeAtomic(flags.junit, renderJunit(report));
  if (flags.reportHtml) await writeAtomic(flags.reportHtml, renderHtml(report, await makeCrops(results, worst, log), { worst }));
  if (flags.pg) {
    const runId = `bench-${report.createdAt}-${randomUUID().slice(0, 8)}`;
    const n = await writeBenchMetrics(specs[0]!.config.pg, runId, report, log, ZAKOCR_VERSION);
    log.info(`postgres: ${n} ocr_model_metrics rows (run ${runId})`);
  }
  for (const f of [flags.reportJson, flags.reportMd, flags.junit, flags.reportHtml].filter(Boolean)) log.info(`wrote ${f}`);

  if (!report.gate.passed) {
    const failed = checks.filter((c) => c.status === 'fail');
    if (flags.saveBaseline) log.warn(`baseline not saved to ${flags.saveBaseline}: the gate failed (a regression must not become the new baseline)`);
    throw new RegressionError(
      `${failed.length} metric gate(s) failed: ${failed.slice(0, 5).map((c) => `${c.variant} ${c.message}`).join('; ')}${failed.length > 5 ? '; …' : ''}`,
      { hint: flags.baseline ? `if the change is intended, run the same command with --save-baseline ${flags.baseline} instead of --baseline to accept it` : undefined },
    );
  }
  if (flags.saveBaseline) {
    await writeAtomic(flags.saveBaseline, JSON.stringify(toBaseline(report), null, 2) + '\n');
    log.info(`baseline saved to ${flags.saveBaseline}`);
  }
  return ExitCode.ok;
}
