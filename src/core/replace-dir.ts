import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Puts the finished folder `staging` in the place of `out`: the old folder (if any) is moved aside first and removed
 * only after the rename, so a reader sees either the old set or the new one, never half of each.
 */
export async function replaceDirectory(staging: string, out: string): Promise<void> {
  let old: string | null = null;
  try {
    await stat(out);
    old = path.join(path.dirname(out), `.${path.basename(out)}.old-${randomBytes(4).toString('hex')}`);
    await rename(out, old);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await rename(staging, out);
  if (old) await rm(old, { recursive: true, force: true });
}
