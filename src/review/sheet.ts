import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { escapeCsvCell } from '../core/csv-cell.js';
import { toAsciiDigits } from '../core/digits.js';
import { REQUIRED_IMPORT_COLUMNS, REVIEW_COLUMNS } from './package-files.js';
import type { FieldType, ReviewRow } from './rows.js';

/**
 * review.csv: written for spreadsheets (UTF-8 with BOM so Excel reads it as UTF-8, CRLF rows,
 * formula-injection escaping), and read back with checks that name the row and the column of every
 * problem. Row numbers are spreadsheet row numbers: the header is row 1. Pure functions.
 */

const BOM = '\ufeff';

/** The sheet for a package's rows. */
export function formatSheet(rows: ReviewRow[]): string {
  const header = [...REVIEW_COLUMNS];
  const body = rows.map((r) =>
    [r.rowId, r.file, r.page === null ? '' : r.page + 1, r.kind, r.text, r.confidence === null ? '' : Number(r.confidence.toFixed(3)), r.engine, r.crop, ''].map(
      (v) => escapeCsvCell(v) ?? '',
    ),
  );
  return BOM + stringify([header, ...body], { record_delimiter: 'windows' });
}

/** One reviewer answer, validated. */
export interface Correction {
  /** Spreadsheet row number (header = 1). */
  sheetRow: number;
  rowId: string;
  /** The corrected text (lines, text fields) … */
  text: string;
  /** … and the typed value for fields. */
  value: string | number;
}

export interface SheetProblem {
  sheetRow: number | null;
  column: string | null;
  message: string;
}

/** "row 7, column corrected: …" */
export function formatProblem(p: SheetProblem): string {
  const where = [p.sheetRow !== null ? `row ${p.sheetRow}` : null, p.column ? `column ${p.column}` : null].filter(Boolean).join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * Decodes the sheet's bytes as UTF-8 (a BOM is dropped).
 * @returns the text, or a problem naming the row of the first bad byte.
 */
export function decodeSheet(bytes: Uint8Array): { text: string } | { problem: SheetProblem } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { sheetRow: null, column: null, message: 'the file is UTF-16 ("Unicode Text"), not UTF-8; save it as "CSV UTF-8 (comma delimited)"' } };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    let row = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) row++;
    return {
      problem: {
        sheetRow: row,
        column: null,
        message: `not UTF-8 text (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad}); save the sheet as "CSV UTF-8 (comma delimited)", not as ANSI/Windows-1252 CSV`,
      },
    };
  }
  const text = Buffer.from(bytes).toString('utf8');
  return { text: text.startsWith(BOM) ? text.slice(1) : text };
}

/** Undoes the formula-injection escape: a leading ' before = + - @ tab or CR. */
export function unescapeCell(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

function normaliseHeader(h: string): string {
  return h.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Spreadsheets in some locales save with ';' or tabs: pick the delimiter the header uses. */
function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

const CURRENCY = /৳|tk\.?|bdt|টাকা|rs\.?|₹|\$|usd|€|£|rm/giu;

/**
 * A reviewer's value for a field of the given type.
 * number: digits with an optional decimal point; thousands separators, currency signs and Bengali digits allowed.
 * date: YYYY-MM-DD and a real calendar date. text: as typed.
 * @returns the value, or an error message.
 */
export function parseFieldValue(type: FieldType, field: string, raw: string): { value: string | number } | { error: string } {
  if (type === 'text') return { value: raw };
  const t = toAsciiDigits(raw).trim();
  if (type === 'number') {
    const s = t.replace(CURRENCY, '').replace(/[\s,]/g, '');
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) return { error: `expected a number for field ${field} (like 1250.50), got ${JSON.stringify(raw)}` };
    return { value: Number(s) };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d) return { value: t };
  }
  return { error: `expected a real date as YYYY-MM-DD for field ${field}, got ${JSON.stringify(raw)}` };
}

