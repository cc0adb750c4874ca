import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errors as joseErrors, importSPKI, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { ZakConfig } from '../config/defaults.js';
import { ServeError } from './errors.js';

/** Who made a request; `id` keys rate limits and access logs and never reveals a secret. */
export interface Principal {
  id: string;
  kind: 'key' | 'jwt' | 'anonymous';
}

export interface Authenticator {
  /** False only for a loopback server with no credential configured. */
  readonly enabled: boolean;
  /** What the service accepts, for the start-up line: "2 API keys, JWT (HS256)". */
  readonly describe: string;
  /**
   * Checks an `Authorization` header value.
   * @throws ServeError 401 (with `WWW-Authenticate`) when it is missing or wrong.
   */
  authenticate(header: string | undefined): Promise<Principal>;
}

const ANONYMOUS: Principal = { id: 'anonymous', kind: 'anonymous' };
/** Leeway for `exp`/`nbf` between the token issuer's clock and ours. */
const JWT_CLOCK_TOLERANCE_S = 30;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function unauthorized(message: string, error = 'invalid_token'): ServeError {
  return new ServeError(401, 'unauthorized', message, { headers: { 'www-authenticate': `Bearer realm="zakocr", error="${error}"` } });
}

/**
 * Bearer API keys (compared as SHA-256 digests in constant time) and/or JWTs (HS256 with `serve.jwt.secret`,
 * RS256 with the PEM in `serve.jwt.publicKeyFile`; `iss` and `aud` always checked, `exp` when present).
 * @throws ConfigError when the public key file cannot be read or parsed.
 */
export async function createAuthenticator(serve: ZakConfig['serve']): Promise<Authenticator> {
  const keyDigests = serve.apiKeys.map(sha256);
  const algorithms: string[] = [];
  const hsKey = serve.jwt.secret !== null ? new TextEncoder().encode(serve.jwt.secret) : null;
  if (hsKey) algorithms.push('HS256');
  let rsKey: Awaited<ReturnType<typeof importSPKI>> | null = null;
  if (serve.jwt.publicKeyFile !== null) {
    try {
      rsKey = await importSPKI(await readFile(serve.jwt.publicKeyFile, 'utf8'), 'RS256');
    } catch (err) {
      throw new ConfigError('serve.jwt.publicKeyFile', `Cannot use ${serve.jwt.publicKeyFile} as an RS256 public key (PEM "BEGIN PUBLIC KEY"): ${errorMessage(err)}`, { cause: err });
    }
    algorithms.push('RS256');
  }
  const enabled = keyDigests.length > 0 || algorithms.length > 0;
  const getKey: JWTVerifyGetKey = (header) => {
    if (header.alg === 'HS256' && hsKey) return hsKey;
    if (header.alg === 'RS256' && rsKey) return rsKey;
    throw unauthorized(`token algorithm ${header.alg ?? '(none)'} is not accepted; accepted: ${algorithms.join(', ')}`);
  };

  function matchKey(candidate: string): Principal | null {
    const digest = sha256(candidate);
    let found = -1;
    // Every key is compared, so the time taken does not tell which one (or whether any) matched.
    keyDigests.forEach((d, i) => {
      if (timingSafeEqual(d, digest) && found < 0) found = i;
    });
    return found < 0 ? null : { id: `key:${digest.toString('hex').slice(0, 12)}`, kind: 'key' };
  }

  async function verifyJwt(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, getKey, {
        algorithms,
        issuer: serve.jwt.issuer ?? undefined,
        audience: serve.jwt.audience ?? undefined,
        clockTolerance: JWT_CLOCK_TOLERANCE_S,
      });
      return { id: `jwt:${typeof payload.sub === 'string' ? payload.sub.slice(0, 128) : 'no-sub'}`, kind: 'jwt' };
    } catch (err) {
      if (err instanceof ServeError) throw err;
      // jose's messages name the failed claim ("unexpected \"aud\" claim value") and never echo the token.
      const why = err instanceof joseErrors.JOSEError ? err.message : 'not a valid token';
      throw unauthorized(`invalid token: ${why}`);
    }
  }

  const parts = [keyDigests.length ? `${keyDigests.length} API key${keyDigests.length === 1 ? '' : 's'}` : '', algorithms.length ? `JWT (${algorithms.join(', ')})` : ''];
  return {
    enabled,
    describe: enabled ? parts.filter(Boolean).join(', ') : 'off (loopback only, no key set)',
    async authenticate(header) {
      if (!enabled) return ANONYMOUS;
      if (!header) throw unauthorized('missing Authorization header: send "Authorization: Bearer <API key or token>"', 'invalid_request');
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw unauthorized('Authorization header must be "Bearer <API key or token>"', 'invalid_request');
      const credential = m[1];
      const byKey = keyDigests.length > 0 ? matchKey(credential) : null;
      if (byKey) return byKey;
      if (algorithms.length > 0 && credential.split('.').length === 3) return verifyJwt(credential);
      throw unauthorized('unknown API key');
    },
  };
}
