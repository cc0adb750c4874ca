import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { UsageError } from '../core/errors.js';
import type { SourceItem } from '../core/types.js';
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

async function* walkDir(dir: string, cwd: string, seen: Set<string>, parentReal?: string): AsyncGenerator<SourceItem> {
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
    if (isDir) {
      yield* walkDir(abs, cwd, seen, real);
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

/**
 * Checks that every plain (non-glob) input exists, before any engine starts.
 * @throws UsageError naming the first missing input.
 */
export async function checkInputs(inputs: string[], cwd = process.cwd()): Promise<void> {
  if (inputs.length === 0) throw new UsageError('No inputs given', { hint: 'zakocr scan <files, folders or globs…>' });
  for (const input of inputs) {
    if (GLOB_CHARS.test(input)) continue;
    try {
      await stat(path.resolve(cwd, input));
    } catch {
      throw new UsageError(`Input not found: ${input}`, { hint: 'Give a file, a folder or a quoted glob such as "invoices/**/*.jpg".' });
    }
  }
}

/**
 * Lazily yields every input file under the given paths, directories and globs, one at a time
 * (never materialising the whole list). Directories are walked recursively in sorted order;
 * hidden and system files are skipped; symlink loops are safe; each file is yielded once.
 * Globs are streamed by fast-glob in its discovery order and never descend into symlinked folders.
 * With `shard`, only the files of that shard are yielded (see `shardOf`: keyed by the path below the input).
 * @throws UsageError when a plain path does not exist.
 */
export async function* discover(inputs: string[], opts: { cwd?: string; signal?: AbortSignal; shard?: Shard | null } = {}): AsyncGenerator<SourceItem> {
  const cwd = opts.cwd ?? process.cwd();
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  for (const input of inputs) {
    if (opts.signal?.aborted) return;
    const abs = path.resolve(cwd, input);
    let st: Awaited<ReturnType<typeof stat>> | null = null;
    try {
      st = await stat(abs);
    } catch {
      st = null;
    }
    let source: AsyncIterable<SourceItem>;
    const root = st?.isDirectory() ? abs : st ? path.dirname(abs) : globBase(input, cwd, GLOB_CHARS);
    if (st?.isDirectory()) {
      source = walkDir(abs, cwd, seenDirs);
    } else if (st) {
      source = (async function* () {
        yield { path: displayPath(abs, cwd), absPath: abs, size: st!.size };
      })();
    } else if (GLOB_CHARS.test(input)) {
      source = globStream(input, cwd);
    } else {
      throw new UsageError(`Input not found: ${input}`, { hint: 'Give a file, a folder or a quoted glob such as "invoices/**/*.jpg".' });
    }
    for await (const item of source) {
      if (opts.signal?.aborted) return;
      if (seenFiles.has(item.absPath)) continue;
      seenFiles.add(item.absPath);
      if (opts.shard && shardOf(shardKey(root, item.absPath), opts.shard.count) !== opts.shard.index) continue;
      yield item;
    }
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
