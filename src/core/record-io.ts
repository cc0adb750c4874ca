/**
 * Reading result files back: the one place that knows how records lie on disk. Every reader of scan results
 * (resume carry-over in the file sinks, `zakocr export --from results.jsonl`, `zakocr review export|import`)
 * goes through here, so "what counts as a record" is decided once.
 *
 * Layouts: JSON Lines (`.jsonl`, `.ndjson`: one record per line), the JSON sink's array (`[`, one record per line
 * with a trailing comma, `]`) and the CSV sink's rows (the whole record in the `record_json` column).
 * Records are streamed, never held all at once.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { UsageError, errorMessage } from './errors.js';
import type { ZakRecord } from './types.js';

/** Column of the CSV sink that carries the whole record as JSON. */
export const CSV_RECORD_COLUMN = 'record_json';

/**
 * One line of a JSON results file as JSON text: JSON Lines, or the `.json` array the JSON sink streams
 * (`[`, one record per line with a trailing comma, `]`). Null for blank lines and the brackets.
 * `suffix` is what followed the record on its line (a comma), so a rewrite can keep the layout. Pure.
 */
export function recordText(line: string): { json: string; suffix: string } | null {
  const t = line.replace(/^\ufeff/, '').trim();
  if (t === '' || t === '[' || t === ']' || t === '[]') return null;
  return t.endsWith(',') ? { json: t.slice(0, -1), suffix: ',' } : { json: t, suffix: '' };
}

/**
 * True for a value shaped like a zakocr record: a `file` path and a `lines` array (what every reader relies on;
 * the other keys are read defensively). Pure.
 */
export function isZakRecord(value: unknown): value is ZakRecord {
  return !!value && typeof value === 'object' && typeof (value as ZakRecord).file === 'string' && Array.isArray((value as ZakRecord).lines);
}

export interface ReadRecordsOptions {
  /**
   * What a row that is not JSON or not a record does: `throw` (default) a UsageError naming the file and line;
   * `skip` it (a file sink's own earlier output, which an interrupted run or a hand edit may have damaged: the
   * files of skipped rows are simply processed again).
   */
  onInvalid?: 'throw' | 'skip';
}

/** One physical line of a JSON results file; `record` is null for blank lines, brackets and (with `skip`) bad rows. */
export interface RecordLine {
  /** 1-based line number. */
  lineNo: number;
  /** The line as read (without its newline). */
  raw: string;
  record: ZakRecord | null;
  /** What followed the record's JSON on its line (`,` inside the JSON sink's array). */
  suffix: string;
}

function parseRecord(json: string, where: string, onInvalid: 'throw' | 'skip'): ZakRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    if (onInvalid === 'skip') return null;
    throw new UsageError(`${where}: not valid JSON (${errorMessage(err)})`);
  }
  if (isZakRecord(value)) return value;
  if (onInvalid === 'skip') return null;
  throw new UsageError(`${where}: not a zakocr record (expected "file" and "lines")`);
}

function isCsv(file: string): boolean {
  return path.extname(file).toLowerCase() === '.csv';
}

/**
 * Every line of a JSON Lines / JSON array results file, with the record it holds. For rewriting a file in place
 * (`zakocr review import` copies untouched lines byte for byte).
 * @throws UsageError naming the line when a row is bad (with `onInvalid: 'throw'`), or when the file cannot be read.
 */
export async function* readRecordLines(file: string, opts: ReadRecordsOptions = {}): AsyncGenerator<RecordLine> {
  const onInvalid = opts.onInvalid ?? 'throw';
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    let lineNo = 0;
    for await (const raw of rl) {
      lineNo++;
      const text = recordText(raw);
      const record = text ? parseRecord(text.json, `${file} line ${lineNo}`, onInvalid) : null;
      yield { lineNo, raw, record, suffix: text?.suffix ?? '' };
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Also with `skip`: a file that cannot be read at all must not pass for an empty one (its records would be lost).
    throw new UsageError(`Cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  } finally {
    stream.destroy();
  }
}

async function* readCsvRecords(file: string, onInvalid: 'throw' | 'skip'): AsyncGenerator<ZakRecord> {
  const stream = createReadStream(file, 'utf8');
  try {
    const parser = stream.pipe(parse({ columns: true, relax_column_count: true, bom: true }));
    let row = 1;
    for await (const cells of parser as AsyncIterable<Record<string, string>>) {
      row++;
      const json = cells[CSV_RECORD_COLUMN];
      // The CSV sink escapes cells that could start a spreadsheet formula with a leading apostrophe.
      const record = json ? parseRecord(json.startsWith("'") ? json.slice(1) : json, `${file} row ${row}`, onInvalid) : null;
      if (record) yield record;
      else if (!json && onInvalid === 'throw') throw new UsageError(`${file} row ${row}: no ${CSV_RECORD_COLUMN} column (not a zakocr CSV)`);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Also with `skip`: a file that cannot be read at all must not pass for an empty one (its records would be lost).
    throw new UsageError(`Cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  } finally {
    stream.destroy();
  }
}

/**
 * Streams the records of a results file, in file order; the layout follows the extension (`.csv` → the CSV sink's
 * rows, anything else → JSON Lines or the JSON sink's array).
 * @throws UsageError naming the file and line for a malformed row (unless `onInvalid: 'skip'`) or an unreadable file.
 */
export async function* readRecords(file: string, opts: ReadRecordsOptions = {}): AsyncGenerator<ZakRecord> {
  const onInvalid = opts.onInvalid ?? 'throw';
  if (isCsv(file)) {
    yield* readCsvRecords(file, onInvalid);
    return;
  }
  for await (const line of readRecordLines(file, { onInvalid })) if (line.record) yield line.record;
}
