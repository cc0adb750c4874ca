import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeInput, readInput } from '../decode/index.js';
import { errorMessage } from '../core/errors.js';
import type { PageImage } from '../core/types.js';

/**
 * Loads the page a set of line boxes refers to, decoded exactly as `zakocr scan` decodes it
 * (EXIF orientation applied, sRGB, alpha flattened on white), so boxes in "original pixels" land
 * on the same pixels. The file's SHA-256 is checked against the one the source claims.
 */

export interface PageLimits {
  maxBytes: number;
  maxPixels: number;
  /** The scan's page budget: the same downscaling, so record boxes land on the same pixels. */
  maxPagePixels: number;
  maxPages: number;
  pdfDpi: number;
}

export type LoadFailure = 'source_missing' | 'source_changed' | 'source_unreadable';

export type LoadedPage =
  | { ok: true; page: PageImage; sha256: string; bytes: number; absPath: string }
  | { ok: false; reason: LoadFailure; message: string; absPath: string };

async function firstExisting(candidates: string[]): Promise<string | null> {
  for (const c of candidates) {
    try {
      if ((await stat(c)).isFile()) return c;
    } catch {
      // try the next one
    }
  }
  return null;
}

/**
 * Reads, verifies and decodes one page. Never throws for a bad file: the failure is returned
 * so the caller can count the lines as skipped and go on.
 * @param candidates where the file may be, in order of preference
 * @param page 0-based page of a multi-page file, null for single images
 * @param expectedSha256 the hash the source recorded; null skips the check
 */
export async function loadPage(candidates: string[], page: number | null, expectedSha256: string | null, limits: PageLimits): Promise<LoadedPage> {
  const absPath = await firstExisting(candidates);
  if (!absPath) {
    return { ok: false, reason: 'source_missing', message: `image not found (looked for ${candidates.join(', ')})`, absPath: candidates[0] ?? '' };
  }
  const item = { path: absPath, absPath, size: -1 };
  try {
    const bytes = await readInput(item, limits.maxBytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (expectedSha256 && sha256 !== expectedSha256) {
      return {
        ok: false,
        reason: 'source_changed',
        message: `${path.basename(absPath)} has SHA-256 ${sha256.slice(0, 12)}…, not the ${expectedSha256.slice(0, 12)}… its boxes were made on (the file changed since the scan)`,
        absPath,
      };
    }
    const decoded = await decodeInput(bytes, item, limits);
    const want = page ?? 0;
    let i = 0;
    for await (const p of decoded.pages) {
      if (i === want) {
        await decoded.pages.return(undefined);
        return { ok: true, page: p, sha256, bytes: bytes.length, absPath };
      }
      i++;
    }
    return { ok: false, reason: 'source_unreadable', message: `${path.basename(absPath)} has no page ${want}`, absPath };
  } catch (err) {
    return { ok: false, reason: 'source_unreadable', message: errorMessage(err), absPath };
  }
}
