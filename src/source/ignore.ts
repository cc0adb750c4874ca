/**
 * What a scan leaves out, in .gitignore syntax (the `ignore` package implements it): `--ignore` patterns and
 * `!`-negated inputs (relative to the working folder, or to the scanned folder when it lies outside), the working
 * folder's `.zakocrignore`, and a `.zakocrignore` at the top of each scanned folder (relative to that folder).
 * `*.pdf` matches at any depth, `archive/` a folder and everything in it, `/scans/old` only at the top, `!keep.pdf`
 * takes a file back. Files named on the command line are never ignored.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from '../core/errors.js';

export const IGNORE_FILE = '.zakocrignore';

/** Inputs split into what to scan and the `!pattern`s that say what to leave out. */
export function splitNegations(inputs: readonly string[]): { inputs: string[]; ignore: string[] } {
  const scan: string[] = [];
  const negated: string[] = [];
  for (const input of inputs) (input.startsWith('!') && input.length > 1 ? negated : scan).push(input.startsWith('!') ? input.slice(1) : input);
  return { inputs: scan, ignore: negated };
}

function inside(base: string, abs: string): string | null {
  const rel = path.relative(base, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : null;
}

async function readRules(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
  }
}

export class IgnoreRules {
  private readonly folders = new Map<string, Ignore>();

  private constructor(private readonly cwd: string, private readonly given: Ignore, readonly empty: boolean) {}

  /** The `--ignore`/`!` patterns plus the working folder's `.zakocrignore`. */
  static async load(cwd: string, patterns: readonly string[]): Promise<IgnoreRules> {
    const given = ignore().add([...patterns]);
    const file = await readRules(path.join(cwd, IGNORE_FILE));
    if (file !== null) given.add(file);
    return new IgnoreRules(cwd, given, patterns.length === 0 && file === null);
  }

  /** Adds the `.zakocrignore` at the top of a scanned folder (once per folder). */
  async addFolder(dir: string): Promise<void> {
    if (this.folders.has(dir) || path.resolve(dir) === path.resolve(this.cwd)) return;
    const file = await readRules(path.join(dir, IGNORE_FILE));
    if (file !== null) this.folders.set(dir, ignore().add(file));
  }

  /** Whether a file (or, with `isDir`, a folder and all under it) found under `root` is left out. */
  ignores(abs: string, isDir: boolean, root: string): boolean {
    const slash = isDir ? '/' : '';
    const rel = inside(this.cwd, abs) ?? inside(root, abs);
    if (rel && this.given.ignores(rel + slash)) return true;
    for (const [dir, rules] of this.folders) {
      const r = inside(dir, abs);
      if (r && rules.ignores(r + slash)) return true;
    }
    return false;
  }
}
