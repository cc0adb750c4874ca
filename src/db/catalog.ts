import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { ZakConfig } from '../config/defaults.js';
import { CatalogUnavailableError, errorMessage } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Fields, Logger, ProductCatalog, ProductRef, RecordBarcode } from '../core/types.js';
import { createPool, isPermanentPgError, pgSecrets } from './pool.js';

/** Formats that identify a trade item (GTIN); QR codes, Code 39 etc. name other things. */
const PRODUCT_FORMATS = new Set(['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E']);
/** Attempts per lookup when the connection drops (a lookup failure would fail the file). */
const LOOKUP_ATTEMPTS = 4;
const LOOKUP_BACKOFF_MS = 200;

/** A barcode as the catalog keys it: the printed text and, when it is a GTIN, its 14-digit form. */
export interface ProductKey {
  barcode: string;
  gtin: string | null;
}

/** UPC-E (8 digits: number system, 6 digits, check) → UPC-A (12 digits). Pure. */
export function upcEToUpcA(e: string): string | null {
  if (!/^[01]\d{7}$/.test(e)) return null;
  const [ns, d, check] = [e[0], e.slice(1, 7), e[7]];
  const last = d[5];
  let body: string;
  if ('012'.includes(last)) body = d.slice(0, 2) + last + '0000' + d.slice(2, 5);
  else if (last === '3') body = d.slice(0, 3) + '00000' + d.slice(3, 5);
  else if (last === '4') body = d.slice(0, 4) + '00000' + d[4];
  else body = d.slice(0, 5) + '0000' + last;
  return ns + body + check;
}

/** The GTIN-14 of a barcode (EAN-8/13, UPC-A/E, or a GS1 AI 01), or null. Pure. */
export function gtin14(b: Pick<RecordBarcode, 'format' | 'text' | 'gtin'>): string | null {
  const fromAi = b.gtin && /^\d{8,14}$/.test(b.gtin) ? b.gtin : null;
  const digits = fromAi ?? (b.format === 'UPC_E' ? upcEToUpcA(b.text) : /^\d{8}$|^\d{12,14}$/.test(b.text) ? b.text : null);
  return digits ? digits.padStart(14, '0') : null;
}

/**
 * The product barcodes of a record, in the order found: trade-item formats (or any code carrying a GTIN),
 * not failing their check digit, not in-store variable-measure codes (their digits change with the
 * weight or price, so they do not name one product). Duplicates removed. Pure.
 */
export function productKeys(barcodes: RecordBarcode[]): ProductKey[] {
  const out: ProductKey[] = [];
  const seen = new Set<string>();
  for (const b of barcodes) {
    if (b.valid === false || b.variableMeasure) continue;
    if (!PRODUCT_FORMATS.has(b.format) && !b.gtin) continue;
    const gtin = gtin14(b);
    const id = gtin ?? b.text;
    if (!b.text || seen.has(id)) continue;
    seen.add(id);
    out.push({ barcode: b.text, gtin });
  }
  return out;
}

/** Name, price, currency and unit for a new product, from the record's fields. Pure. */
export function productDetails(fields: Fields): { name: string | null; price: number | null; currency: string | null; unit: string | null } {
  const price = fields.price ?? fields.unitPrice;
  const value = typeof price?.value === 'number' && Number.isFinite(price.value) && price.value >= 0 ? price.value : null;
  return {
    name: fields.productName?.value?.trim() || null,
    price: value,
    currency: price?.currency ?? fields.currency?.value ?? null,
    unit: fields.quantity?.unit ?? null,
  };
}

interface ProductRow {
  id: string;
  barcode: string;
  gtin: string | null;
  name: string | null;
  price: number | null;
  currency: string | null;
  unit: string | null;
}

const COLUMNS = 'id::text, barcode, gtin, name, price::float8 AS price, currency, unit';
const FIND = `SELECT ${COLUMNS} FROM products WHERE barcode = ANY($1::text[]) OR gtin = ANY($2::text[])`;
const CREATE = `INSERT INTO products (barcode, gtin, name, price, currency, unit, source, source_sha256)
  VALUES ($1, $2, $3, $4, $5, $6, 'zakocr', $7)
  ON CONFLICT (barcode) DO NOTHING RETURNING ${COLUMNS}`;

