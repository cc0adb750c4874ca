import { describe, expect, it } from 'vitest';
import { failedRecord, okRecord } from '../../test/helpers/records.js';
import type { SourceItem } from '../core/types.js';
import { manifestEntry } from './deliver.js';

const item: SourceItem = { path: 'in/1.png', absPath: '/abs/in/1.png', size: 1 };
const run = { runId: 'run-2', pipelineVersion: 'pv' };

describe('manifestEntry (what --resume may skip)', () => {
  it('marks a delivered file with its pages and its status', () => {
    const e = manifestEntry(item, [okRecord(1), { ...okRecord(1), status: 'needs_review' }], run);
    expect(e).toMatchObject({ sha256: okRecord(1).sha256, pipelineVersion: 'pv', file: 'in/1.png', pages: 2, status: 'needs_review', runId: 'run-2', absPath: '/abs/in/1.png' });
  });

  it.each(['timeout', 'engine_failed', 'unreadable', 'internal'])('never marks a file that failed with %s (worth retrying)', (code) => {
    expect(manifestEntry(item, [okRecord(1), failedRecord(1, code)], run)).toBeNull();
  });

  it('never marks a file whose product lookup could not be made (catalog_unavailable), marks no_text_found', () => {
    const review = (r: string[]) => ({ ...okRecord(1), status: 'needs_review' as const, review: r });
    expect(manifestEntry(item, [okRecord(1), review(['missing_field:total', 'catalog_unavailable'])], run)).toBeNull();
    expect(manifestEntry(item, [review(['no_text_found'])], run)?.status).toBe('needs_review');
  });

  it('marks a file that is bad in itself as failed, and skips one that has no hash', () => {
    expect(manifestEntry(item, [failedRecord(1, 'corrupt_image')], run)?.status).toBe('failed');
    expect(manifestEntry(item, [failedRecord(1, 'too_large', { sha256: '' })], run)).toBeNull();
  });
});
