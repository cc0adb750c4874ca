/**
 * Our own bench manifest: JSON Lines, one labelled example per line, paths relative to the
 * manifest's folder (they must stay inside it). See README "Bench manifest format".
 *
 *   {"image": "img/001.jpg", "text": "…", "fields": {"total": "80.90"},
 *    "barcodes": [{"format": "EAN_13", "text": "8941100500017"}], "docType": "receipt", "layout": "page"}
 *
 * Also accepted (the scout manifests in ../shared/datasets use them): `images` (pages), `text_file`
 * or `gt_file`, `fields_file` or `key_file`, `key` for fields, `doc_type`, and one barcode as
 * `format` + `expected_text` or `expected_file`.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, errorMessage } from '../../core/errors.js';
import type { BarcodeLabel } from '../barcode-metrics.js';
import type { BenchItem } from '../datasets.js';
import { insideRoot, stripFinalNewline, type AdapterResult } from './common.js';

type Row = Record<string, unknown>;

function describe(v: unknown): string {
  const type = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  return `${JSON.stringify(v)} (${type})`;
}

function bad(where: string, key: string, expected: string, got: unknown): never {
  throw new UsageError(`${where}: Expected ${expected} for "${key}", got ${describe(got)}`);
}

function optString(row: Row, key: string, where: string): string | undefined {
  const v = row[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') bad(where, key, 'a string', v);
  return v;
}

function optObject(row: Row, key: string, where: string): Record<string, unknown> | undefined {
  const v = row[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) bad(where, key, 'an object', v);
  return v as Record<string, unknown>;
}

async function readJsonObject(file: string, where: string): Promise<Record<string, unknown>> {
  let v: unknown;
  try {
    v = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${where}: cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  }
  if (Array.isArray(v)) v = v[0];
  if (v === null || typeof v !== 'object') bad(where, 'fields_file', 'a JSON object in the file', v);
  return v as Record<string, unknown>;
}

function parseBarcodes(v: unknown, where: string): BarcodeLabel[] {
  if (!Array.isArray(v)) bad(where, 'barcodes', 'an array of {format, text}', v);
  return v.map((b: unknown, i) => {
    const o = b as Row | null;
    if (!o || typeof o !== 'object' || typeof o.format !== 'string' || typeof o.text !== 'string') {
      bad(where, `barcodes[${i}]`, 'an object with string format and text', b);
    }
    return { format: o.format as string, text: o.text as string };
  });
}

/** Parses one manifest row into an item (files referenced by it are read). */
export async function parseManifestRow(row: Row, root: string, where: string): Promise<BenchItem | null> {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) bad(where, '(row)', 'a JSON object', row);
  const rel = (name: string): string => insideRoot(root, name, where);
  let images: string[];
  if (row.images !== undefined) {
    if (!Array.isArray(row.images) || row.images.length === 0 || row.images.some((x) => typeof x !== 'string')) {
      bad(where, 'images', 'a non-empty array of paths', row.images);
    }
    images = (row.images as string[]).map(rel);
  } else {
    const image = optString(row, 'image', where) ?? optString(row, 'file', where);
    if (image === undefined) bad(where, 'image', 'a path to the image', row.image);
    images = [rel(image)];
  }
  for (const img of images) {
    const st = await stat(img).catch(() => null);
    if (!st?.isFile()) throw new UsageError(`${where}: image ${path.relative(root, img)} does not exist`);
  }

  let text = optString(row, 'text', where);
  const textFile = optString(row, 'text_file', where) ?? optString(row, 'gt_file', where);
  if (text === undefined && textFile !== undefined) text = stripFinalNewline(await readFile(rel(textFile), 'utf8'));

  let fields = optObject(row, 'fields', where) ?? optObject(row, 'key', where);
  const fieldsFile = optString(row, 'fields_file', where) ?? optString(row, 'key_file', where);
  if (fields === undefined && fieldsFile !== undefined) fields = await readJsonObject(rel(fieldsFile), where);

  let barcodes: BarcodeLabel[] | undefined;
  if (row.barcodes !== undefined && row.barcodes !== null) barcodes = parseBarcodes(row.barcodes, where);
  else if (typeof row.format === 'string') {
    const expFile = optString(row, 'expected_file', where);
    const exp = optString(row, 'expected_text', where) ?? (expFile ? await readFile(rel(expFile), 'utf8') : undefined);
    if (exp !== undefined) barcodes = [{ format: row.format, text: exp }];
  }

  if (text === undefined && fields === undefined && barcodes === undefined) return null;
  const layout = optString(row, 'layout', where) ?? 'page';
  if (layout !== 'page' && layout !== 'line') bad(where, 'layout', 'one of page, line', layout);
  const docType = optString(row, 'docType', where) ?? optString(row, 'doc_type', where) ??
    (barcodes && text === undefined && fields === undefined ? 'label' : layout === 'line' ? 'line' : 'unknown');
  const id = optString(row, 'id', where) ?? path.relative(root, images[0]!);
  return {
    id,
    images,
    docType,
    layout,
    ...(text !== undefined ? { text } : {}),
    ...(fields !== undefined ? { fields } : {}),
    ...(barcodes !== undefined ? { barcodes } : {}),
  };
}

export async function loadManifest(input: string): Promise<AdapterResult> {
  const file = input.endsWith('.jsonl') ? input : path.join(input, 'manifest.jsonl');
  const root = path.dirname(file);
  let body: string;
  try {
    body = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read manifest ${file}: ${errorMessage(err)}`, { cause: err });
  }
  const items: BenchItem[] = [];
  const warnings: string[] = [];
  const ids = new Set<string>();
  const lines = body.split(/\r?\n/u);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('//')) continue;
    const where = `${path.basename(file)}:${i + 1}`;
    let row: Row;
    try {
      row = JSON.parse(line) as Row;
    } catch (err) {
      throw new UsageError(`${where}: not valid JSON: ${errorMessage(err)}`, { cause: err });
    }
    const item = await parseManifestRow(row, root, where);
    if (!item) {
      warnings.push(`${where}: no text, fields or barcodes label; skipped`);
      continue;
    }
    if (ids.has(item.id)) throw new UsageError(`${where}: duplicate id ${JSON.stringify(item.id)}`);
    ids.add(item.id);
    items.push(item);
  }
  return { items, warnings };
}
