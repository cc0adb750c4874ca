/**
 * The analysed page every field extractor reads: rows with their labels, dates, amounts and quantities found
 * once, the document's decimal mark, and where a tax summary table starts.
 */
import type { OcrLine } from '../core/types.js';
import { keywordText } from './digits.js';
import { buildRows, type Row } from './layout.js';
import { findLabels, type LabelHit } from './labels.js';
import { findDates, type DateMatch, type DateOrder } from './date.js';
import { decimalStyle, findAmounts, type MoneyMatch } from './money.js';
import { findQuantities, type QuantityMatch } from './quantity.js';

export interface RowInfo {
  row: Row;
  labels: LabelHit[];
  dates: DateMatch[];
  amounts: MoneyMatch[];
  quantities: QuantityMatch[];
}

export interface DocContext {
  rows: RowInfo[];
  decimal: '.' | ',';
  /** Rows joined by newlines. */
  text: string;
  width: number;
  height: number;
  now: Date;
  order: DateOrder;
  /** Median text height over all rows (pixels; 0 without geometry). */
  medianHeight: number;
  /** Index of the first row of a tax summary table ("GST SUMMARY", "TAX CODE"), or rows.length. */
  summaryFrom: number;
}

/** Headers of the tax breakdown printed under receipt totals; its "TOTAL" rows are not the document total. */
const SUMMARY_HEADER = /(?:GST|TAX|VAT|BTW|TVA)\s*(?:SUMMARY|ANALYSIS|BREAKDOWN|DETAILS?)|GSTSUMMARY|^\s*TAX\s*CODE\b|\bBTW\s*%|TAX\s*RATE\s+.*AMOUNT|(?:MWST|UST|STEUER)\b.{0,30}(?:NETTO|BRUTTO)|NETTO.{0,30}BRUTTO/i;

function timeSpans(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(/(?<![\d.])\d{1,2}[:]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?![\d])/g)) {
    out.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  return out;
}

/**
 * Builds the analysed page from OCR lines (or from plain text when no line has a box).
 * @param lines - OCR lines in reading order, boxes in page pixels
 */
export function buildContext(lines: OcrLine[], text: string, width: number, height: number, order: DateOrder, now: Date): DocContext {
  const source: OcrLine[] = lines.length > 0
    ? lines
    : text.split('\n').map((t) => ({ text: t, confidence: 1, engine: 'text', box: [0, 0, 0, 0] }));
  const rows = buildRows(source);
  const decimal = decimalStyle(rows.map((r) => r.text).join('\n'));
  const infos: RowInfo[] = rows.map((row) => {
    const dates = findDates(row.text, { order, now });
    const exclude: Array<[number, number]> = [...dates.map((d): [number, number] => [d.start, d.end]), ...timeSpans(row.text)];
    return {
      row,
      labels: findLabels(keywordText(row.text)),
      dates,
      amounts: findAmounts(row.text, { decimal, exclude }),
      quantities: findQuantities(row.text),
    };
  });
  const heights = rows.map((r) => r.height).filter((h) => h > 0).sort((a, b) => a - b);
  let summaryFrom = infos.length;
  // A summary table follows the totals, so only a header in the lower part of the page counts.
  for (let i = Math.floor(infos.length / 3); i < infos.length; i++) {
    if (SUMMARY_HEADER.test(infos[i].row.text)) { summaryFrom = i; break; }
  }
  return {
    rows: infos,
    decimal,
    text: rows.map((r) => r.text).join('\n'),
    width,
    height,
    now,
    order,
    medianHeight: heights.length ? heights[Math.floor(heights.length / 2)] : 0,
    summaryFrom,
  };
}
