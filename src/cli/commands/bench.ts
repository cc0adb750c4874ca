import os from 'node:os';
import { Option, type Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { flagNamesOf } from '../flag-names.js';
import { DEVICE_CHOICES, ENGINE_NAMES, LANG_CHOICES } from '../../core/choices.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { BenchFlags } from '../../bench/command.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const EXAMPLES = `
Examples:
  $ zakocr bench ../shared/datasets/uw3-printed-lines --engine paddle,tesseract
  $ zakocr bench ../shared/datasets/sroie-receipts --report-html sroie.html
  $ zakocr bench ../shared/datasets/zxing-barcodes            # barcode recall/precision per format
  $ zakocr bench data/manifest.jsonl --config fast.json,accurate.json --report-md summary.md
  $ zakocr bench ./labelled --save-baseline bench/baseline.json
  $ zakocr bench ./labelled --baseline bench/baseline.json --tolerance 0.5 --junit bench.xml

Datasets: our manifest.jsonl (image + text/fields/barcodes), zxing blackbox folders, SROIE img/key/box,
.gt.txt line sets (UW-III, tesstrain), invoice2data labels — detected from the folder or chosen with --format.

Units: rates (CER, WER, accuracies, recall, precision) are fractions shown as %; --tolerance is in
PERCENTAGE POINTS (0.5 lets CER rise from 2.0% to 2.5%). Latency and throughput are gated only with
--latency-tolerance, in percent (relative). CER counts grapheme clusters after Unicode NFC.

Exit codes: 0 done (gate passed or none) · 2 usage/config error · 4 regression against --baseline or --require ·
130 interrupted`;

/** `zakocr bench`: accuracy and speed against a labelled dataset, A/B of engines and configs, regression gate. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('accuracy + speed against a labelled dataset; A/B of engines/configs; baseline regression gate; reports')
    .argument('<dataset>', 'dataset folder or manifest .jsonl')
    .addOption(new Option('--format <layout>', 'dataset layout (default: detected)').choices(['auto', 'manifest', 'zxing', 'sroie', 'gt-lines', 'invoice2data']))
    .option('--engine <list>', `engines to compare, comma-separated: ${ENGINE_NAMES.join(', ')} (repeatable)`, collect)
    .option('--config <list>', 'config files to compare, comma-separated (repeatable); each × each --engine', collect)
    .option('-c, --concurrency <n>', `items analysed at once (default: cores = ${os.availableParallelism?.() ?? os.cpus().length}); 1 for clean latency`)
    .addOption(new Option('--lang <lang>', 'OCR language(s) (default: the config; ben when the labels are Bengali)').choices(LANG_CHOICES))
    .addOption(new Option('--device <device>', 'where the neural engine runs; never falls back silently').choices(DEVICE_CHOICES))
    .option('--limit <n>', 'use n items spread evenly over the dataset (quick runs)')
    .option('--worst <n>', 'worst items listed with their diff', '10')
    .option('--fold-case', 'compare text case-insensitively (default: on for SROIE, whose labels are upper case)')
    .option('--no-fold-case', 'compare case exactly even where the layout folds it')
    .option('--fold-punctuation', 'ignore punctuation when comparing text')
    .option('--no-fold-whitespace', 'compare whitespace exactly (default: runs collapsed, ends trimmed)')
    .addOption(new Option('--cer-unit <unit>', 'CER unit').choices(['grapheme', 'codepoint']).default('grapheme'))
    .option('--baseline <file>', 'compare with a saved baseline; exit 4 when a metric is worse beyond tolerance')
    .option('--tolerance <pp>', 'allowed worsening of rate metrics, in percentage points', '0.5')
    .option('--latency-tolerance <percent>', 'also gate latency p50/p95/max and throughput: allowed relative worsening in %')
    .option('--require <expr>', 'absolute gate, e.g. "cer<=0.02", "barcode.all.recall>=90%" (repeatable)', collect)
    .option('--save-baseline <file>', 'write this run as a baseline (not written when the gate fails)')
    .option('--report-json <file>', 'full report as JSON (items, worst diffs, gate)')
    .option('--report-md <file>', 'Markdown summary (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--junit <file>', 'JUnit XML: one test case per metric gate')
    .option('--report-html <file>', 'self-contained HTML report with charts and crops of the worst items (their worst lines on pages)')
    .option('--pg <url>', 'also write one row per variant to PostgreSQL ocr_model_metrics (source bench)')
    .option('--migrate', 'with --pg: apply pending database migrations first')
    .option('--all-stages', 'run every stage as configured even when the dataset cannot score it (barcodes on text sets, OCR on barcode sets)')
    .option('--no-warmup', 'time the first items too (default: the first --concurrency items run once, untimed, to load models)')
    .option('-q, --quiet', 'no progress output')
    .option('--json-log', 'log as JSON Lines on stderr')
    .addHelpText('after', EXAMPLES)
    .action(async (dataset: string, flags: BenchFlags, cmd: Command) => {
      const abort = new AbortController();
      const onSignal = (): void => {
        if (abort.signal.aborted) process.exit(ExitCode.interrupted);
        process.stderr.write('interrupted: stopping after the items in progress (Ctrl-C again to quit now)\n');
        abort.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const { runBenchCommand, sharedConfigFlags } = await import('../../bench/command.js');
        const flagNames = flagNamesOf(cmd, sharedConfigFlags);
        process.exitCode = await runBenchCommand(dataset, flags, { loadConfig: (o) => loadConfig({ ...o, flagNames }), signal: abort.signal });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
