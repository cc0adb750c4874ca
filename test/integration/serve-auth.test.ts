/**
 * Security of `zakocr serve`: API keys and JWTs (HS256 and RS256, issuer and audience checked, expiry, algorithm),
 * auth off only on loopback with nothing configured, start-up refusals with their messages.
 */
import { generateKeyPairSync } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createAuthenticator } from '../../src/serve/auth.js';
import { checkServeConfig } from '../../src/serve/settings.js';
import { ScriptedEngine } from '../fakes/engines/scripted.js';
import { startTestServe, type TestServe } from '../helpers/serve.js';
import { tempDir } from './scan-helpers.js';

const SECRET = 'hs256-secret-for-tests-0123456789abcdef';
const ISSUER = 'https://auth.zakpos.test';
const AUDIENCE = 'zakocr';
let dir: string;
let png: Buffer;
let rsa: { privateKey: import('node:crypto').KeyObject; pem: string };
let server: TestServe;

beforeAll(async () => {
  dir = await tempDir('serve-auth');
  png = await sharp({ create: { width: 120, height: 40, channels: 3, background: '#fff' } }).png().toBuffer();
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  rsa = { privateKey: pair.privateKey, pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  await writeFile(path.join(dir, 'jwt.pem'), rsa.pem);
  server = await startTestServe(new ScriptedEngine(['Tk 10.00']), {
    'serve.apiKeys': [],
    'serve.jwt.secret': SECRET,
    'serve.jwt.publicKeyFile': path.join(dir, 'jwt.pem'),
    'serve.jwt.issuer': ISSUER,
    'serve.jwt.audience': AUDIENCE,
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface TokenOpts {
  alg?: 'HS256' | 'RS256';
  iss?: string;
  aud?: string;
  exp?: string | number;
  sub?: string;
}

async function token(o: TokenOpts = {}): Promise<string> {
  const alg = o.alg ?? 'HS256';
  const jwt = new SignJWT({}).setProtectedHeader({ alg }).setIssuedAt().setIssuer(o.iss ?? ISSUER).setAudience(o.aud ?? AUDIENCE).setSubject(o.sub ?? 'till-7');
  jwt.setExpirationTime(o.exp ?? '5m');
  return jwt.sign(alg === 'HS256' ? new TextEncoder().encode(SECRET) : rsa.privateKey);
}

const scan = (auth: string | null) => server.request('/v1/scan', { method: 'POST', body: png, headers: { 'content-type': 'image/png' }, auth });

describe('JWT', () => {
  it.each([
    ['HS256', {}],
    ['RS256', { alg: 'RS256' }],
  ] as const)('%s token with the right issuer and audience → 200', async (_name, opts) => {
    expect((await scan(`Bearer ${await token(opts)}`)).status).toBe(200);
  });

  it.each([
    ['wrong issuer', { iss: 'https://evil.test' }, 'invalid token: unexpected "iss" claim value'],
    ['wrong audience', { aud: 'someone-else' }, 'invalid token: unexpected "aud" claim value'],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600 }, 'invalid token: "exp" claim timestamp check failed'],
  ] as const)('%s → 401 naming the claim', async (_name, opts, message) => {
    const res = await scan(`Bearer ${await token(opts)}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(message);
  });

  it('a token signed with another secret, an alg=none token, garbage → 401', async () => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(new TextEncoder().encode('another-secret-0123456789abcdefghij'));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64({ iss: ISSUER, aud: AUDIENCE })}.`;
    for (const t of [forged, none, 'a.b.c']) expect((await scan(`Bearer ${t}`)).status).toBe(401);
  });

  it('rate limits are per token subject', async () => {
    const res = await scan(`Bearer ${await token({ sub: 'till-9' })}`);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('1199');
  });
});

describe('API keys and auth off', () => {
  it('auth is off on loopback with no key: requests pass without a header', async () => {
    const s = await startTestServe(new ScriptedEngine(['x']), { 'serve.apiKeys': [] });
    try {
      expect(s.ctx.auth.enabled).toBe(false);
      expect((await s.request('/v1/scan', { method: 'POST', body: png, headers: { 'content-type': 'image/png' }, auth: null })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('ZAKOCR_API_KEYS (comma-separated) sets the keys; both work, and the header is case-insensitive', async () => {
    const { config } = await loadConfig({ env: { ZAKOCR_API_KEYS: 'first-key-aaaaaaaa, second-key-bbbbbbbb' }, cwd: '/' });
    expect(config.serve.apiKeys).toEqual(['first-key-aaaaaaaa', 'second-key-bbbbbbbb']);
    const auth = await createAuthenticator(config.serve);
    await expect(auth.authenticate('Bearer second-key-bbbbbbbb')).resolves.toMatchObject({ kind: 'key', id: expect.stringMatching(/^key:[0-9a-f]{12}$/) });
    await expect(auth.authenticate('bearer first-key-aaaaaaaa')).resolves.toMatchObject({ kind: 'key' });
    await expect(auth.authenticate('Bearer first-key-aaaaaaa')).rejects.toThrow('unknown API key');
  });

  it.each([
    [{ 'serve.host': '0.0.0.0' }, 'Refusing to serve on 0.0.0.0 without authentication: only a loopback address may run without keys'],
    [{ 'serve.jwt.secret': SECRET }, 'JWT auth needs both serve.jwt.issuer and serve.jwt.audience: tokens are accepted only with the expected iss and aud claims'],
    [{ 'serve.jwt.secret': 'short', 'serve.jwt.issuer': ISSUER, 'serve.jwt.audience': AUDIENCE }, 'Expected at least 32 characters for serve.jwt.secret (HS256), got 5'],
    [{ 'serve.apiKeys': ['abc'] }, 'Expected API keys of at least 8 characters in serve.apiKeys / ZAKOCR_API_KEYS'],
    [{ 'serve.engines': ['paddle'] }, 'serve.engines (paddle) must include the default engine auto'],
  ])('refuses to start with %j', async (flags, message) => {
    const { config } = await loadConfig({ env: {}, cwd: '/', flags });
    expect(() => checkServeConfig(config)).toThrow(message);
  });

  it('an unreadable RS256 key file is a ConfigError naming the key', async () => {
    const { config } = await loadConfig({ env: {}, cwd: '/', flags: { 'serve.jwt.publicKeyFile': path.join(dir, 'missing.pem'), 'serve.jwt.issuer': ISSUER, 'serve.jwt.audience': AUDIENCE } });
    await expect(createAuthenticator(config.serve)).rejects.toThrow(/^Cannot use .*missing\.pem as an RS256 public key/);
  });
});
