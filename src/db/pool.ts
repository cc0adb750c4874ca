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

/** Connection refusals no retry can fix, by SQLSTATE: what the server said is wrong, and how to fix it. */
const CONNECT_REFUSALS: Record<string, { what: string; fix: (db: string, user: string) => string }> = {
  '28P01': {
    what: 'the password was refused',
    fix: (_db, user) => `Check the password of ${user} in the --pg URL / DATABASE_URL (percent-encode special characters).`,
  },
  '28000': {
    what: 'the user is not allowed in',
    fix: (db, user) => `Check the user name in the --pg URL; the role ${user} must exist and the server's pg_hba.conf must let it connect to ${db} from this host.`,
  },
  '3D000': {
    what: 'the database does not exist',
    fix: (db) => `Create it (createdb ${db}, or CREATE DATABASE ${db}) and run zakocr db migrate, or fix the database name in the --pg URL.`,
  },
};

/**
 * A connection error that no retry can fix — password refused (28P01), role unknown or not allowed (28000), no such
 * database (3D000) — as a ConfigError (exit 2 at start-up) with the server's message and the fix; null for anything
 * else (connection refused, timeouts, a restarting server: those are retried).
 */
export function pgConnectRefusal(err: unknown, url: string): ConfigError | null {
  const code = (err as { code?: unknown } | null)?.code;
  const refusal = typeof code === 'string' ? CONNECT_REFUSALS[code] : undefined;
  if (!refusal) return null;
  let db = '?';
  let user = '?';
  try {
    const u = new URL(url);
    db = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
    user = decodeURIComponent(u.username) || 'the current user';
  } catch {
    /* a socket path: names unknown */
  }
  const reason = redact(errorMessage(err), pgSecrets(url));
  return new ConfigError('pg.url', `cannot connect to ${describePgUrl(url)}: ${refusal.what}: ${reason} (${code})`, { hint: refusal.fix(db, user) });
}
