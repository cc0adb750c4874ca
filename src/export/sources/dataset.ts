import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, errorMessage } from '../../core/errors.js';
import { DOC_TYPES, isOneOf, type DocType } from '../../core/choices.js';
import { quadFromCoords } from '../../crop/geometry.js';
import type { LineSample, SourceDoc } from '../types.js';

/**
 * Labelled datasets with line ground truth, in the layouts of ../shared/datasets:
 * - box files (SROIE): `manifest.jsonl` rows with `image` + `box_file`, or `box/NAME.csv` + `img/NAME.jpg`;
 *   each row `x1,y1,x2,y2,x3,y3,x4,y4,transcript` (4 corners clockwise from top-left; the transcript is
 *   everything after the 8th comma and may contain commas);
 * - line images: `manifest.jsonl` rows with `image` + `text` (or `gt_file`), or `NAME.png` + `NAME.gt.txt`
 *   pairs (tesstrain ground truth): the whole image is the line.
 * Every path in a manifest must resolve inside the dataset folder.
 */

export interface BoxRow {
  coords: number[];
  text: string;
  /** Why the row cannot be used (it is kept, so line numbers and counts still match the file). */
  error?: string;
}

/**
 * Parses a box file. Blank lines are skipped; a UTF-8 BOM is ignored. A malformed row does not
 * stop the file: it comes back with `error` (1-based row named) and is skipped as a bad box.
 */
export function parseBoxFile(content: string): BoxRow[] {
  const rows: BoxRow[] = [];
  const lines = content.replace(/^\ufeff/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const parts = line.split(',');
    const coords = parts.slice(0, 8).map((s) => Number(s.trim()));
    const text = parts.slice(8).join(',');
    if (parts.length < 8 || coords.some((c, j) => parts[j].trim() === '' || !Number.isFinite(c))) {
      rows.push({ coords: [], text, error: `row ${i + 1}: expected x1,y1,x2,y2,x3,y3,x4,y4,transcript, got ${JSON.stringify(line.slice(0, 80))}` });
      return;
    }
    rows.push({ coords, text });
  });
  return rows;
}

const IMAGE_EXT = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.bmp', '.gif'];

/** `child` joined to `root`, refused when it escapes `root` (`..`, absolute paths). */
export function insideFolder(root: string, child: string, what: string): string {
  const abs = path.resolve(root, child);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UsageError(`${what} ${JSON.stringify(child)} resolves outside ${root}; paths must stay inside the folder they belong to`);
  }
  return abs;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

function boxDoc(root: string, imageRel: string, rows: BoxRow[], boxFile: string, docType: DocType | null): SourceDoc {
  const lines: LineSample[] = rows.map((r, index) => {
    const line: LineSample = { index, text: r.text, quad: null, origin: 'label', engine: null, confidence: null, ref: `${boxFile}:${index + 1}` };
    if (r.error) {
      line.invalid = r.error;
      return line;
    }
    try {
      line.quad = quadFromCoords(r.coords);
    } catch (err) {
      // Kept in the list (counts match the box file) and skipped as bad_box.
      line.invalid = errorMessage(err);
    }
    return line;
  });
  return { file: imageRel, absPath: path.join(root, imageRel), page: null, sha256: null, docType, engine: null, lines };
}

function lineDoc(root: string, imageRel: string, text: string, ref: string, docType: DocType | null): SourceDoc {
  return {
    file: imageRel,
    absPath: path.join(root, imageRel),
    page: null,
    sha256: null,
    docType,
    engine: null,
    lines: [{ index: 0, text, quad: null, origin: 'label', engine: null, confidence: null, ref }],
  };
}

