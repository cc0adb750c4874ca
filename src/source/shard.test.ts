import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { globBase, parseShard, shardKey, shardOf } from './shard.js';
import { discover } from './walk.js';

describe('parseShard', () => {
  it.each([
    ['0/1', { index: 0, count: 1 }],
    ['0/2', { index: 0, count: 2 }],
    ['1/2', { index: 1, count: 2 }],
    [' 3 / 4 ', { index: 3, count: 4 }],
    ['99999/100000', { index: 99999, count: 100000 }],
  ])('%j → %j', (value, expected) => {
    expect(parseShard(value)).toEqual(expected);
  });

  it.each(['2/2', '1/0', '0/0', '-1/2', '1', '1/2/3', 'a/b', '', '0/100001', '1.5/3'])('refuses %j with a usage error naming the flag', (value) => {
    expect(() => parseShard(value)).toThrow(UsageError);
    expect(() => parseShard(value)).toThrow(`Expected i/N with 0 ≤ i < N ≤ 100000 for --shard, got ${JSON.stringify(value)}`);
  });
});

describe('shardOf', () => {
  it('is deterministic and spreads names evenly', () => {
    const keys = Array.from({ length: 4000 }, (_, i) => `2026-11/img_${String(i).padStart(5, '0')}.jpg`);
    const counts = [0, 0, 0, 0];
    for (const k of keys) counts[shardOf(k, 4)]++;
    expect(keys.map((k) => shardOf(k, 4))).toEqual(keys.map((k) => shardOf(k, 4)));
    for (const c of counts) expect(c).toBeGreaterThan(900); // 1000 expected each; ±10 % is far outside chance
  });

  it('keys by the path below the input with / separators', () => {
    expect(shardKey('/mnt/a/batch', '/mnt/a/batch/x/y.png')).toBe('x/y.png');
    expect(globBase('photos/**/*.jpg', '/cwd', /[*?[\]{}!]/)).toBe('/cwd/photos');
    expect(globBase('/abs/dir/*.png', '/cwd', /[*?[\]{}!]/)).toBe('/abs/dir');
    expect(globBase('**/*.png', '/cwd', /[*?[\]{}!]/)).toBe('/cwd');
  });
});

describe('discover with a shard', () => {
  let root: string;
  const names = Array.from({ length: 40 }, (_, i) => `sub${i % 3}/f${i}.png`);

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'zakocr-shard-'));
    for (const mount of ['mnt-a/batch', 'other/place/batch']) {
      for (const n of names) {
        await mkdir(path.dirname(path.join(root, mount, n)), { recursive: true });
        await writeFile(path.join(root, mount, n), n);
      }
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function shardFiles(input: string, index: number, count: number): Promise<string[]> {
    const out: string[] = [];
    for await (const item of discover([input], { cwd: root, shard: { index, count } })) out.push(path.relative(path.resolve(root, input.split('/*')[0]), item.absPath));
    return out.sort();
  }

  it('N shards cover every file once', async () => {
    const parts = await Promise.all([0, 1, 2].map((i) => shardFiles('mnt-a/batch', i, 3)));
    expect(parts.flat().sort()).toEqual([...names].sort());
    expect(new Set(parts.flat()).size).toBe(names.length);
    for (const p of parts) expect(p.length).toBeGreaterThan(0);
  });

  it('splits the same folder the same way wherever it is mounted, folder or glob', async () => {
    for (const i of [0, 1]) {
      const a = await shardFiles('mnt-a/batch', i, 2);
      expect(await shardFiles('other/place/batch', i, 2)).toEqual(a);
      expect(await shardFiles(path.join(root, 'other/place/batch'), i, 2)).toEqual(a);
      expect(await shardFiles('mnt-a/batch/**/*.png', i, 2)).toEqual(a);
    }
  });
});
