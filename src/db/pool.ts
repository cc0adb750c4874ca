import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import type { ZakConfig } from '../config/defaults.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Logger } from '../core/types.js';

/** Connection parameters in a URL that decide TLS; when any is present the URL wins over `pg.ssl`. */
const URL_TLS_PARAMS = ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey'] as const;
/** Give up connecting after this long (the retry wrapper decides what happens next). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Close pooled connections idle this long. */
const IDLE_TIMEOUT_MS = 30_000;
/** A statement that has not answered after this long is abandoned (a black-holed connection). */
const QUERY_TIMEOUT_MS = 120_000;

/**
 * The TLS options for `pg` from `pg.ssl`, or `undefined` when the URL carries its own
 * (`?sslmode=verify-full&sslrootcert=/etc/ca.pem` is passed through to pg untouched).
 * `require` encrypts without verifying the server (libpq semantics); `verify-full` checks the
 * certificate chain against Node's CA store (or the URL's `sslrootcert`) and the host name.
 */
export function pgSslOptions(url: string, mode: ZakConfig['pg']['ssl']): boolean | ConnectionOptions | undefined {
  if (url.startsWith('/')) return false; // a Unix socket directory: no TLS
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    /* reported below */
  }
  if (!parsed || !['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new ConfigError('pg.url', `Expected a postgres:// URL for pg.url, got ${JSON.stringify(redact(url))} (string)`);
  }
  const params = parsed.searchParams;
  if (URL_TLS_PARAMS.some((p) => params.has(p))) return undefined;
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** Secrets in a PostgreSQL URL (the password), for `redact`. */
export function pgSecrets(url: string | null): string[] {
  if (!url) return [];
  try {
    const pw = decodeURIComponent(new URL(url).password);
    return pw ? [pw] : [];
  } catch {
    return [];
  }
}

/** The URL for messages: password replaced by `***`. */
export function describePgUrl(url: string): string {
  return redact(url, pgSecrets(url));
}

/**
 * Creates a small connection pool for `pg.url`. Dropped idle connections (server restart,
 * `pg_terminate_backend`) are logged and replaced on the next query instead of crashing the process.
 * @throws ConfigError when `pg.url` is missing or not a URL.
 */
export function createPool(cfg: ZakConfig['pg'], log?: Logger, opts: { max?: number; applicationName?: string } = {}): pg.Pool {
  if (!cfg.url) {
    throw new ConfigError('pg.url', 'No PostgreSQL URL: pass --pg postgres://user@host:5432/db or set DATABASE_URL', {
      hint: 'zakocr db migrate --pg postgres://postgres@127.0.0.1:5432/zakocr',
    });
  }
  const ssl = pgSslOptions(cfg.url, cfg.ssl);
  const pool = new pg.Pool({
    connectionString: cfg.url,
    ...(ssl === undefined ? {} : { ssl }),
    max: opts.max ?? cfg.poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: opts.applicationName ?? 'zakocr',
  });
  const secrets = pgSecrets(cfg.url);
  pool.on('error', (err) => {
    // An idle pooled connection died; pg removes it. Without this listener the process would crash.
    log?.warn(`PostgreSQL connection dropped: ${redact(errorMessage(err), secrets)}`);
  });
  pool.on('connect', (client) => {
    // A checked-out connection killed between two statements (pg_terminate_backend, failover) emits
    // 'error' on its client; unheard, that would end the process. The next statement on it fails and
    // is retried by its caller, so noting it is enough.
    client.on('error', (err) => log?.debug(`PostgreSQL connection error: ${redact(errorMessage(err), secrets)}`));
  });
  return pool;
}

/**
 * True for server errors that the same statement will hit again however often it is retried:
 * data exceptions (22), integrity violations (23), syntax/undefined objects (42). Connection loss,
 * shutdown, serialization failures and deadlocks are not permanent.
 */
export function isPermanentPgError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|42)[0-9A-Z]{3}$/.test(code);
}
