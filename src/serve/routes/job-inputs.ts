import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceItem } from '../../core/types.js';
import { discover } from '../../source/walk.js';
import { ServeError } from '../errors.js';

const URI_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** True when `target` is `root` or inside it (both already real paths). Pure. */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Turns the `inputs` of a JSON job (absolute paths, folders, `file://` URIs) into files, each of which must
 * resolve — symbolic links followed — inside one of `roots` (`serve.jobs.roots`).
 * @throws ServeError 403 when paths are not enabled or one leads outside the roots; 400 for a relative path, an
 * unsupported URI scheme or a missing path; 413 past `maxFiles`.
 */
export async function resolveJobInputs(inputs: readonly string[], roots: readonly string[], maxFiles: number): Promise<SourceItem[]> {
  if (roots.length === 0) throw new ServeError(403, 'forbidden', 'jobs by server path are not enabled on this server (set serve.jobs.roots); upload the files instead');
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))));
  const items: SourceItem[] = [];
  for (const input of inputs) {
    const scheme = URI_SCHEME.exec(input)?.[1]?.toLowerCase();
    if (scheme && scheme !== 'file') {
      throw new ServeError(400, 'bad_request', `${scheme}:// inputs are not supported by this server's job backend (file paths and file:// URIs under serve.jobs.roots are)`);
    }
    const p = scheme === 'file' ? fileURLToPath(input) : input;
    if (!path.isAbsolute(p)) throw new ServeError(400, 'bad_request', `job input ${JSON.stringify(input)} must be an absolute path or a file:// URI`);
    let real: string;
    try {
      real = await realpath(p);
    } catch {
      throw new ServeError(400, 'bad_request', `job input ${JSON.stringify(input)} does not exist on the server`);
    }
    if (!realRoots.some((r) => isInside(r, real))) throw new ServeError(403, 'forbidden', `job input ${JSON.stringify(input)} is outside serve.jobs.roots`);
    for await (const item of discover([real])) {
      // discover follows links inside folders too: check every file, not only the named input.
      const realItem = await realpath(item.absPath).catch(() => item.absPath);
      if (!realRoots.some((r) => isInside(r, realItem))) continue;
      items.push(item);
      if (items.length > maxFiles) throw new ServeError(413, 'too_large', `more than ${maxFiles} files in one job (serve.jobs.maxFiles)`);
    }
  }
  if (items.length === 0) throw new ServeError(400, 'bad_request', 'the job inputs hold no files');
  return items;
}
