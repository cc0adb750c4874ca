/**
 * Where a dataset's field label is found in a record's `fields`. Dataset layouts name fields their
 * own way (SROIE `company`, invoice2data `amount`, `invoice_number`); records use zakocr's names
 * (`merchant`, `total`, `invoiceNumber`). Pure, no I/O.
 */
import type { Fields } from '../core/types.js';

/**
 * Label name → record paths tried in order. `a.b` reads property b of field a (a FieldValue's
 * `currency`); `dates:kind` picks the entry of `fields.dates` with that kind.
 * Names not listed are looked up as written and in camelCase.
 */
export const FIELD_SOURCES: Readonly<Record<string, readonly string[]>> = {
  company: ['merchant', 'supplier'],
  merchant: ['merchant', 'supplier'],
  issuer: ['supplier', 'merchant'],
  supplier: ['supplier', 'merchant'],
  address: ['address', 'merchantAddress', 'merchant.address'],
  total: ['total'],
  amount: ['total'],
  amount_untaxed: ['subtotal'],
  subtotal: ['subtotal'],
  amount_tax: ['tax'],
  tax: ['tax'],
  date: ['date'],
  date_due: ['dates:due'],
  expiry: ['dates:expiry'],
  invoice_number: ['invoiceNumber'],
  currency: ['currency', 'total.currency', 'price.currency'],
  product_name: ['productName'],
  price: ['price'],
  unit_price: ['unitPrice'],
  quantity: ['quantity'],
};

function camel(name: string): string {
  return name.replace(/_([a-z])/gu, (_, c: string) => c.toUpperCase());
}

function readPath(fields: Fields, source: string): unknown {
  if (source.includes(':')) {
    const [list, kind] = source.split(':') as [string, string];
    const arr = fields[list];
    if (!Array.isArray(arr)) return undefined;
    return (arr as Array<{ kind?: string; value?: unknown }>).find((d) => d.kind === kind)?.value;
  }
  const [head, prop] = source.split('.') as [string, string | undefined];
  const v = fields[head];
  if (v === undefined || v === null) return undefined;
  if (prop === undefined) {
    return typeof v === 'object' && !Array.isArray(v) && 'value' in v ? (v as { value: unknown }).value : v;
  }
  return typeof v === 'object' ? (v as Record<string, unknown>)[prop] : undefined;
}

/** The plain value a record gives for the dataset field `name`, or undefined when it has none. */
export function recordFieldValue(fields: Fields, name: string): unknown {
  const sources = FIELD_SOURCES[name] ?? [name, camel(name)];
  for (const s of sources) {
    const v = readPath(fields, s);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** Shallow merge of per-page fields: the first page that has a field wins; list fields are concatenated. */
export function mergeFields(pages: readonly Fields[]): Fields {
  const out: Fields = {};
  for (const f of pages) {
    for (const [k, v] of Object.entries(f)) {
      if (v === undefined || v === null) continue;
      const cur = out[k];
      if (cur === undefined) out[k] = v;
      else if (Array.isArray(cur) && Array.isArray(v)) out[k] = [...cur, ...v];
    }
  }
  return out;
}
