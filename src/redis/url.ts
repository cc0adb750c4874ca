import { ConfigError } from '../core/errors.js';

/** A checked Redis URL: the value to connect with and a form safe to print (password hidden). */
export interface RedisTarget {
  url: string;
  display: string;
  /** The password in the URL, if any (for log redaction). */
  password: string | null;
}

/**
 * Checks a `redis://[user:pass@]host[:port][/db]` or `rediss://` (TLS) URL. Pure.
 * @throws ConfigError naming the config key (`queue.redis`, `cache.url`) and the expected form.
 */
export function parseRedisUrl(value: string, key: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(key, `Expected a redis://host:port[/db] URL for ${key}, got ${JSON.stringify(value)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ConfigError(key, `Expected a redis:// or rediss:// URL for ${key}, got ${u.protocol}// in ${JSON.stringify(redactUrl(u))}`);
  }
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) {
    throw new ConfigError(key, `Expected a database number (0-15) after the host in ${key}, got "/${db}"`);
  }
  const password = u.password ? decodeURIComponent(u.password) : null;
  return { url: value, display: redactUrl(u), password };
}

function redactUrl(u: URL): string {
  const copy = new URL(u.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}
