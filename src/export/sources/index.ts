import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { GROUND_TRUTH_FILE, readGroundTruth } from '../../review/ground-truth.js';
import { REVIEW_INDEX_FILE } from '../../review/package-files.js';
import { quadFromBox } from '../../core/geometry.js';
import { candidatePaths } from '../../crop/image.js';
import type { SourceDoc, SourceKind } from '../types.js';
import { isDataset, readDataset } from './dataset.js';
import { readResults } from './results.js';

/** Documents to export, with the places each image may be found. */
export interface LoadedSource {
  kind: SourceKind;
  /** Absolute path of the source. */
  path: string;
  docs: SourceDoc[];
  /** Candidate image paths per document (first existing wins). */
  candidates(doc: SourceDoc): string[];
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/**
 * Detects the kind of `from`: a `.jsonl` file is scan results, a folder with a review index is a
 * review package, any other folder a labelled dataset.
 * @throws UsageError when `from` does not exist.
 */
export async function detectSourceKind(from: string): Promise<SourceKind> {
  let st;
  try {
    st = await stat(from);
  } catch {
    throw new UsageError(`Export source ${JSON.stringify(from)} does not exist`, {
      hint: 'Pass a labelled dataset folder, a results .jsonl file or a review package folder with --from',
    });
  }
  if (st.isFile()) return 'results';
  if ((await isFile(path.join(from, REVIEW_INDEX_FILE))) || (await isFile(path.join(from, GROUND_TRUTH_FILE)))) return 'review';
  if (await isDataset(from)) return 'dataset';
  throw new UsageError(`${from} is neither a labelled dataset, a results file nor a review package`, {
    hint: 'A dataset has manifest.jsonl, box/ + img/ folders or NAME.png + NAME.gt.txt pairs',
  });
}

/** Ground truth of a review package as documents: one per (image, page), lines in row order. */
async function readReviewSource(dir: string): Promise<SourceDoc[]> {
  const rows = await readGroundTruth(dir);
  if (rows.length === 0) {
    throw new UsageError(`${dir} has no ${GROUND_TRUTH_FILE} yet: run \`zakocr review import\` with the corrected CSV first`);
  }
  const docs = new Map<string, SourceDoc>();
  for (const g of rows) {
    const key = `${g.sha256}\u0000${g.page}`;
    let doc = docs.get(key);
    if (!doc) {
      doc = { file: g.file, absPath: g.image ?? g.file, page: g.page, sha256: g.sha256, docType: g.docType, engine: g.engineStamp, lines: [] };
      docs.set(key, doc);
    }
    doc.lines.push({
      index: g.lineIndex,
      text: g.text,
      quad: g.quad ?? quadFromBox(g.box),
      origin: 'reviewed',
      engine: g.engine,
      confidence: g.confidence,
      ref: g.rowId,
    });
  }
  for (const d of docs.values()) d.lines.sort((a, b) => a.index - b.index);
  return [...docs.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.page ?? -1) - (b.page ?? -1)));
}

/**
 * Loads an export source.
 * @param imagesRoot extra folder where relative image paths of results/packages are looked up first
 * @throws UsageError for a missing or malformed source.
 */
export async function loadSource(from: string, kind?: SourceKind, imagesRoot?: string): Promise<LoadedSource> {
  const abs = path.resolve(from);
  const k = kind ?? (await detectSourceKind(abs));
  if (k === 'dataset') {
    const docs = await readDataset(abs);
    return { kind: k, path: abs, docs, candidates: (d) => [d.absPath] };
  }
  if (k === 'results') {
    const { docs, paths } = await readResults(abs, imagesRoot);
    return { kind: k, path: abs, docs, candidates: (d) => paths.get(d) ?? [d.absPath] };
  }
  const docs = await readReviewSource(abs);
  return {
    kind: k,
    path: abs,
    docs,
    candidates: (d) => [...new Set([d.absPath, ...candidatePaths(d.file, path.join(abs, REVIEW_INDEX_FILE), imagesRoot)])],
  };
}