async function fromManifest(root: string, manifestPath: string): Promise<SourceDoc[]> {
  const docs: SourceDoc[] = [];
  const content = await readFile(manifestPath, 'utf8');
  const rows = content.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    if (!rows[i].trim()) continue;
    const where = `${manifestPath} line ${i + 1}`;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(rows[i]) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`${where}: not valid JSON (${errorMessage(err)})`);
    }
    if (typeof row.image !== 'string') continue; // rows without a single image (PDF invoices…) carry no line boxes
    const image = path.relative(root, insideFolder(root, row.image, `${where}: image`));
    const docType: DocType | null = isOneOf(DOC_TYPES, row.docType) ? row.docType : null;
    if (typeof row.box_file === 'string') {
      const boxAbs = insideFolder(root, row.box_file, `${where}: box_file`);
      let parsed: BoxRow[];
      try {
        parsed = parseBoxFile(await readFile(boxAbs, 'utf8'));
      } catch (err) {
        // An unreadable label file costs its image, not the whole export.
        docs.push({ ...boxDoc(root, image, [], row.box_file, docType), problem: `cannot read ${row.box_file}: ${errorMessage(err)}` });
        continue;
      }
      docs.push(boxDoc(root, image, parsed, row.box_file, docType));
    } else if (typeof row.text === 'string') {
      docs.push(lineDoc(root, image, row.text, `${path.basename(manifestPath)}:${i + 1}`, docType));
    } else if (typeof row.gt_file === 'string') {
      const gtAbs = insideFolder(root, row.gt_file, `${where}: gt_file`);
      try {
        docs.push(lineDoc(root, image, await readFile(gtAbs, 'utf8'), row.gt_file, docType));
      } catch (err) {
        docs.push({ ...lineDoc(root, image, '', row.gt_file, docType), lines: [], problem: `cannot read ${row.gt_file}: ${errorMessage(err)}` });
      }
    }
  }
  return docs;
}

async function fromBoxFolders(root: string): Promise<SourceDoc[]> {
  const boxDir = path.join(root, 'box');
  const imgDir = path.join(root, 'img');
  const imgs = new Map<string, string>();
  for (const name of await readdir(imgDir)) {
    const ext = path.extname(name).toLowerCase();
    if (IMAGE_EXT.includes(ext)) imgs.set(path.basename(name, path.extname(name)), name);
  }
  const docs: SourceDoc[] = [];
  for (const name of (await readdir(boxDir)).sort()) {
    if (!/\.(csv|txt)$/i.test(name)) continue;
    const stem = path.basename(name, path.extname(name));
    const img = imgs.get(stem);
    if (!img) continue;
    let parsed: BoxRow[];
    try {
      parsed = parseBoxFile(await readFile(path.join(boxDir, name), 'utf8'));
    } catch (err) {
      docs.push({ ...boxDoc(root, path.join('img', img), [], path.join('box', name), null), problem: `cannot read box/${name}: ${errorMessage(err)}` });
      continue;
    }
    docs.push(boxDoc(root, path.join('img', img), parsed, path.join('box', name), null));
  }
  return docs;
}

async function fromGtPairs(root: string): Promise<SourceDoc[]> {
  const docs: SourceDoc[] = [];
  const names = (await readdir(root)).sort();
  const set = new Set(names);
  for (const name of names) {
    if (!name.endsWith('.gt.txt')) continue;
    const stem = name.slice(0, -'.gt.txt'.length);
    // tesstrain names: NAME.png + NAME.gt.txt; some sets keep the extension: NAME.png.gt.txt.
    const img = set.has(stem) && IMAGE_EXT.includes(path.extname(stem).toLowerCase()) ? stem : IMAGE_EXT.map((e) => stem + e).find((n) => set.has(n));
    if (!img) continue;
    docs.push(lineDoc(root, img, await readFile(path.join(root, name), 'utf8'), name, null));
  }
  return docs;
}

/** True when `dir` looks like a labelled dataset this module can read. */
export async function isDataset(dir: string): Promise<boolean> {
  if (await exists(path.join(dir, 'manifest.jsonl'))) return true;
  if ((await exists(path.join(dir, 'box'))) && (await exists(path.join(dir, 'img')))) return true;
  try {
    return (await readdir(dir)).some((n) => n.endsWith('.gt.txt'));
  } catch {
    return false;
  }
}

/**
 * Reads a labelled dataset folder into documents, sorted by file path.
 * An unreadable label file becomes a document with `problem` set (reported, not fatal).
 * @throws UsageError when the folder has no known layout, a manifest row is not JSON or a path leaves the folder.
 */
export async function readDataset(dir: string): Promise<SourceDoc[]> {
  const root = path.resolve(dir);
  let docs: SourceDoc[];
  if (await exists(path.join(root, 'manifest.jsonl'))) docs = await fromManifest(root, path.join(root, 'manifest.jsonl'));
  else if ((await exists(path.join(root, 'box'))) && (await exists(path.join(root, 'img')))) docs = await fromBoxFolders(root);
  else docs = await fromGtPairs(root);
  if (docs.length === 0) {
    throw new UsageError(
      `${dir} holds no labelled lines: expected manifest.jsonl rows with image + box_file/text/gt_file, box/ + img/ folders, or NAME.png + NAME.gt.txt pairs`,
    );
  }
  return docs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
