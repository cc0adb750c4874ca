import { m0001 } from './0001_jobs_metrics_errors.js';
import { m0002 } from './0002_products.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration this build knows, in order. Append new ones; never edit or renumber released ones. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002];

/** `0002_products` */
export function migrationLabel(m: Pick<Migration, 'version' | 'name'>): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}`;
}
