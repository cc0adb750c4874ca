/**
 * Layout of a review package folder (`zakocr review export --out PKG`):
 *
 *   PKG/review.csv          the sheet people edit (UTF-8 with BOM, one row per line or field to check)
 *   PKG/review.json         package index: schema, where the results came from, options, counts
 *   PKG/rows.jsonl          what each row id points at (record key, line index or field, box, original text)
 *   PKG/crops/ID.png        a crop per line row (the line with some context); page previews for fields
 *   PKG/ground-truth.jsonl  written by `zakocr review import`: verified lines, an export source
 */
export const REVIEW_CSV_FILE = 'review.csv';
export const REVIEW_INDEX_FILE = 'review.json';
export const REVIEW_ROWS_FILE = 'rows.jsonl';
export const REVIEW_CROPS_DIR = 'crops';
export const REVIEW_PACKAGE_SCHEMA = 'zakocr.review-package/v1' as const;

/** Columns of review.csv, in order. `row_id` and `corrected` are required on import. */
export const REVIEW_COLUMNS = ['row_id', 'file', 'page', 'kind', 'current_text', 'confidence', 'engine', 'crop', 'corrected'] as const;
export const REQUIRED_IMPORT_COLUMNS = ['row_id', 'corrected'] as const;
