import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import fg from 'fast-glob';
import { UsageError } from '../core/errors.js';
import type { SourceItem } from '../core/types.js';
import { IgnoreRules, splitNegations } from './ignore.js';
import { globBase, shardKey, shardOf, type Shard } from './shard.js';

/** Names never treated as inputs: OS metadata and our own outputs. */
const SYSTEM_NAMES = new Set(['thumbs.db', 'desktop.ini', '__macosx', '$recycle.bin', 'system volume information', 'node_modules']);
const OWN_OUTPUT = /^(zakocr-results\.(jsonl|json|csv)|zakocr-deadletter\.jsonl)$/i;
/** Sidecar files in labelled datasets and our own outputs that are never images. */
const NEVER_INPUT_EXT = new Set(['.txt', '.json', '.jsonl', '.csv', '.md', '.xml', '.html', '.tmp']);

export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_NAMES.has(name.toLowerCase()) || OWN_OUTPUT.test(name);
}

/** Only files whose extension says "not an image" are skipped; everything else is tried (a `.png` text file fails clearly). */
export function isCandidateFile(name: string): boolean {
  return !isSkippedName(name) && !NEVER_INPUT_EXT.has(path.extname(name).toLowerCase());
}

const GLOB_CHARS = /[*?[\]{}!]/;

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/** What one folder walk shares: display paths relative to `cwd`, folders already walked, what to leave out. */
interface WalkContext {
  cwd: string;
  seen: Set<string>;
  /** True for a file (or folder, with `isDir`) the ignore rules leave out. */
  skip: (abs: string, isDir: boolean) => boolean;
}

async function* walkDir(dir: string, ctx: WalkContext, parentReal?: string): AsyncGenerator<SourceItem> {
  const { cwd, seen } = ctx;
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return; // symlink loop or the same folder reached twice
  // A link to an ancestor (`loop -> ..`) is a loop even when the walk started below that ancestor.
  if (parentReal !== undefined && (parentReal + path.sep).startsWith(real + path.sep)) return;
  seen.add(real);
  const names: Array<{ name: string; isDir: boolean }> = [];
  let handle;
  try {
    handle = await opendir(dir);
  } catch {
    // An unreadable folder becomes one input that fails as `unreadable`, naming the folder; the batch goes on.
    yield { path: displayPath(dir, cwd), absPath: dir, size: -1 };
    return;
  }
  for await (const ent of handle) {
    if (isSkippedName(ent.name)) continue;
    let isDir = ent.isDirectory();
    if (ent.isSymbolicLink()) {
      try {
        isDir = (await stat(path.join(dir, ent.name))).isDirectory();
      } catch {
        isDir = false; // dangling link: reported as unreadable when opened
      }
    }
    names.push({ name: ent.name, isDir });
  }
  // Sorted per directory: stable output order on every filesystem, memory bounded by one directory listing.
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, isDir } of names) {
    const abs = path.join(dir, name);
    if (ctx.skip(abs, isDir)) continue;
    if (isDir) {
      yield* walkDir(abs, ctx, real);
    } else if (isCandidateFile(name)) {
      let size = -1;
      try {
        size = (await stat(abs)).size;
      } catch {
        /* unreadable: decode reports it */
      }
      yield { path: displayPath(abs, cwd), absPath: abs, size };
    }
  }
}

/** `-` as an input: paths read from standard input, one per line (`find … | zakocr scan -`). */
export const STDIN_INPUT = '-';

export interface DiscoverOptions {
  cwd?: string;
  signal?: AbortSignal;
  /** `--ignore` patterns (.gitignore syntax), on top of `!`-negated inputs and `.zakocrignore` files. */
  ignore?: readonly string[];
  /** Where `-` reads paths from (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Only the files of this shard (`--shard i/N`, see `shardOf`: keyed by the path below the input). */
  shard?: Shard | null;
}

/**
 * Checks, before any engine starts or any output is opened, that every plain (non-glob) input exists and that the
 * inputs together hold at least one file to scan (the walk stops at the first one; paths from standard input
 * cannot be looked at ahead, so `-` skips that part).
 * @throws UsageError naming the first missing input, or saying that nothing matched.
 */
export async function checkInputs(rawInputs: string[], cwd = process.cwd(), opts: Pick<DiscoverOptions, 'ignore'> = {}): Promise<void> {
  const { inputs } = splitNegations(rawInputs);
  if (inputs.length === 0) throw new UsageError('No inputs given', { hint: 'zakocr scan <files, folders or globs…> (or - to read paths from standard input)' });
  for (const input of inputs) {
    if (GLOB_CHARS.test(input) || input === STDIN_INPUT) continue;
    try {
      await stat(path.resolve(cwd, input));
    } catch {
      throw new UsageError(`Input not found: ${input}`, { hint: 'Give a file, a folder or a quoted glob such as "invoices/**/*.jpg".' });
    }
  }
  if (inputs.includes(STDIN_INPUT)) return;
  for await (const _first of discover(rawInputs, { cwd, ignore: opts.ignore })) return;
  throw new UsageError(`No input files matched ${inputs.map((i) => JSON.stringify(i)).join(', ')}`, {
    hint: 'Folders are searched recursively for images and PDFs (hidden files, .txt/.json/.csv/.md sidecars and what ' +
      '.zakocrignore, --ignore and !patterns leave out are skipped); quote globs so the shell leaves them to zakocr: ' +
      '"photos/**/*.jpg". Nothing was written.',
  });
}

