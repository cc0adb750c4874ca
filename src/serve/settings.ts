import { isIP } from 'node:net';
import { ConfigError, UsageError } from '../core/errors.js';
import type { ZakConfig } from '../config/defaults.js';

/** Shortest HS256 secret accepted: RFC 7518 §3.2 asks for a key at least as long as the hash (256 bits). */
export const MIN_HS256_SECRET_CHARS = 32;

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. Pure. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** Whether any credential is configured. */
export function authConfigured(serve: ZakConfig['serve']): boolean {
  return serve.apiKeys.length > 0 || serve.jwt.secret !== null || serve.jwt.publicKeyFile !== null;
}

/**
 * Start-up checks of the `serve.*` keys that span several keys (each key alone is checked by the config schema).
 * @throws ConfigError for an incomplete JWT setup or a short secret; UsageError when auth would be off on an
 * address other machines can reach.
 */
export function checkServeConfig(config: ZakConfig): void {
  const { serve } = config;
  const jwtOn = serve.jwt.secret !== null || serve.jwt.publicKeyFile !== null;
  if (jwtOn && (!serve.jwt.issuer || !serve.jwt.audience)) {
    throw new ConfigError('serve.jwt.issuer', 'JWT auth needs both serve.jwt.issuer and serve.jwt.audience: tokens are accepted only with the expected iss and aud claims');
  }
  if (serve.jwt.secret !== null && serve.jwt.secret.length < MIN_HS256_SECRET_CHARS) {
    throw new ConfigError('serve.jwt.secret', `Expected at least ${MIN_HS256_SECRET_CHARS} characters for serve.jwt.secret (HS256), got ${serve.jwt.secret.length}`);
  }
  if (serve.apiKeys.some((k) => k.length < 8)) {
    throw new ConfigError('serve.apiKeys', 'Expected API keys of at least 8 characters in serve.apiKeys / ZAKOCR_API_KEYS');
  }
  if (!authConfigured(serve) && !isLoopbackHost(serve.host)) {
    throw new UsageError(`Refusing to serve on ${serve.host} without authentication: only a loopback address may run without keys`, {
      hint: 'set ZAKOCR_API_KEYS=<key1,key2> (or serve.apiKeys / serve.jwt.* in the config), or bind --host 127.0.0.1',
    });
  }
  const unknownEngine = serve.engines.length > 0 && !serve.engines.includes(config.engine);
  if (unknownEngine) {
    throw new ConfigError('serve.engines', `serve.engines (${serve.engines.join(', ')}) must include the default engine ${config.engine}`);
  }
  if (serve.langs.length > 0 && !serve.langs.includes(config.lang)) {
    throw new ConfigError('serve.langs', `serve.langs (${serve.langs.join(', ')}) must include the default lang ${config.lang}`);
  }
}

/** Every secret of the service's config, for redaction. */
export function serveSecrets(config: ZakConfig): string[] {
  return [...config.serve.apiKeys, ...(config.serve.jwt.secret ? [config.serve.jwt.secret] : [])];
}
