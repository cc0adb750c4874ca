/** One versioned schema change. Applied in `version` order, each in its own transaction; never edited once released. */
export interface Migration {
  /** 1, 2, 3…: the order of application and the key in `zakocr_schema_migrations`. */
  version: number;
  /** snake_case label shown in messages (`0002_products`). */
  name: string;
  sql: string;
}
