import { createWriteStream } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError, errorMessage } from '../core/errors.js';
import { recordKey } from '../core/record.js';
import { readRecordLines } from '../core/record-io.js';
import { writeAtomic } from '../core/write-atomic.js';
import type { ZakRecord } from '../core/types.js';
import { applyToRecord, type RowCorrection } from './apply.js';
import { formatGroundTruth, GROUND_TRUTH_FILE, mergeGroundTruth, readGroundTruth, type GroundTruthLine } from './ground-truth.js';
import { REVIEW_INDEX_FILE, REVIEW_PACKAGE_SCHEMA, REVIEW_ROWS_FILE } from './package-files.js';
import type { ReviewPackageIndex } from './package.js';
import type { ReviewRow } from './rows.js';
import { formatProblem, MAX_PROBLEMS, parseSheet, type SheetProblem } from './sheet.js';

/**
 * `zakocr review import corrections.csv`: validate the edited sheet against its package, then apply
 * it to the results (JSON Lines, rewritten atomically; and/or PostgreSQL, in one transaction) and add
 * the verified lines to the package's ground truth. All or nothing: any problem → nothing changes.
 * Idempotent: importing the same sheet again changes nothing (files are not even rewritten).
 */

export interface LoadedPackage {
  dir: string;
  index: ReviewPackageIndex;
  rows: Map<string, ReviewRow>;
}

/**
 * Reads a review package's index and rows.
 * @throws UsageError when the folder is not a review package.
 */
export async function loadPackage(dir: string): Promise<LoadedPackage> {
  let index: ReviewPackageIndex;
  try {
    index = JSON.parse(await readFile(path.join(dir, REVIEW_INDEX_FILE), 'utf8')) as ReviewPackageIndex;
  } catch (err) {
    throw new UsageError(`${dir} is not a review package (cannot read ${REVIEW_INDEX_FILE}: ${errorMessage(err)})`, {
      hint: 'Pass --package <dir> when the CSV was moved out of its package folder',
    });
  }
  if (index.schema !== REVIEW_PACKAGE_SCHEMA) throw new UsageError(`${path.join(dir, REVIEW_INDEX_FILE)} has schema ${JSON.stringify(index.schema)}, expected ${REVIEW_PACKAGE_SCHEMA}`);
  const rows = new Map<string, ReviewRow>();
  const content = await readFile(path.join(dir, REVIEW_ROWS_FILE), 'utf8');
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as ReviewRow;
    rows.set(r.rowId, r);
  }
  return { dir, index, rows };
}

