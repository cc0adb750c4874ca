import { Option, type Command } from 'commander';
import { ExitCode, type ExitCodeValue } from '../../core/exit-codes.js';
import { loadConfig } from '../../config/load.js';
import { flagNamesOf } from '../flag-names.js';
import { createLogger } from '../../core/logger.js';
import { parseRedisUrl } from '../../redis/url.js';
import { secretsOf } from './scan.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  config?: string;
  engine?: string;
  lang?: string;
  device?: string;
  concurrency?: string;
  maxWaiting?: string;
  out?: string[];
  pg?: string;
  migrate?: boolean;
  kafka?: string;
  catalog?: string;
  barcodes?: boolean;
  timeout?: string;
  quiet?: boolean;
  jsonLog?: boolean;
  accessLog?: boolean;
  printOpenapi?: boolean;
  jobs?: string;
  redis?: string;
  queue?: string;
}

/** Maps serve flags onto dotted config keys (undefined = not given: lower layers win). */
export function serveFlagsToConfig(f: ServeFlags): Record<string, unknown> {
  return {
    'serve.port': f.port,
    'serve.host': f.host,
    engine: f.engine,
    lang: f.lang,
    device: f.device,
    concurrency: f.concurrency,
    'serve.maxWaiting': f.maxWaiting,
    'serve.out': f.out,
    'pg.url': f.pg,
    'pg.migrate': f.migrate,
    'kafka.brokers': f.kafka,
    catalog: f.catalog,
    'barcode.enabled': f.barcodes === false ? false : undefined,
    'limits.timeoutMs': f.timeout,
    quiet: f.quiet,
    jsonLog: f.jsonLog,
    'serve.accessLog': f.accessLog,
    'serve.jobs.backend': f.jobs,
    'queue.redis': f.redis,
    'queue.name': f.queue,
  };
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const EXAMPLES = `
Examples:
  $ zakocr serve                                        # http://127.0.0.1:8080, no auth (loopback only)
  $ ZAKOCR_API_KEYS=k1,k2 zakocr serve --host 0.0.0.0 --port 8080 --pg postgres://…/pos
  $ curl -H "Authorization: Bearer k1" --data-binary @label.png -H "Content-Type: image/png" http://127.0.0.1:8080/v1/scan
  $ zakocr serve --redis redis://queue-host:6379 --queue pos  # POST /v1/jobs by path → zakocr worker --queue pos
  $ zakocr serve --print-openapi > openapi.json

Stops on SIGTERM (exit 143) or Ctrl-C (130) after the requests in flight finish and the sinks are flushed.`;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('the scan pipeline as an HTTP service for the POS apps (/v1/scan, /v1/jobs, /healthz, /readyz, /metrics, upload page at /)')
    .option('-p, --port <port>', 'TCP port (default 8080; 0 picks a free one)')
    .option('--host <host>', 'address to bind (default 127.0.0.1; any other needs ZAKOCR_API_KEYS or JWT settings)')
    .option('--config <file>', 'config file (default: .zakocrrc* / zakocr.config.* / package.json "zakocr", searched upwards)')
    .option('--engine <name>', 'default OCR engine: auto, paddle, tesseract, none')
    .addOption(new Option('--lang <lang>', 'default OCR language(s)').choices(['eng', 'ben', 'eng+ben']))
    .addOption(new Option('--device <device>', 'where the neural engine runs; never falls back silently').choices(['auto', 'cpu', 'cuda', 'webgpu']))
    .option('-c, --concurrency <n>', 'images analysed at once (default: cores)')
    .option('--max-waiting <n>', 'requests waiting for a slot beyond --concurrency before 503 (default 16)')
    .option('-o, --out <file>', 'also write every record to this file (.jsonl/.json/.csv; finished when the server stops; repeatable)', collect)
    .option('--pg <url>', 'PostgreSQL sink (or DATABASE_URL)')
    .option('--migrate', 'with --pg: apply pending database migrations first')
    .option('--kafka <brokers>', 'Kafka sink: comma-separated host:port list (or KAFKA_BROKERS)')
    .option('--catalog <csv>', 'product catalog CSV to match barcodes against')
    .option('--no-barcodes', 'do not look for barcodes by default (?barcodes=true still can)')
    .option('--timeout <ms>', 'time limit per file in milliseconds')
    .option('-q, --quiet', 'only warnings and errors')
    .option('--json-log', 'log as JSON Lines on stderr')
    .option('--access-log', 'one stderr line per request')
    .addOption(new Option('--jobs <backend>', 'where POST /v1/jobs runs: queue (zakocr workers on --redis), in-process, or auto (queue when --redis / queue.redis is set)').choices(['auto', 'in-process', 'queue']))
    .option('--redis <url>', 'Redis of the job queue (queue.redis, or ZAKOCR_QUEUE_REDIS); setting it makes --jobs auto use the queue')
    .option('--queue <name>', 'queue name the workers take from (default zakocr, or ZAKOCR_QUEUE_NAME)')
    .option('--print-openapi', 'print the OpenAPI 3.1 document and exit')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: ServeFlags, cmd: Command) => {
      process.exitCode = await serveAction(flags, flagNamesOf(cmd, serveFlagsToConfig));
    });
}

/** Runs the service until SIGTERM/SIGINT; returns the exit code. Errors at start-up propagate to `cli/exit.ts`. */
export async function serveAction(flags: ServeFlags, flagNames?: Record<string, string>): Promise<ExitCodeValue> {
  const { config, explicit } = await loadConfig({ configFile: flags.config, flags: serveFlagsToConfig(flags), flagNames });
  if (flags.printOpenapi) {
    const { buildOpenApi, loadRecordSchema } = await import('../../serve/openapi.js');
    const { ZAKOCR_VERSION } = await import('../../core/version.js');
    process.stdout.write(JSON.stringify(buildOpenApi(await loadRecordSchema(), ZAKOCR_VERSION), null, 2) + '\n');
    return ExitCode.ok;
  }
  const [{ startServe }, { serveSecrets }] = await Promise.all([import('../../serve/server.js'), import('../../serve/settings.js')]);
  const queueConfigured = explicit.includes('queue.redis');
  const redisPassword = queueConfigured ? parseRedisUrl(config.queue.redis, 'queue.redis').password : null;
  const log = createLogger({ json: config.jsonLog, quiet: config.quiet, secrets: [...secretsOf(config), ...serveSecrets(config), redisPassword] });
  const server = await startServe({ config, log, queueConfigured });
  const engines = server.ctx.analyzers.loaded().map(({ info }) => `${info.name} on ${info.device}`).join(', ');
  log.info(`zakocr serve: listening on ${server.url} (engine ${engines}; concurrency ${config.concurrency}, ${config.serve.maxWaiting} waiting; auth ${server.ctx.auth.describe}; jobs ${server.ctx.jobs.name})`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info(`${signal}: finishing the requests in flight, then stopping`);
  // A second signal while draining quits at once.
  process.once(signal, () => process.exit(signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted));
  const { sinkErrors } = await server.close();
  for (const se of sinkErrors) log.error(se.message);
  return signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}
