import { describe, expect, it } from 'vitest';
import { compareMigrations, migrationChecksum, type AppliedMigration } from './migrate.js';
import { MIGRATIONS, migrationLabel, type Migration } from './migrations/index.js';

const m1: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE a (x int);' };
const m2: Migration = { version: 2, name: 'two', sql: 'CREATE TABLE b (x int);' };
const applied = (m: Migration, checksum = migrationChecksum(m)): AppliedMigration => ({ version: m.version, name: m.name, checksum, appliedAt: new Date(0) });

describe('migrations', () => {
  it('are numbered 1..n without gaps and have distinct names', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
  });

  it.each([
    [{ version: 1, name: 'jobs' }, '0001_jobs'],
    [{ version: 12, name: 'products' }, '0012_products'],
  ])('label of %o is %s', (m, label) => {
    expect(migrationLabel(m)).toBe(label);
  });

  it('checksum ignores surrounding whitespace only', () => {
    expect(migrationChecksum({ ...m1, sql: `\n  ${m1.sql}\n` })).toBe(migrationChecksum(m1));
    expect(migrationChecksum({ ...m1, sql: m1.sql.replace('int', 'bigint') })).not.toBe(migrationChecksum(m1));
  });
});

describe('compareMigrations', () => {
  it.each<[string, AppliedMigration[], number[], number[], number[]]>([
    ['fresh database', [], [1, 2], [], []],
    ['half migrated', [applied(m1)], [2], [], []],
    ['up to date', [applied(m1), applied(m2)], [], [], []],
    ['newer database', [applied(m1), applied(m2), { ...applied(m2), version: 3, name: 'three' }], [], [3], []],
    ['edited migration', [applied(m1, 'deadbeef'), applied(m2)], [], [], [1]],
  ])('%s', (_name, have, pending, unknown, changed) => {
    const s = compareMigrations(have, [m1, m2]);
    expect(s.pending.map((m) => m.version)).toEqual(pending);
    expect(s.unknown.map((m) => m.version)).toEqual(unknown);
    expect(s.changed.map((m) => m.version)).toEqual(changed);
  });
});