function ref(row: ProductRow, created: boolean): ProductRef {
  return { id: row.id, barcode: row.barcode, matchedBy: 'barcode', created, name: row.name, price: row.price, currency: row.currency, unit: row.unit };
}

/**
 * The PostgreSQL `products` table as a catalog: a record's first product barcode that is known wins
 * (matched by printed text or GTIN-14, so EAN-13 and UPC-A spellings meet); with `createProducts` an
 * unknown one is inserted once (name/price/currency/unit from the fields). Concurrent files with the same
 * new barcode share one lookup in this process, and `ON CONFLICT DO NOTHING` keeps it to one row across
 * processes. Dropped connections are retried; a lookup that still fails throws CatalogUnavailableError (the file's
 * record then needs review, `catalog_unavailable`, and `--resume` asks again).
 */
export class PgProductCatalog implements ProductCatalog {
  readonly name = 'postgres-products';
  private readonly inflight = new Map<string, Promise<ProductRef>>();
  constructor(
    private readonly pool: pg.Pool,
    private readonly create: boolean,
    private readonly log?: Logger,
    /** Blanked out of error messages (the database password). */
    private readonly secrets: string[] = [],
  ) {}

  async lookup(barcodes: RecordBarcode[], fields: Fields, sourceSha256: string): Promise<ProductRef | null> {
    const keys = productKeys(barcodes);
    if (keys.length === 0) return null;
    const cacheKey = keys.map((k) => k.gtin ?? k.barcode).join('|');
    const shared = this.inflight.get(cacheKey);
    // Files with the same barcode at the same time share one lookup; only the first one created the product.
    if (shared) return { ...(await shared), created: false };
    const p = this.resolve(keys, fields, sourceSha256).finally(() => this.inflight.delete(cacheKey));
    this.inflight.set(cacheKey, p);
    return p;
  }

  private async resolve(keys: ProductKey[], fields: Fields, sourceSha256: string): Promise<ProductRef> {
    const found = await this.find(keys);
    if (found) return found;
    const first = keys[0];
    if (!this.create) return { id: null, barcode: first.barcode, matchedBy: 'none', created: false, name: null };
    const d = productDetails(fields);
    const res = await this.query<ProductRow>(CREATE, [first.barcode, first.gtin, d.name, d.price, d.currency, d.unit, sourceSha256 || null]);
    const row = res.rows[0];
    if (row) {
      this.log?.debug(`products: created ${row.barcode} (id ${row.id})`);
      return ref(row, true);
    }
    // Another process inserted it between our SELECT and INSERT.
    return (await this.find(keys)) ?? { id: null, barcode: first.barcode, matchedBy: 'none', created: false, name: null };
  }

  private async find(keys: ProductKey[]): Promise<ProductRef | null> {
    const res = await this.query<ProductRow>(FIND, [keys.map((k) => k.barcode), keys.map((k) => k.gtin).filter(Boolean)]);
    for (const k of keys) {
      const row = res.rows.find((r) => r.barcode === k.barcode) ?? res.rows.find((r) => k.gtin !== null && r.gtin === k.gtin);
      if (row) return ref(row, false);
    }
    return null;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.query<R>(sql, values);
      } catch (err) {
        if (attempt >= LOOKUP_ATTEMPTS || isPermanentPgError(err)) {
          throw new CatalogUnavailableError(`products catalog: ${redact(errorMessage(err), this.secrets)}`, { cause: err });
        }
        await sleep(LOOKUP_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The products-table catalog for `pg.url` (its own small pool: lookups run while the sink writes).
 * @throws ConfigError when `pg.url` is missing.
 */
export function createPgCatalog(config: Pick<ZakConfig, 'pg' | 'createProducts'>, log?: Logger): ProductCatalog {
  const pool = createPool(config.pg, log, { max: 2, applicationName: 'zakocr catalog' });
  return new PgProductCatalog(pool, config.createProducts, log, pgSecrets(config.pg.url));
}
