import { stringify } from 'csv-stringify/sync';
import { escapeCsvCell } from '../core/csv-cell.js';
import { CSV_RECORD_COLUMN } from '../core/record-io.js';
import { meanLineConfidence } from '../core/stats.js';
import type { FieldValue, ZakRecord } from '../core/types.js';
import type { FileFormat } from './atomic-file.js';

function v<T>(f: FieldValue<T> | undefined): T | null {
  return f ? f.value : null;
}

/** The flattened columns, in order: the most useful fields first, the whole record as JSON last. */
export const CSV_COLUMNS = [
  'file', 'page', 'status', 'docType', 'text', 'barcodes', 'productName', 'price', 'currency', 'quantity', 'unit',
  'date', 'merchant', 'total', 'subtotal', 'tax', 'invoiceNumber', 'product_id', 'quality_score', 'quality_issues',
  'review', 'mean_confidence', 'engine', 'device', 'error_code', 'error_message', 'total_ms', 'sha256', 'bytes',
  'pipelineVersion', CSV_RECORD_COLUMN,
] as const;

/** One record as a CSV row (values before escaping). Pure. */
export function flattenRecord(r: ZakRecord): Record<(typeof CSV_COLUMNS)[number], unknown> {
  const f = r.fields;
  return {
    file: r.file,
    page: r.page,
    status: r.status,
    docType: r.docType,
    text: r.text,
    barcodes: r.barcodes.map((b) => b.text).join(' '),
    productName: v(f.productName),
    price: v(f.price),
    currency: f.price?.currency ?? f.total?.currency ?? v(f.currency) ?? null,
    quantity: v(f.quantity),
    unit: f.quantity?.unit ?? null,
    date: f.date?.value ?? null,
    merchant: v(f.merchant),
    total: v(f.total),
    subtotal: v(f.subtotal),
    tax: v(f.tax),
    invoiceNumber: v(f.invoiceNumber),
    product_id: r.product?.id ?? null,
    quality_score: r.quality?.score ?? null,
    quality_issues: r.quality?.issues.join(' ') ?? null,
    review: r.review.join(' '),
    mean_confidence: meanLineConfidence(r.lines),
    engine: r.engine.name,
    device: r.engine.device,
    error_code: r.error?.code ?? null,
    error_message: r.error?.message ?? null,
    total_ms: r.timingsMs.total ?? null,
    sha256: r.sha256,
    bytes: r.bytes,
    pipelineVersion: r.pipelineVersion,
    [CSV_RECORD_COLUMN]: JSON.stringify(r),
  };
}

export const csvFormat: FileFormat = {
  kind: 'csv',
  header: () => stringify([CSV_COLUMNS as unknown as string[]]),
  serialise: (r) => {
    const flat = flattenRecord(r);
    return stringify([CSV_COLUMNS.map((c) => escapeCsvCell(flat[c]))], { cast: { boolean: (b) => (b ? 'true' : 'false') } });
  },
  footer: () => '',
};

