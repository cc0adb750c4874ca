import type { Migration } from './types.js';

/**
 * The product catalog: matched or created from scanned barcodes (`--create-products`).
 * `barcode` is the text as printed (EAN-13, UPC-A…); `gtin` is its GTIN-14 form so an EAN-13 and the
 * same product's UPC-A or GTIN-14 spelling match one row. `source_sha256` names the file a product was
 * created from; `source_job` is filled in once that file's job row exists.
 */
export const m0002: Migration = {
  version: 2,
  name: 'products',
  sql: `
CREATE TABLE products (
  id            bigserial PRIMARY KEY,
  barcode       text NOT NULL UNIQUE CHECK (length(barcode) BETWEEN 1 AND 128),
  gtin          text CHECK (gtin ~ '^[0-9]{14}$'),
  name          text,
  price         numeric(14, 2) CHECK (price >= 0),
  currency      text,
  unit          text,
  source        text NOT NULL DEFAULT 'zakocr',
  source_sha256 text,
  source_job    bigint REFERENCES ocr_processing_jobs (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_gtin ON products (gtin);
CREATE INDEX products_pending_source ON products (source_sha256) WHERE source_job IS NULL;

ALTER TABLE ocr_processing_jobs ADD COLUMN product_id bigint REFERENCES products (id) ON DELETE SET NULL;
CREATE INDEX ocr_processing_jobs_product ON ocr_processing_jobs (product_id);
`,
};
