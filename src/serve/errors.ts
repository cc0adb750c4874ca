import { ZakocrError, type ZakocrErrorOptions } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

/** Machine-readable codes of request-level problems (a bad file is a failed record instead, see `status.ts`). */
export type RequestErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'overloaded'
  | 'shutting_down'
  /** A backing service the request needs (the job queue's Redis) is not answering. */
  | 'unavailable'
  | 'internal';

/**
 * A request the service refuses before (or instead of) analysing anything: carries its HTTP status and extra
 * headers (Retry-After, WWW-Authenticate). Messages never contain credentials.
 */
export class ServeError extends ZakocrError {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(statusCode: number, code: RequestErrorCode, message: string, opts: ZakocrErrorOptions & { headers?: Record<string, string> } = {}) {
    super(code, message, ExitCode.usage, opts);
    this.statusCode = statusCode;
    this.headers = opts.headers ?? {};
  }
}

/** The JSON body of every error response: `{ error: { code, message } }` (plus `record` when a file failed). */
export interface ErrorBody {
  error: { code: string; message: string; stage?: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
