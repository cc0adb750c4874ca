import net from 'node:net';
import { ENGINE_NAMES } from '../../core/choices.js';
import { errorMessage } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { ProbeResult } from '../../core/types.js';
import type { ZakConfig } from '../../config/defaults.js';
import { loadConfig } from '../../config/load.js';

export type CheckResult = ProbeResult;

type Check = (config: ZakConfig) => Promise<CheckResult | CheckResult[]>;

const MIN_NODE_MAJOR = 20;

const checkNode: Check = async () => {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= MIN_NODE_MAJOR
    ? { name: 'node', status: 'ok', detail: `Node.js ${process.versions.node}` }
    : { name: 'node', status: 'fail', detail: `Node.js ${process.versions.node} is too old`, fix: `Install Node.js ${MIN_NODE_MAJOR} or newer` };
};

const checkSharp: Check = async () => {
  try {
    const sharp = (await import('sharp')).default;
    const fmts = Object.entries(sharp.format).filter(([, f]) => f.input.buffer).map(([k]) => k);
    return { name: 'sharp (decoder)', status: 'ok', detail: `libvips ${sharp.versions.vips}; reads ${fmts.join(', ')}` };
  } catch (err) {
    return { name: 'sharp (decoder)', status: 'fail', detail: errorMessage(err), fix: 'Reinstall: npm ci (sharp ships prebuilt libvips for linux-x64)' };
  }
};

/**
 * Every engine's own check (`OcrEngine.probe`: runtime, models, language data, device, a timed sample read); the
 * engines know their resources, doctor only lists the lines. `auto` is made of `paddle` and `tesseract`, whose
 * probes already cover it.
 */
const checkEngines: Check = async (config) => {
  const { createEngine } = await import('../../ocr/registry.js');
  const out: CheckResult[] = [];
  for (const name of ENGINE_NAMES) {
    const engine = createEngine(name);
    if (!engine.probe) continue;
    try {
      out.push(...(await engine.probe({ langs: [], device: config.device, threads: config.ocr.threads, settings: config.ocr })));
    } catch (err) {
      out.push({ name: `engine ${name}`, status: 'fail', detail: errorMessage(err) });
    }
  }
  return out;
};

function tcpReachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

const checkDatabase: Check = async (config) => {
  if (!config.pg.url) return { name: 'PostgreSQL', status: 'skip', detail: 'no --pg / DATABASE_URL configured' };
  const shown = redact(config.pg.url);
  try {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: config.pg.url, connectionTimeoutMillis: 3000 });
    await client.connect();
    const res = await client.query<{ v: string }>('SELECT version() AS v');
    await client.end();
    return { name: 'PostgreSQL', status: 'ok', detail: `${shown}: ${res.rows[0].v.split(',')[0]}` };
  } catch (err) {
    return { name: 'PostgreSQL', status: 'fail', detail: `${shown}: ${redact(errorMessage(err))}`, fix: 'Check the URL, that the server runs, and run `zakocr db migrate --pg URL`' };
  }
};

const checkBrokers: Check = async (config) => {
  if (config.kafka.brokers.length === 0) return { name: 'Kafka', status: 'skip', detail: 'no --kafka / KAFKA_BROKERS configured' };
  const results = await Promise.all(
    config.kafka.brokers.map(async (b) => {
      const [host, portText] = b.split(':');
      const ok = await tcpReachable(host, Number(portText ?? 9092));
      return { b, ok };
    }),
  );
  const down = results.filter((r) => !r.ok).map((r) => r.b);
  return down.length === 0
    ? { name: 'Kafka', status: 'ok', detail: `reachable: ${config.kafka.brokers.join(', ')}` }
    : { name: 'Kafka', status: 'fail', detail: `unreachable: ${down.join(', ')}`, fix: 'Check KAFKA_BROKERS / --kafka host:port and the network' };
};

export const CHECKS: Check[] = [checkNode, checkSharp, checkEngines, checkDatabase, checkBrokers];

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** Runs every check, prints one line each (with the fix when not ok); 0 when nothing failed, else 2. */
export async function runDoctor(opts: { configFile?: string; pg?: string; kafka?: string; json?: boolean } = {}): Promise<number> {
  const { config } = await loadConfig({ configFile: opts.configFile, flags: { 'pg.url': opts.pg, 'kafka.brokers': opts.kafka } });
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    try {
      const r = await check(config);
      results.push(...(Array.isArray(r) ? r : [r]));
    } catch (err) {
      results.push({ name: check.name || 'check', status: 'fail', detail: errorMessage(err) });
    }
  }
  if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    for (const r of results) {
      process.stdout.write(`${MARK[r.status]}  ${r.name.padEnd(18)} ${r.detail}\n`);
      if (r.fix && r.status !== 'ok' && r.status !== 'skip') process.stdout.write(`      fix: ${r.fix}\n`);
    }
  }
  return results.some((r) => r.status === 'fail') ? 2 : 0;
}