/** A target the corrections are applied to. `prepare` validates and stages; `commit` makes it durable; `abort` drops it. */
export interface ApplyTarget {
  readonly name: string;
  /** @param keys the record keys corrections target (a target may look only at these) */
  prepare(keys: ReadonlySet<string>, apply: (rec: ZakRecord) => ZakRecord | null): Promise<{ changed: number; seen: Set<string> }>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * A results file as a target (JSON Lines, or the JSON sink's one-record-per-line array): untouched
 * lines are copied byte for byte into a temp file that is renamed over the original.
 */
export function jsonlTarget(file: string): ApplyTarget {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.review-${randomBytes(4).toString('hex')}.tmp`);
  let changedCount = 0;
  return {
    name: file,
    async prepare(_keys, apply) {
      const seen = new Set<string>();
      const output = createWriteStream(tmp, { encoding: 'utf8' });
      try {
        await once(output, 'open');
        for await (const { raw, record, suffix } of readRecordLines(file)) {
          let text = raw;
          if (record) {
            seen.add(recordKey(record));
            const next = apply(record);
            if (next) {
              changedCount++;
              text = JSON.stringify(next) + suffix;
            }
          }
          if (!output.write(text + '\n')) await once(output, 'drain');
        }
        await new Promise<void>((res, rej) => output.end((err?: Error | null) => (err ? rej(err) : res())));
        const fh = await open(tmp, 'r');
        await fh.sync();
        await fh.close();
      } catch (err) {
        output.destroy();
        await rm(tmp, { force: true });
        if (err instanceof UsageError) throw new UsageError(`${err.message}; nothing was changed`, { cause: err.cause });
        throw new UsageError(`Cannot rewrite ${file}: ${errorMessage(err)}`, { cause: err });
      }
      return { changed: changedCount, seen };
    },
    async commit() {
      if (changedCount === 0) return void (await rm(tmp, { force: true }));
      await rename(tmp, file);
    },
    async abort() {
      await rm(tmp, { force: true });
    },
  };
}

export interface ReviewImportOptions {
  csv: string;
  pkg: LoadedPackage;
  targets: ApplyTarget[];
  /** Check everything and report what would change, then change nothing. */
  dryRun?: boolean;
}

export interface ReviewImportResult {
  corrections: number;
  linesVerified: number;
  fieldsVerified: number;
  /** Records changed per target name. */
  changed: Record<string, number>;
  groundTruthRows: number;
  groundTruthChanged: boolean;
}

function fail(csv: string, problems: SheetProblem[]): never {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `  ${formatProblem(p)}`);
  const more = problems.length > MAX_PROBLEMS ? `\n  … and ${problems.length - MAX_PROBLEMS} more` : '';
  throw new UsageError(`${csv}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed\n${shown.join('\n')}${more}`);
}

/**
 * Validates and applies a corrections sheet.
 * @throws UsageError listing every problem (row and column) when the sheet or the results do not fit; nothing changes then.
 */
export async function runReviewImport(opts: ReviewImportOptions): Promise<ReviewImportResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(opts.csv);
  } catch (err) {
    throw new UsageError(`Cannot read ${opts.csv}: ${errorMessage(err)}`);
  }
  const { corrections, problems } = parseSheet({ bytes, rows: opts.pkg.rows, packageDir: opts.pkg.dir });
  if (problems.length > 0) fail(opts.csv, problems);

  // Corrections grouped by the record they target; every package row of that record decides its status.
  const byRecord = new Map<string, RowCorrection[]>();
  const rowsByRecord = new Map<string, ReviewRow[]>();
  for (const r of opts.pkg.rows.values()) {
    const k = recordKey(r);
    rowsByRecord.set(k, [...(rowsByRecord.get(k) ?? []), r]);
  }
  for (const c of corrections) {
    const row = opts.pkg.rows.get(c.rowId)!;
    const k = recordKey(row);
    byRecord.set(k, [...(byRecord.get(k) ?? []), { row, correction: c }]);
  }

  const conflicts: SheetProblem[] = [];
  const truth = new Map<string, GroundTruthLine>();
  const changed: Record<string, number> = {};
  const prepared: ApplyTarget[] = [];
  try {
    for (const target of opts.targets) {
      const { changed: n, seen } = await target.prepare(new Set(byRecord.keys()), (rec) => {
        const items = byRecord.get(recordKey(rec));
        if (!items) return null;
        const outcome = applyToRecord(rec, items, rowsByRecord.get(recordKey(rec)) ?? []);
        conflicts.push(...outcome.conflicts.map((p) => ({ ...p, message: `${p.message} [${target.name}]` })));
        for (const g of outcome.groundTruth) truth.set(g.rowId, g);
        return outcome.changed ? outcome.record : null;
      });
      prepared.push(target);
      changed[target.name] = n;
      for (const [k, items] of byRecord) {
        if (seen.has(k)) continue;
        for (const { row, correction } of items) {
          conflicts.push({ sheetRow: correction.sheetRow, column: 'row_id', message: `the record of ${row.file} (page ${row.page ?? '-'}) is not in ${target.name}` });
        }
      }
    }
    if (conflicts.length > 0) fail(opts.csv, conflicts.sort((a, b) => (a.sheetRow ?? 0) - (b.sheetRow ?? 0)));
  } catch (err) {
    for (const t of prepared) await t.abort();
    throw err;
  }
  const rowsOf = corrections.map((c) => opts.pkg.rows.get(c.rowId)!);
  const summary = {
    corrections: corrections.length,
    linesVerified: rowsOf.filter((r) => r.kind === 'line').length,
    fieldsVerified: rowsOf.filter((r) => r.kind !== 'line').length,
    changed,
  };
  if (opts.dryRun) {
    for (const t of prepared) await t.abort();
    const old = await readGroundTruth(opts.pkg.dir);
    const merged = mergeGroundTruth(old, [...truth.values()]);
    return { ...summary, groundTruthRows: merged.length, groundTruthChanged: formatGroundTruth(merged) !== formatGroundTruth(old) };
  }
  for (const t of prepared) await t.commit();

  // Ground truth last: a crash before this point leaves it behind the results, and re-importing completes it.
  const gtFile = path.join(opts.pkg.dir, GROUND_TRUTH_FILE);
  const old = await readGroundTruth(opts.pkg.dir);
  const merged = mergeGroundTruth(old, [...truth.values()]);
  const text = formatGroundTruth(merged);
  let current = '';
  try {
    current = await readFile(gtFile, 'utf8');
  } catch {
    current = '';
  }
  const gtChanged = text !== current;
  if (gtChanged) await writeAtomic(gtFile, text);

  return { ...summary, groundTruthRows: merged.length, groundTruthChanged: gtChanged };
}

/** The results file a package was made from, if it still exists. */
export async function defaultResultsFile(pkg: LoadedPackage): Promise<string | null> {
  if (pkg.index.source.kind !== 'jsonl') return null;
  try {
    return (await stat(pkg.index.source.path)).isFile() ? pkg.index.source.path : null;
  } catch {
    return null;
  }
}
