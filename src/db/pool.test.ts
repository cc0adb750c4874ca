import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { describePgUrl, isPermanentPgError, pgConnectRefusal, pgSecrets, pgSslOptions } from './pool.js';

describe('pgSslOptions', () => {
  it.each<[string, 'disable' | 'require' | 'verify-full', unknown]>([
    ['postgres://u@h/db', 'disable', false],
    ['postgres://u@h/db', 'require', { rejectUnauthorized: false }],
    ['postgres://u@h/db', 'verify-full', { rejectUnauthorized: true }],
    ['postgres://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem', 'disable', undefined],
    ['postgres://u@h/db?ssl=true', 'disable', undefined],
    ['postgres://u@h/db?application_name=x', 'require', { rejectUnauthorized: false }],
    ['postgresql://u@h/db', 'verify-full', { rejectUnauthorized: true }],
    ['/var/run/postgresql pos', 'require', false],
  ])('%s with pg.ssl=%s → %o', (url, mode, expected) => {
    expect(pgSslOptions(url, mode)).toEqual(expected);
  });

  it('rejects a non-URL without echoing its password', () => {
    expect(() => pgSslOptions('mysql://app:hunter2@db/pos', 'disable')).toThrow('Expected a postgres:// URL for pg.url, got "mysql://app:***@db/pos" (string)');
    expect(() => pgSslOptions('not a url', 'disable')).toThrow(/^Expected a postgres:\/\/ URL for pg.url/);
  });
});

describe('secrets', () => {
  it.each([
    ['postgres://app:s3cr%40t@db:5432/pos', ['s3cr@t'], 'postgres://app:***@db:5432/pos'],
    ['postgres://app@db/pos', [], 'postgres://app@db/pos'],
  ])('%s', (url, secrets, shown) => {
    expect(pgSecrets(url)).toEqual(secrets);
    expect(describePgUrl(url)).toBe(shown);
  });
  it('has none for null or garbage', () => {
    expect(pgSecrets(null)).toEqual([]);
    expect(pgSecrets('::')).toEqual([]);
  });
});

describe('isPermanentPgError', () => {
  it.each<[unknown, boolean]>([
    [{ code: '23505' }, true], // unique_violation
    [{ code: '22P02' }, true], // invalid_text_representation
    [{ code: '42P01' }, true], // undefined_table
    [{ code: '57P01' }, false], // admin_shutdown (pg_terminate_backend)
    [{ code: '08006' }, false], // connection_failure
    [{ code: '40001' }, false], // serialization_failure
    [{ code: 'ECONNREFUSED' }, false],
    [new Error('Connection terminated unexpectedly'), false],
    [null, false],
  ])('%o → %s', (err, permanent) => {
    expect(isPermanentPgError(err)).toBe(permanent);
  });
});

describe('pgConnectRefusal', () => {
  const url = 'postgres://app:s3cret@db:5432/pos';
  const pgErr = (code: string, message: string) => Object.assign(new Error(message), { code });
  it('a refused password, user or database is a configuration error (exit 2) with its fix, password redacted', () => {
    const pw = pgConnectRefusal(pgErr('28P01', 'password authentication failed for user "app"'), url)!;
    expect(pw).toBeInstanceOf(ConfigError);
    expect(pw.exitCode).toBe(2);
    expect(pw.message).toBe('cannot connect to postgres://app:***@db:5432/pos: the password was refused: password authentication failed for user "app" (28P01)');
    expect(pw.hint).toContain('password of app');
    expect(pgConnectRefusal(pgErr('28000', 'role "app" does not exist'), url)!.hint).toContain('role app must exist');
    const db = pgConnectRefusal(pgErr('3D000', 'database "pos" does not exist'), url)!;
    expect(db.hint).toContain('createdb pos');
    expect(JSON.stringify([pw.message, pw.hint, db.message, db.hint])).not.toContain('s3cret');
  });

  it.each(['ECONNREFUSED', '57P03', '53300', '08006', undefined])('leaves %s to the retries', (code) => {
    expect(pgConnectRefusal(Object.assign(new Error('x'), { code }), url)).toBeNull();
  });
});
