import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, errorMessage } from '../core/errors.js';
import type { Box, DocType, Quad } from '../core/types.js';

/**
 * `ground-truth.jsonl` in a review package: every line a person corrected or confirmed, with what
 * is needed to crop it again (image path, SHA-256, page, box). Written by `zakocr review import`,
 * read by `zakocr export --from <package>`. One object per row id; a later import replaces it.
 */

export const GROUND_TRUTH_FILE = 'ground-truth.jsonl';
export const GROUND_TRUTH_SCHEMA = 'zakocr.ground-truth/v1' as const;

export interface GroundTruthLine {
  schema: typeof GROUND_TRUTH_SCHEMA;
  rowId: string;
  /** The record's `file`. */
  file: string;
  /** Absolute image path resolved when the package was made. */
  image: string | null;
  sha256: string;
  page: number | null;
  lineIndex: number;
  box: Box;
  quad?: Quad;
  /** The verified text. */
  text: string;
  /** What the engine read. */
  ocrText: string;
  engine: string;
  confidence: number;
  docType: DocType;
  engineStamp: { name: string; version: string | null; models: string[] } | null;
}

function isGroundTruth(v: unknown): v is GroundTruthLine {
  const g = v as GroundTruthLine;
  return !!g && typeof g === 'object' && typeof g.rowId === 'string' && typeof g.text === 'string' && typeof g.sha256 === 'string' && Array.isArray(g.box);
}

/**
 * Reads a package's ground truth (empty when the file does not exist yet).
 * @throws UsageError naming the line of a malformed row.
 */
export async function readGroundTruth(packageDir: string): Promise<GroundTruthLine[]> {
  const file = path.join(packageDir, GROUND_TRUTH_FILE);
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`Cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  }
  const out: GroundTruthLine[] = [];
  content.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new UsageError(`${file} line ${i + 1}: not valid JSON (${errorMessage(err)})`);
    }
    if (!isGroundTruth(v)) throw new UsageError(`${file} line ${i + 1}: not a ground-truth row (expected rowId, text, sha256, box)`);
    out.push(v);
  });
  return out;
}

/** Merges new rows into old ones by row id (new wins), keeping first-seen order. Pure. */
export function mergeGroundTruth(old: GroundTruthLine[], fresh: GroundTruthLine[]): GroundTruthLine[] {
  const map = new Map<string, GroundTruthLine>();
  for (const g of old) map.set(g.rowId, g);
  for (const g of fresh) map.set(g.rowId, g);
  return [...map.values()];
}

/** Serialises ground truth (one JSON object per line). Pure. */
export function formatGroundTruth(rows: GroundTruthLine[]): string {
  return rows.map((r) => JSON.stringify(r) + '\n').join('');
}
