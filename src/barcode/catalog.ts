/**
 * Product catalogs: a barcode → the shop's product.
 *
 * - CSV (`--catalog products.csv`): header row with a barcode column (`barcode`, `gtin`, `ean`, `upc` or
 *   `code`) and optional `id`/`sku`, `name`, `price`, `currency`, `unit`. Matching is by GTIN-14, so every
 *   spelling of one trade item meets (UPC-A `036000291452` = EAN-13 `0036000291452` = GTIN-14; a UPC-E row
 *   matches its expanded code). Codes that are not GTINs (QR payloads, Code 128 SKUs) match by exact text.
 *   A weighed item (variable-measure EAN-13) matches a row for the same prefix + item code, whatever the
 *   price or weight digits.
 * - PostgreSQL `products` (`--pg`): src/db/catalog.ts (matching by barcode or GTIN-14, `--create-products`).
 * - Both: the CSV is asked first, then PostgreSQL (which may create the product).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { ZakConfig } from '../config/defaults.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Fields, Logger, ProductCatalog, ProductRef, RecordBarcode } from '../core/types.js';
import { toAsciiDigits } from '../core/digits.js';
import { gtinKeys } from './ean.js';
import { layoutFor, parseLayouts, type VariableMeasureLayout } from './variable-measure.js';

/** One catalog row. */
export interface CatalogProduct {
  id: string;
  barcode: string;
  name: string | null;
  price: number | null;
  currency: string | null;
  unit: string | null;
}

const COLUMN_ALIASES: Record<keyof CatalogProduct, string[]> = {
  barcode: ['barcode', 'gtin', 'ean', 'upc', 'code', 'bar_code', 'bar code'],
  id: ['id', 'sku', 'product_id', 'item_id'],
  name: ['name', 'product', 'product_name', 'title', 'description'],
  price: ['price', 'unit_price', 'mrp'],
  currency: ['currency'],
  unit: ['unit', 'uom'],
};

/** Which header column holds each field (case and surrounding spaces ignored). */
function mapColumns(header: string[], file: string): Partial<Record<keyof CatalogProduct, number>> {
  const norm = header.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase());
  const out: Partial<Record<keyof CatalogProduct, number>> = {};
  for (const [field, aliases] of Object.entries(COLUMN_ALIASES) as Array<[keyof CatalogProduct, string[]]>) {
    const i = norm.findIndex((h) => aliases.includes(h));
    if (i !== -1) out[field] = i;
  }
  if (out.barcode === undefined) {
    throw new ConfigError('catalog', `Expected a barcode column (${COLUMN_ALIASES.barcode.join(', ')}) in the header of ${file}, got ${JSON.stringify(header)}`);
  }
  return out;
}

/** A price cell: `450`, `450.00`, `1,250.50`, `৳ 450`, `Tk 450` → number; empty → null. */
export function parsePriceCell(cell: string): number | null {
  const s = toAsciiDigits(cell).replace(/[৳$€£₹]|\b(?:tk|bdt|taka|rs)\b\.?|টাকা/giu, '').replace(/,/g, '').trim();
  if (s === '') return null;
  const v = Number(s);
  return Number.isFinite(v) && v >= 0 ? v : NaN;
}

/** The key under which a variable-measure code is catalogued: flag digits + item code. */
export function variableMeasureKey(ean13: string, layouts: readonly VariableMeasureLayout[]): string | null {
  if (!/^\d{13}$/.test(ean13)) return null;
  const l = layoutFor(ean13, layouts);
  if (!l) return null;
  let key = '';
  for (let i = 0; i < 13; i++) if (l.layout[i] === 'F' || l.layout[i] === 'I') key += ean13[i];
  return `vm:${key}`;
}

/**
 * The keys a barcode text is filed under: its GTIN-14 spellings, its variable-measure item key, and the
 * exact text.
 */
export function catalogKeys(text: string, layouts: readonly VariableMeasureLayout[]): string[] {
  const gtins = gtinKeys(text);
  const keys = gtins.map((g) => `gtin:${g}`);
  // Variable-measure codes are EAN-13 (GTIN-14 with indicator 0); exact GTIN first, then the item key.
  const vm = gtins.length > 0 && gtins[0][0] === '0' ? variableMeasureKey(gtins[0].slice(1), layouts) : null;
  if (vm) keys.push(vm);
  keys.push(`text:${text.trim()}`);
  return keys;
}

/** The CSV catalog, held in memory (a shop catalog is thousands of rows, not millions). */
export class CsvProductCatalog implements ProductCatalog {
  readonly name = 'csv';
  private readonly index = new Map<string, CatalogProduct>();

  constructor(
    products: readonly CatalogProduct[],
    private readonly layouts: readonly VariableMeasureLayout[],
    log?: Logger,
  ) {
    const dupes: string[] = [];
    for (const p of products) {
      for (const k of catalogKeys(p.barcode, layouts)) {
        const had = this.index.get(k);
        if (had && had !== p) {
          if (k.startsWith('gtin:') || k.startsWith('text:')) dupes.push(`${p.barcode} (also ${had.barcode})`);
          continue;
        }
        this.index.set(k, p);
      }
    }
    if (dupes.length > 0) log?.warn(`catalog: ${dupes.length} duplicate barcode(s), the first row wins: ${dupes.slice(0, 5).join(', ')}${dupes.length > 5 ? ' …' : ''}`);
  }

