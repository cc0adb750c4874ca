import { Option, type Command } from 'commander';
import { DEVICE_CHOICES, ENGINE_NAMES, LANG_CHOICES, PRECISION_CHOICES } from '../core/choices.js';

/**
 * The options of everything that runs the analysis pipeline (`scan`, `worker`): engine, languages, thresholds,
 * barcodes, catalog, sinks, cache, logging. Each command adds its own (inputs and outputs, queue) around them.
 */
export function addAnalysisOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--lang <lang>', 'OCR language(s)').choices(LANG_CHOICES))
    .addOption(new Option('--engine <name>', 'OCR engine: auto (neural first, Tesseract for weak lines), paddle, tesseract, none').choices(ENGINE_NAMES))
    .addOption(new Option('--device <device>', 'where the neural engine runs; never falls back silently').choices(DEVICE_CHOICES))
    .addOption(new Option('--precision <p>', 'PP-OCR model files: auto (the CPU set on a CPU, fp32 on a GPU), int8, folded, fp32').choices(PRECISION_CHOICES))
    .option('-q, --quiet', 'no progress output; only warnings, errors and nothing else')
    .option('--json-log', 'log as JSON Lines on stderr (for log collectors)')
    .option('--config <file>', 'config file (default: .zakocrrc* / zakocr.config.* / package.json "zakocr", searched upwards)')
    .option('--min-line-confidence <x>', 'engine auto: lines under this confidence (0..1) are re-read by Tesseract')
    .option('--min-quality <x>', 'pages with a quality score under this (0..1) skip OCR and go to needs_review')
    .option('--min-field-confidence <x>', 'key fields under this confidence (0..1) make the record needs_review')
    .option('--barcode-formats <list>', 'comma-separated formats to look for, e.g. EAN_13,QR_CODE')
    .option('--barcodes-only', 'read barcodes only: no OCR, no preprocessing or quality analysis (fastest)')
    .option('--no-barcodes', 'do not look for barcodes')
    .option('--no-preprocess', 'skip every preprocessing step')
    .option('--catalog <csv>', 'product catalog CSV (barcode,name,price,...) to match barcodes against')
    .option('--create-products', 'insert unknown barcodes into the PostgreSQL products table')
    .option('--pg <url>', 'PostgreSQL sink (or DATABASE_URL)')
    .option('--migrate', 'with --pg: apply pending database migrations first')
    .option('--kafka <brokers>', 'Kafka sink: comma-separated host:port list (or KAFKA_BROKERS)')
    .option('--timeout <ms>', 'time limit per file in milliseconds')
    .option('--cache <url>', 'shared result cache, e.g. redis://host:6379/6: files seen before (sha256 + pipeline version) are not OCR\'d again');
}
