import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SourceItem } from '../core/types.js';
import { ServeError } from './errors.js';

/** An upload saved in the spool folder; `remove` is idempotent. */
export interface SpooledFile extends SourceItem {
  remove(): Promise<void>;
}

/** Longest client-given file name kept in records. */
const MAX_NAME_CHARS = 200;

/**
 * The name a record shows for an upload: the client's file name without folders or control characters, or
 * `fallback`. It is never used as a path on disk. Pure.
 */
export function uploadDisplayName(clientName: string | undefined | null, fallback = 'upload'): string {
  const base = (clientName ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_NAME_CHARS);
  return clean && clean !== '.' && clean !== '..' ? clean : fallback;
}

function tooLarge(name: string, maxBytes: number): ServeError {
  return new ServeError(413, 'too_large', `${name} is over the upload limit of ${maxBytes} bytes (limits.maxBytes)`);
}

/**
 * The only place uploads touch the disk: a private folder (mode 0700) under the OS temp folder, one random file
 * name per upload, each removed after its analysis and the whole folder at shutdown.
 */
export class SpoolDir {
  private constructor(readonly dir: string) {}

  static async create(parent = os.tmpdir()): Promise<SpoolDir> {
    return new SpoolDir(await mkdtemp(path.join(parent, 'zakocr-serve-')));
  }

  /**
   * Streams `body` into a new file, counting bytes as they arrive.
   * @throws ServeError 413 past `maxBytes` (the partial file is removed).
   */
  async save(body: Readable, name: string, maxBytes: number): Promise<SpooledFile> {
    const absPath = path.join(this.dir, randomUUID());
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > maxBytes ? tooLarge(name, maxBytes) : null, chunk);
      },
    });
    try {
      await pipeline(body, limit, createWriteStream(absPath, { mode: 0o600 }));
    } catch (err) {
      await rm(absPath, { force: true });
      throw err;
    }
    if ((body as Readable & { truncated?: boolean }).truncated) {
      // busboy (multipart) stops at its own fileSize limit and marks the stream truncated instead of failing.
      await rm(absPath, { force: true });
      throw tooLarge(name, maxBytes);
    }
    let removed: Promise<void> | null = null;
    return { path: name, absPath, size, remove: () => (removed ??= rm(absPath, { force: true })) };
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
