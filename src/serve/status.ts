import type { FileErrorCode } from '../core/errors.js';
import type { ZakRecord } from '../core/types.js';

/**
 * HTTP status for a file that failed, by the record's `error.code`. Input the client can fix is 4xx (400 bad input,
 * 413 too large, 415 not an image or PDF); the service's own trouble is 5xx. `needs_review` is not an error: 200
 * with the status in the body.
 */
export const HTTP_STATUS_BY_FILE_CODE: Readonly<Record<FileErrorCode, number>> = {
  unsupported_format: 415,
  corrupt_image: 400,
  corrupt_pdf: 400,
  encrypted_pdf: 400,
  empty_file: 400,
  too_large: 413,
  timeout: 504,
  unreadable: 500,
  engine_failed: 500,
  internal: 500,
};

/** Unknown codes (from a newer pipeline) are the service's problem until mapped. */
const UNKNOWN_CODE_STATUS = 500;

/**
 * The response status for the records of one upload: 200 when any page was read (a multi-page file with one bad
 * page still returns its good pages), else the status of the first failure's code. Pure.
 */
export function httpStatusForRecords(records: readonly ZakRecord[]): number {
  if (records.length === 0) return UNKNOWN_CODE_STATUS;
  if (records.some((r) => r.status !== 'failed')) return 200;
  const code = records[0].error?.code ?? '';
  return (HTTP_STATUS_BY_FILE_CODE as Record<string, number | undefined>)[code] ?? UNKNOWN_CODE_STATUS;
}
