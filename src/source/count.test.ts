import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countInputs } from './count.js';
import { discover } from './walk.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'zakocr-count-'));
  const files = ['a/1.png', 'a/2.jpg', 'a/notes.txt', 'a/.hidden.png', 'a/deep/3.pdf', 'a/deep/4.png', 'a/archive/5.png', 'b/6.png', 'b/7.tif'];
  for (const f of files) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), f);
  }
  await symlink('..', path.join(root, 'a/deep/loop'));
  await writeFile(path.join(root, 'b/.zakocrignore'), '*.tif\n');
  for (let i = 0; i < 450; i++) {
    await mkdir(path.join(root, 'many'), { recursive: true });
    await writeFile(path.join(root, 'many', `${i}.png`), '');
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function discovered(inputs: string[], ignore?: string[]): Promise<number> {
  let n = 0;
  for await (const _item of discover(inputs, { cwd: root, ignore })) n++;
  return n;
}

describe('countInputs (the count ahead of a scan)', () => {
  it.each<[string, string[], string[] | undefined, number]>([
    ['one folder, recursed, loop-safe, hidden and sidecar files skipped', ['a'], undefined, 5],
    ['a folder\'s .zakocrignore', ['b'], undefined, 1],
    ['overlapping inputs count each file once', ['a', 'a/deep', 'a/1.png'], undefined, 5],
    ['a glob', ['a/**/*.png'], undefined, 3],
    ['!patterns and --ignore', ['a', '!archive/'], ['*.pdf'], 3],
    ['nothing matched', ['a/**/*.bmp'], undefined, 0],
  ])('counts what discover yields: %s', async (_label, inputs, ignore, want) => {
    expect(await countInputs(inputs, { cwd: root, ignore })).toBe(want);
    expect(await discovered(inputs, ignore)).toBe(want);
  });

  it('reports the running count as it walks', async () => {
    const seen: number[] = [];
    expect(await countInputs(['many'], { cwd: root, every: 200, onProgress: (n) => seen.push(n) })).toBe(450);
    expect(seen).toEqual([200, 400]);
  });

  it.each<[string, string[], AbortSignal | undefined]>([
    ['paths on standard input (readable once)', ['-'], undefined],
    ['a missing input (the scan reports it)', ['no-such-folder'], undefined],
    ['an aborted count', ['many'], AbortSignal.abort()],
  ])('is null for %s', async (_label, inputs, signal) => {
    expect(await countInputs(inputs, { cwd: root, signal })).toBeNull();
  });
});