/**
 * Lazily yields every input file under the given paths, directories and globs, one at a time
 * (never materialising the whole list). Directories are walked recursively in sorted order;
 * hidden and system files are skipped; symlink loops are safe; each file is yielded once.
 * Globs are streamed by fast-glob in its discovery order and never descend into symlinked folders.
 * `!pattern` inputs, `--ignore` patterns and `.zakocrignore` files leave out what they match (ignore.ts); `-` reads
 * paths from standard input, one per line (a missing one becomes an `unreadable` record, the batch goes on).
 * With `shard`, only that shard's files are yielded, keyed by the path below the folder input (or the fixed part
 * of a glob, the folder of a file input, the working folder for `-`), so hosts that mount a share elsewhere agree.
 * @throws UsageError when a plain path does not exist.
 */
export async function* discover(rawInputs: string[], opts: DiscoverOptions = {}): AsyncGenerator<SourceItem> {
  const cwd = opts.cwd ?? process.cwd();
  const { inputs, ignore: negated } = splitNegations(rawInputs);
  const rules = await IgnoreRules.load(cwd, [...(opts.ignore ?? []), ...negated]);
  const seenDirs = new Set<string>();
  // Only several inputs (or a list on stdin) can name a file twice: one folder walk or glob yields each path once, so
  // a single input keeps no set of every file (memory stays flat however many files there are).
  const seenFiles = inputs.length > 1 || inputs.includes(STDIN_INPUT) ? new Set<string>() : null;
  const walk = async (dir: string): Promise<AsyncIterable<SourceItem>> => {
    await rules.addFolder(dir);
    return walkDir(dir, { cwd, seen: seenDirs, skip: (abs, isDir) => rules.ignores(abs, isDir, dir) }, undefined);
  };
  for (const input of inputs) {
    if (opts.signal?.aborted) return;
    let source: AsyncIterable<SourceItem>;
    let root = cwd; // what shard keys are relative to
    if (input === STDIN_INPUT) {
      source = stdinPaths(opts.stdin ?? process.stdin, cwd, rules, walk);
    } else {
      const abs = path.resolve(cwd, input);
      const st = await stat(abs).catch(() => null);
      root = st?.isDirectory() ? abs : st ? path.dirname(abs) : globBase(input, cwd, GLOB_CHARS);
      if (st?.isDirectory()) {
        source = await walk(abs);
      } else if (st) {
        source = (async function* () {
          yield { path: displayPath(abs, cwd), absPath: abs, size: st.size };
        })();
      } else if (GLOB_CHARS.test(input)) {
        source = filterIgnored(globStream(input, cwd), rules, cwd);
      } else {
        throw new UsageError(`Input not found: ${input}`, { hint: 'Give a file, a folder or a quoted glob such as "invoices/**/*.jpg".' });
      }
    }
    for await (const item of source) {
      if (opts.signal?.aborted) return;
      if (seenFiles?.has(item.absPath)) continue;
      seenFiles?.add(item.absPath);
      if (opts.shard && shardOf(shardKey(root, item.absPath), opts.shard.count) !== opts.shard.index) continue;
      yield item;
    }
  }
}

async function* filterIgnored(items: AsyncIterable<SourceItem>, rules: IgnoreRules, root: string): AsyncGenerator<SourceItem> {
  for await (const item of items) if (rules.empty || !rules.ignores(item.absPath, false, root)) yield item;
}

/**
 * Paths from a stream, one per line (blank lines skipped, read as they come): folders are walked, files pass the same
 * name filters and ignore rules as a walk's (the list usually comes from `find`), a missing path is yielded so it
 * fails as `unreadable`.
 */
async function* stdinPaths(stream: NodeJS.ReadableStream, cwd: string, rules: IgnoreRules, walk: (dir: string) => Promise<AsyncIterable<SourceItem>>): AsyncGenerator<SourceItem> {
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    const line = (raw as string).trim();
    if (!line) continue;
    const abs = path.resolve(cwd, line);
    const st = await stat(abs).catch(() => null);
    if (st?.isDirectory()) {
      yield* await walk(abs);
      continue;
    }
    if (!isCandidateFile(path.basename(abs)) || rules.ignores(abs, false, cwd)) continue;
    yield { path: displayPath(abs, cwd), absPath: abs, size: st ? st.size : -1 };
  }
}

/** System folders never descended into by globs (hidden ones are excluded by `dot: false`). */
const GLOB_IGNORE = ['node_modules', '__MACOSX', '$RECYCLE.BIN', 'System Volume Information'].map((d) => `**/${d}/**`);

/**
 * Glob matches as a stream. Like bash's globstar, `**` never descends into symlinked folders: fast-glob's
 * `followSymbolicLinks` has no loop detection (a `loop -> ..` link makes the walk explode). Symlinked files
 * still match; a dangling one is yielded and reported `unreadable`, as in folder walks.
 */
async function* globStream(pattern: string, cwd: string): AsyncGenerator<SourceItem> {
  const stream = fg.stream(pattern, {
    cwd, absolute: true, dot: false, onlyFiles: false, followSymbolicLinks: false, stats: true, suppressErrors: true, ignore: GLOB_IGNORE,
  });
  type Entry = { path: string; name: string; stats?: { size: number; isDirectory(): boolean; isSymbolicLink(): boolean } };
  for await (const entry of stream as AsyncIterable<Entry>) {
    if (!isCandidateFile(entry.name) || entry.stats?.isDirectory()) continue;
    let size = entry.stats?.size ?? -1;
    if (entry.stats?.isSymbolicLink()) {
      try {
        const target = await stat(entry.path);
        if (target.isDirectory()) continue;
        size = target.size;
      } catch {
        size = -1; // dangling link
      }
    }
    yield { path: displayPath(entry.path, cwd), absPath: entry.path, size };
  }
}
