import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { SourceItem } from '../core/types.js';
import { checkInputs, discover, isCandidateFile, isSkippedName } from './walk.js';

let root: string;

/** Builds a tree from relative paths; a trailing `/` makes a folder, `-> target` a symlink. */
async function tree(base: string, entries: string[]): Promise<void> {
  for (const e of entries) {
    const [rel, target] = e.split(' -> ');
    const abs = path.join(base, rel);
    await mkdir(rel.endsWith('/') ? abs : path.dirname(abs), { recursive: true });
    if (target !== undefined) await symlink(target, abs);
    else if (!rel.endsWith('/')) await writeFile(abs, rel);
  }
}

async function collect(inputs: string[], cwd = root): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of discover(inputs, { cwd })) out.push(item);
  return out;
}
const paths = (items: SourceItem[]) => items.map((i) => i.path);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'zakocr-walk-'));
  await tree(root, [
    'shop/b.png',
    'shop/a.jpg',
    'shop/A-upper.jpg',
    'shop/img10.png',
    'shop/img2.png',
    'shop/a.jpg.gt.txt',
    'shop/notes.md',
    'shop/labels.csv',
    'shop/.hidden.png',
    'shop/.git/objects/x.png',
    'shop/Thumbs.db',
    'shop/desktop.ini',
    'shop/__MACOSX/a.jpg',
    'shop/node_modules/pkg/logo.png',
    'shop/zakocr-results.jsonl',
    'shop/zakocr-results.csv',
    'shop/zakocr-deadletter.jsonl',
    'shop/.zakocr-manifest.jsonl',
    'shop/sub/z.png',
    'shop/sub/deeper/y.tiff',
    'shop/aa/c.webp',
    'shop/sub/loop -> ..',
    'shop/sub/self -> .',
    'shop/dangling.png -> does-not-exist.png',
    'shop/link-to-b.png -> b.png',
    'shop/noext',
    'other/q.png',
    'other/r.jpg',
  ]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('isSkippedName / isCandidateFile', () => {
  it.each([
    ['.hidden.png', true],
    ['.zakocr-manifest.jsonl', true],
    ['Thumbs.db', true],
    ['DESKTOP.INI', true],
    ['__MACOSX', true],
    ['node_modules', true],
    ['zakocr-results.jsonl', true],
    ['ZAKOCR-RESULTS.CSV', true],
    ['zakocr-deadletter.jsonl', true],
    ['receipt.png', false],
    ['zakocr-results-old.png', false],
  ])('isSkippedName(%j) = %s', (name, skipped) => {
    expect(isSkippedName(name)).toBe(skipped);
  });

  it.each([
    ['a.jpg', true],
    ['scan.PDF', true],
    ['noext', true], // no extension: sniffed from its bytes
    ['text.png', true], // the extension is not trusted either way: decode says what it is
    ['a.jpg.gt.txt', false],
    ['labels.CSV', false],
    ['meta.json', false],
    ['rows.jsonl', false],
    ['README.md', false],
    ['.x.jsonl.123.tmp', false],
  ])('isCandidateFile(%j) = %s', (name, candidate) => {
    expect(isCandidateFile(name)).toBe(candidate);
  });
});

describe('discover', () => {
  it('walks a folder recursively in sorted order, skipping hidden, system, sidecar and own-output files', async () => {
    expect(paths(await collect(['shop']))).toEqual([
      'shop/A-upper.jpg',
      'shop/a.jpg',
      'shop/aa/c.webp',
      'shop/b.png',
      'shop/dangling.png',
      'shop/img10.png',
      'shop/img2.png',
      'shop/link-to-b.png',
      'shop/noext',
      'shop/sub/deeper/y.tiff',
      'shop/sub/z.png',
    ]);
  });

  it('is safe against symlink loops (each folder is walked once)', async () => {
    const items = await collect(['shop/sub']);
    expect(paths(items)).toEqual(['shop/sub/deeper/y.tiff', 'shop/sub/z.png']);
  });

  it('yields a dangling symlink with size -1 (reading it reports `unreadable`)', async () => {
    const item = (await collect(['shop'])).find((i) => i.path === 'shop/dangling.png')!;
    expect(item.size).toBe(-1);
    expect(item.absPath).toBe(path.join(root, 'shop/dangling.png'));
  });

  it('gives sizes, absolute paths and cwd-relative display paths', async () => {
    const [a] = await collect(['other/q.png']);
    expect(a).toEqual({ path: 'other/q.png', absPath: path.join(root, 'other/q.png'), size: 'other/q.png'.length });
    const [outside] = await collect([path.join(root, 'other/q.png')], path.join(root, 'shop'));
    expect(outside.path).toBe(path.join(root, 'other/q.png')); // outside the cwd: absolute
  });

  it('yields each file once across overlapping inputs, in input order', async () => {
    expect(paths(await collect(['other/r.jpg', 'other', 'other/q.png']))).toEqual(['other/r.jpg', 'other/q.png']);
  });

  it('takes an explicit hidden or sidecar file when named', async () => {
    expect(paths(await collect(['shop/.hidden.png']))).toEqual(['shop/.hidden.png']);
  });

  it('streams globs, skipping dot-files, system folders and sidecars', async () => {
    const items = paths(await collect(['shop/**/*.{png,jpg,txt}']));
    expect(items.sort()).toEqual(
      ['shop/A-upper.jpg', 'shop/a.jpg', 'shop/b.png', 'shop/dangling.png', 'shop/img10.png', 'shop/img2.png', 'shop/link-to-b.png', 'shop/sub/z.png'].sort(),
    );
  });

  it('globs terminate on symlink loops and never descend into symlinked folders (like bash globstar)', async () => {
    // fast-glob's followSymbolicLinks has no loop detection: with it, `loop -> ..` plus `self -> .` never ends.
    const started = Date.now();
    expect(paths(await collect(['shop/sub/**'])).sort()).toEqual(['shop/sub/deeper/y.tiff', 'shop/sub/z.png']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a glob gives a symlinked file the size of its target and a dangling one -1', async () => {
    const items = await collect(['shop/*.png']);
    expect(items.find((i) => i.path === 'shop/link-to-b.png')?.size).toBe('shop/b.png'.length);
    expect(items.find((i) => i.path === 'shop/dangling.png')?.size).toBe(-1);
  });

  it('a glob matching nothing yields nothing', async () => {
    expect(await collect(['shop/**/*.heic'])).toEqual([]);
  });

  it('is lazy: the first item arrives before later folders are read', async () => {
    const gen = discover(['shop', 'missing-folder'], { cwd: root });
    const first = await gen.next();
    expect(first.value?.path).toBe('shop/A-upper.jpg');
    await gen.return(undefined);
  });

  it.each([['missing.png'], ['no/such/folder']])('a plain path that does not exist (%s) is a UsageError', async (input) => {
    await expect(collect([input])).rejects.toThrow(UsageError);
    await expect(collect([input])).rejects.toThrow(`Input not found: ${input}`);
  });

  it('stops when the signal is aborted', async () => {
    const ac = new AbortController();
    const out: string[] = [];
    for await (const item of discover(['shop'], { cwd: root, signal: ac.signal })) {
      out.push(item.path);
      if (out.length === 2) ac.abort();
    }
    expect(out).toHaveLength(2);
  });
});

describe('checkInputs', () => {
  it('passes when the inputs hold at least one file to scan', async () => {
    await expect(checkInputs(['shop'], root)).resolves.toBeUndefined();
    await expect(checkInputs(['shop/**/*.tiff'], root)).resolves.toBeUndefined();
  });

  it.each([
    [['shop/**/*.heic'], 'No input files matched "shop/**/*.heic"'],
    [['empty'], 'No input files matched "empty"'],
    [['sidecars', 'nothing/**/*.jpg'], 'No input files matched "sidecars", "nothing/**/*.jpg"'],
  ])('nothing to scan in %j is a UsageError (exit 2) before any output is opened', async (inputs, message) => {
    await tree(root, ['empty/', 'sidecars/a.jpg.gt.txt', 'sidecars/.hidden.png', 'sidecars/notes.md']);
    const err = await checkInputs(inputs, root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(message);
    expect((err as UsageError).exitCode).toBe(2);
  });

  it('names a missing plain path first', async () => {
    await expect(checkInputs(['shop', 'missing.png'], root)).rejects.toThrow('Input not found: missing.png');
  });
});

describe('what a scan leaves out: !patterns, --ignore, .zakocrignore; paths from standard input', () => {
  let base: string;
  let outside: string;
  const scan = async (inputs: string[], opts: { ignore?: string[]; stdin?: string[] } = {}) => {
    const out: string[] = [];
    const stdin = opts.stdin ? Readable.from(opts.stdin.map((l) => `${l}\n`)) : undefined;
    for await (const item of discover(inputs, { cwd: base, ignore: opts.ignore, stdin })) out.push(item.path);
    return out;
  };

  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'zakocr-ignore-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'zakocr-ignore-out-'));
    await tree(base, ['in/a.png', 'in/b.pdf', 'in/keep.pdf', 'in/old/c.png', 'in/old/d.jpg', 'in/new/e.png', 'in/new/draft-f.png', 'in/notes.txt']);
    await writeFile(path.join(base, '.zakocrignore'), '# drafts never\n**/draft-*\n');
    await tree(outside, ['x.png', 'tmp/y.png', 'z.jpg']);
    await writeFile(path.join(outside, '.zakocrignore'), 'tmp/\n*.jpg\n');
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('the working folder\'s .zakocrignore applies to every walk', async () => {
    expect(await scan(['in'])).toEqual(['in/a.png', 'in/b.pdf', 'in/keep.pdf', 'in/new/e.png', 'in/old/c.png', 'in/old/d.jpg']);
  });

  it('!-negated inputs and --ignore patterns (.gitignore syntax) leave files and whole folders out', async () => {
    expect(await scan(['in', '!*.pdf', '!in/old/'])).toEqual(['in/a.png', 'in/new/e.png']);
    expect(await scan(['in'], { ignore: ['*.pdf', '!keep.pdf', 'old'] })).toEqual(['in/a.png', 'in/keep.pdf', 'in/new/e.png']);
    expect(await scan(['in/**/*.png', '!in/new/**'])).toEqual(['in/a.png', 'in/old/c.png']);
  });

  it('a scanned folder\'s own .zakocrignore applies inside it, and --ignore works there too', async () => {
    expect((await scan([outside])).map((p) => path.relative(outside, p))).toEqual(['x.png']);
    expect(await scan([outside], { ignore: ['x.png'] })).toEqual([]);
  });

  it('a file named on the command line is scanned even when a rule matches it', async () => {
    expect(await scan(['in/b.pdf'], { ignore: ['*.pdf'] })).toEqual(['in/b.pdf']);
  });

  it('- reads paths from standard input: folders walked, rules and name filters applied, a missing path kept to fail', async () => {
    const got = await scan(['-'], { stdin: ['in/a.png', '', 'in/new', 'in/notes.txt', 'in/gone.png', 'in/b.pdf'], ignore: ['*.pdf'] });
    expect(got).toEqual(['in/a.png', 'in/new/e.png', 'in/gone.png']);
  });

  it('checkInputs: everything left out is "nothing matched"; - is not read ahead', async () => {
    await expect(checkInputs(['in', '!in/**'], base)).rejects.toThrow('No input files matched "in"');
    await expect(checkInputs(['in'], base, { ignore: ['*'] })).rejects.toThrow(UsageError);
    await expect(checkInputs(['-'], base)).resolves.toBeUndefined();
    await expect(checkInputs(['!*.png'], base)).rejects.toThrow('No inputs given');
  });
});
