/**
 * Starts the real service in-process (real Fastify on a free loopback port, real pipeline, spool folder and sinks)
 * with a fake engine injected through `AnalyzerDeps`, and sends real HTTP requests to it.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../src/config/load.js';
import type { Logger, OcrEngine, Sink } from '../../src/core/types.js';
import { startServe, type RunningServe } from '../../src/serve/server.js';

export const TEST_KEY = 'test-key-0123456789';

export function memoryLog(lines: string[] = []): Logger & { lines: string[] } {
  const put = (level: string) => (msg: string) => void lines.push(`${level}: ${msg}`);
  return { lines, info: put('info'), warn: put('warn'), error: put('error'), debug: put('debug') };
}

export interface TestServe extends RunningServe {
  log: Logger & { lines: string[] };
  /** fetch() against the service with the test key (pass `auth: null` for none, or another header value). */
  request(path: string, init?: RequestInit & { auth?: string | null }): Promise<Response>;
}

/**
 * @param flags dotted config keys (validated like a config file); auth is the test key unless `serve.apiKeys` is given.
 */
export async function startTestServe(engine: OcrEngine, flags: Record<string, unknown> = {}, extra: { sinks?: Sink[]; env?: NodeJS.ProcessEnv } = {}): Promise<TestServe> {
  const { config } = await loadConfig({
    env: extra.env ?? {},
    cwd: '/',
    flags: { 'serve.port': 0, 'serve.apiKeys': [TEST_KEY], concurrency: 1, 'barcode.enabled': false, quiet: true, ...flags },
  });
  const log = memoryLog();
  const server = await startServe({ config, log, deps: { engine, sinks: extra.sinks }, warmUp: false });
  return {
    ...server,
    log,
    request(path, init = {}) {
      const { auth, ...rest } = init;
      const headers = new Headers(rest.headers);
      const value = auth === undefined ? `Bearer ${TEST_KEY}` : auth;
      if (value !== null) headers.set('authorization', value);
      return fetch(server.url + path, { ...rest, headers });
    },
  };
}

/** A multipart body with the given files (name → bytes). */
export function formWith(files: Array<[string, Buffer, string?]>): FormData {
  const form = new FormData();
  for (const [name, bytes, type] of files) form.append('file', new Blob([bytes], { type: type ?? 'image/png' }), name);
  return form;
}

export async function bytesOf(file: string): Promise<Buffer> {
  return readFile(file);
}