  get size(): number {
    return new Set(this.index.values()).size;
  }

  /**
   * Reads a catalog CSV (UTF-8, optional BOM, comma or semicolon separated).
   * @throws ConfigError naming the file for a missing file, no barcode column, or a malformed price.
   */
  static async load(file: string, layouts: readonly VariableMeasureLayout[], log?: Logger): Promise<CsvProductCatalog> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError('catalog', `Cannot read the catalog CSV ${file}: ${errorMessage(err)}`, { cause: err, hint: 'Pass an existing file to --catalog' });
    }
    const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    let rows: string[][];
    try {
      rows = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    } catch (err) {
      throw new ConfigError('catalog', `Catalog CSV ${file} is malformed: ${errorMessage(err)}`, { cause: err });
    }
    if (rows.length === 0) throw new ConfigError('catalog', `Catalog CSV ${file} is empty (expected a header row with a barcode column)`);
    const cols = mapColumns(rows[0], file);
    const products: CatalogProduct[] = [];
    let skipped = 0;
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r];
      const cell = (f: keyof CatalogProduct): string => (cols[f] === undefined ? '' : (row[cols[f]!] ?? '').trim());
      const barcode = toAsciiDigits(cell('barcode'));
      if (!barcode) {
        skipped++;
        continue;
      }
      const price = parsePriceCell(cell('price'));
      if (Number.isNaN(price)) {
        throw new ConfigError('catalog', `Expected a number for price on line ${r + 1} of ${file}, got ${JSON.stringify(cell('price'))}`);
      }
      products.push({
        id: cell('id') || barcode,
        barcode,
        name: cell('name') || null,
        price,
        currency: cell('currency') || null,
        unit: cell('unit') || null,
      });
    }
    if (skipped > 0) log?.warn(`catalog: ${skipped} row(s) of ${file} have no barcode and were skipped`);
    return new CsvProductCatalog(products, layouts, log);
  }

  /** The product for one barcode text, or null. */
  find(text: string): CatalogProduct | null {
    for (const k of catalogKeys(text, this.layouts)) {
      const p = this.index.get(k);
      if (p) return p;
    }
    return null;
  }

  async lookup(barcodes: RecordBarcode[], _fields: Fields, _sha256: string): Promise<ProductRef | null> {
    const usable = barcodes.filter((b) => b.valid !== false && b.text);
    if (usable.length === 0) return null;
    for (const b of usable) {
      const p = this.find(b.gtin ?? b.text) ?? (b.gtin ? this.find(b.text) : null);
      if (p) return { id: p.id, barcode: p.barcode, matchedBy: 'barcode', created: false, name: p.name, price: p.price, currency: p.currency, unit: p.unit };
    }
    return { id: null, barcode: usable[0].text, matchedBy: 'none', created: false, name: null };
  }

  async close(): Promise<void> {}
}

/** Asks catalogs in order; the first match wins, else the last answer (which may be a created product). */
export class ChainCatalog implements ProductCatalog {
  readonly name: string;
  constructor(private readonly catalogs: readonly ProductCatalog[]) {
    this.name = catalogs.map((c) => c.name).join('+');
  }

  async lookup(barcodes: RecordBarcode[], fields: Fields, sha256: string): Promise<ProductRef | null> {
    let last: ProductRef | null = null;
    for (const c of this.catalogs) {
      const r = await c.lookup(barcodes, fields, sha256);
      if (r && r.matchedBy !== 'none') return r;
      last = r ?? last;
    }
    return last;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.catalogs.map((c) => c.close()));
  }
}

/**
 * The product catalog for a run, or null when neither `catalog` (CSV) nor `pg.url` is set.
 * @throws ConfigError for an unreadable or malformed CSV, or malformed variable-measure layouts.
 */
export async function createCatalog(
  config: Pick<ZakConfig, 'catalog' | 'pg' | 'createProducts' | 'barcode'>,
  log?: Logger,
): Promise<ProductCatalog | null> {
  const catalogs: ProductCatalog[] = [];
  if (config.catalog) {
    const layouts = parseLayouts(config.barcode.variableMeasure.layouts);
    const csv = await CsvProductCatalog.load(config.catalog, layouts, log);
    log?.info(`catalog: ${csv.size} product(s) from ${config.catalog}`);
    catalogs.push(csv);
  }
  if (config.pg.url) {
    // PostgreSQL `products` (built with the sinks): lookups by barcode/GTIN-14, `--create-products` inserts.
    const { createPgCatalog } = await import('../db/catalog.js');
    catalogs.push(createPgCatalog(config, log));
  } else if (config.createProducts) {
    log?.warn('--create-products needs PostgreSQL (--pg or DATABASE_URL); unknown products are reported, not created');
  }
  if (catalogs.length === 0) return null;
  return catalogs.length === 1 ? catalogs[0] : new ChainCatalog(catalogs);
}