export interface ParseSheetInput {
  bytes: Uint8Array;
  /** Rows of the package by id. */
  rows: ReadonlyMap<string, ReviewRow>;
  /** The package folder: crop paths must resolve inside it. */
  packageDir: string;
}

/** Most problems listed before giving up (the rest are counted). */
export const MAX_PROBLEMS = 50;

/**
 * Reads and validates an edited sheet. Rows with an empty `corrected` cell are not reviewed yet and
 * are ignored; a corrected cell equal to the current text confirms it.
 * @returns the corrections, or every problem found (then nothing may be applied).
 */
export function parseSheet(input: ParseSheetInput): { corrections: Correction[]; problems: SheetProblem[] } {
  const decoded = decodeSheet(input.bytes);
  if ('problem' in decoded) return { corrections: [], problems: [decoded.problem] };
  let records: string[][];
  try {
    records = parse(decoded.text, { delimiter: detectDelimiter(decoded.text), relax_column_count: true, skip_empty_lines: false });
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    return { corrections: [], problems: [{ sheetRow: e.lines ?? null, column: null, message: `not a readable CSV: ${e.message ?? String(err)}` }] };
  }
  if (records.length === 0) return { corrections: [], problems: [{ sheetRow: 1, column: null, message: 'the sheet is empty (no header row)' }] };
  const header = records[0].map(normaliseHeader);
  const problems: SheetProblem[] = [];
  for (const col of REQUIRED_IMPORT_COLUMNS) {
    if (!header.includes(col)) {
      problems.push({ sheetRow: 1, column: col, message: `missing column "${col}" (the header has: ${records[0].join(', ') || 'nothing'})` });
    }
  }
  if (problems.length) return { corrections: [], problems };
  const idx = (c: string) => header.indexOf(c);
  const [iId, iCorr, iCrop] = [idx('row_id'), idx('corrected'), idx('crop')];
  const seen = new Map<string, Correction>();
  const corrections: Correction[] = [];
  const root = path.resolve(input.packageDir);
  for (let r = 1; r < records.length && problems.length < MAX_PROBLEMS; r++) {
    const cells = records[r];
    const sheetRow = r + 1;
    if (cells.every((c) => c.trim() === '')) continue;
    const id = (cells[iId] ?? '').trim();
    const corrected = unescapeCell(cells[iCorr] ?? '').normalize('NFC');
    if (iCrop >= 0) {
      const crop = unescapeCell(cells[iCrop] ?? '').trim();
      if (crop) {
        const abs = path.resolve(root, crop);
        const rel = path.relative(root, abs);
        if (path.isAbsolute(crop) || rel.startsWith('..') || path.isAbsolute(rel)) {
          problems.push({ sheetRow, column: 'crop', message: `path ${JSON.stringify(crop)} leaves the review package folder; crop paths must stay inside it` });
          continue;
        }
      }
    }
    if (!id) {
      if (corrected.trim()) problems.push({ sheetRow, column: 'row_id', message: 'empty row id next to a correction' });
      continue;
    }
    const row = input.rows.get(id);
    if (!row) {
      problems.push({ sheetRow, column: 'row_id', message: `unknown row id ${JSON.stringify(id)} (not in this review package)` });
      continue;
    }
    if (corrected.trim() === '') continue;
    let text = corrected.replace(/\s+/gu, ' ').trim();
    let value: string | number = text;
    if (row.fieldType && row.field) {
      const parsed = parseFieldValue(row.fieldType, row.field, text);
      if ('error' in parsed) {
        problems.push({ sheetRow, column: 'corrected', message: parsed.error });
        continue;
      }
      value = parsed.value;
      text = String(parsed.value);
    }
    const prev = seen.get(id);
    if (prev) {
      if (prev.text !== text) {
        problems.push({ sheetRow, column: 'row_id', message: `row id ${id} appears again (row ${prev.sheetRow}) with another correction` });
      }
      continue;
    }
    const c: Correction = { sheetRow, rowId: id, text, value };
    seen.set(id, c);
    corrections.push(c);
  }
  return { corrections, problems };
}
