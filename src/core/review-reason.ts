/**
 * Why a record needs review. In a record (`ZakRecord.review`, and so in every output file, PostgreSQL and Kafka)
 * a reason is a string `kind[:detail]`, which POS clients read; inside zakocr reasons are built with the
 * constructors below and read back with `parseReviewReason`, never formatted or matched by hand.
 */

/** A review reason as data. */
export type ReviewReason =
  /** A key field of the document type was not found. */
  | { kind: 'missing_field'; field: string }
  /** A key field was found below `extract.minFieldConfidence`. */
  | { kind: 'low_confidence'; field: string }
  /** A hard cross-check (payment, tax, sum, dates, check digit…) failed on a key field. */
  | { kind: 'check_failed'; check: string }
  /** The page scored under `preprocess.minQuality`: OCR was skipped. `score` as written (2 decimals). */
  | { kind: 'low_quality'; score: number; issues: string[] }
  /** Neither text nor barcodes were found. */
  | { kind: 'no_text_found' }
  /** A `skipped` record: `--resume` found the file delivered by an earlier run. */
  | { kind: 'already_done' }
  /**
   * The product catalog could not be asked (PostgreSQL down): text, barcodes and fields are kept, `product` is null,
   * and `--resume` analyses the file again to make the lookup.
   */
  | { kind: 'catalog_unavailable' }
  /** A reason this version does not know (written by another version): kept as it is. */
  | { kind: 'other'; text: string };

export type ReviewReasonKind = ReviewReason['kind'];

/** The constructors: each returns the reason as it is written into records. */
export const reviewReason = {
  missingField: (field: string): string => `missing_field:${field}`,
  lowConfidence: (field: string): string => `low_confidence:${field}`,
  checkFailed: (check: string): string => `check_failed:${check}`,
  lowQuality: (score: number, issues: readonly string[]): string => `low_quality:${score.toFixed(2)}${issues.length ? `:${issues.join(',')}` : ''}`,
  noTextFound: (): string => 'no_text_found',
  alreadyDone: (): string => 'already_done',
  catalogUnavailable: (): string => 'catalog_unavailable',
} as const;

/**
 * Whether a reason says a lookup, not the analysis, failed, so the file is not done: `--resume` analyses it again
 * (the run manifest does not mark it done). Pure.
 */
export function isRetriedOnResume(reason: ReviewReason): boolean {
  return reason.kind === 'catalog_unavailable';
}

/** Reads a reason string back into data; unknown or malformed ones become `{ kind: 'other' }`. Pure. */
export function parseReviewReason(text: string): ReviewReason {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const detail = colon < 0 ? '' : text.slice(colon + 1);
  switch (kind) {
    case 'missing_field':
    case 'low_confidence':
      return detail ? { kind, field: detail } : { kind: 'other', text };
    case 'check_failed':
      return detail ? { kind, check: detail } : { kind: 'other', text };
    case 'low_quality': {
      const sep = detail.indexOf(':');
      const scoreText = sep < 0 ? detail : detail.slice(0, sep);
      const score = Number(scoreText);
      const issues = sep < 0 ? [] : detail.slice(sep + 1).split(',').filter(Boolean);
      return scoreText !== '' && Number.isFinite(score) ? { kind, score, issues } : { kind: 'other', text };
    }
    case 'no_text_found':
    case 'already_done':
    case 'catalog_unavailable':
      return colon < 0 ? { kind } : { kind: 'other', text };
    default:
      return { kind: 'other', text };
  }
}

/** The field a reason is about (missing or low confidence), else null. */
export function reasonField(reason: ReviewReason): string | null {
  return reason.kind === 'missing_field' || reason.kind === 'low_confidence' ? reason.field : null;
}
