import { ExitCode, type ExitCodeValue } from './exit-codes.js';

export interface ZakocrErrorOptions {
  /** A sentence telling the user how to fix it. */
  hint?: string;
  cause?: unknown;
}

/** Base of every error that crosses a module boundary. Foreign errors are wrapped with `cause`. */
export class ZakocrError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;

  constructor(code: string, message: string, exitCode: ExitCodeValue, opts: ZakocrErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = opts.hint;
  }
}

export class UsageError extends ZakocrError {
  constructor(message: string, opts?: ZakocrErrorOptions) {
    super('usage', message, ExitCode.usage, opts);
  }
}

/** A flag and its value as typed on the command line: `--min-quality 2`, `--lang ""` (quoted when empty or spaced). Pure. */
export function typedFlag(flag: string, value: unknown): string {
  const text = typeof value === 'string' ? (value === '' || /\s/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value);
  return `${flag} ${text}`;
}

/** A bad flag value in the user's words: `--tolerance -1: must be a number ≥ 0` (exit 2). */
export function badFlag(flag: string, value: unknown, problem: string, opts?: ZakocrErrorOptions): UsageError {
  return new UsageError(`${typedFlag(flag, value)}: ${problem}`, opts);
}

export class ConfigError extends ZakocrError {
  readonly key: string;
  constructor(key: string, message: string, opts?: ZakocrErrorOptions) {
    super('config', message, ExitCode.usage, opts);
    this.key = key;
  }
}

/** A model, language file or native library is missing or does not match its manifest. */
export class MissingResourceError extends ZakocrError {
  constructor(message: string, opts?: ZakocrErrorOptions) {
    super('missing_resource', message, ExitCode.usage, opts);
  }
}

/** The requested device (cuda, webgpu) cannot run here. Never fall back silently. */
export class DeviceError extends ZakocrError {
  constructor(message: string, opts?: ZakocrErrorOptions) {
    super('device', message, ExitCode.usage, opts);
  }
}

/** A sink gave up after its retry budget; records went to the dead-letter file. */
export class SinkError extends ZakocrError {
  readonly sink: string;
  readonly deadLetterPath?: string;
  constructor(sink: string, message: string, opts?: ZakocrErrorOptions & { deadLetterPath?: string }) {
    super('sink_failed', message, ExitCode.sinkFailed, opts);
    this.sink = sink;
    this.deadLetterPath = opts?.deadLetterPath;
  }
}

/**
 * A product catalog could not be asked (its database is unreachable, after the lookup's own retries). Never fails a
 * file: the record keeps its OCR and barcode results and needs review (`catalog_unavailable`); `--resume` asks again.
 */
export class CatalogUnavailableError extends ZakocrError {
  constructor(message: string, opts?: ZakocrErrorOptions) {
    super('catalog_unavailable', message, ExitCode.sinkFailed, opts);
  }
}

export class RegressionError extends ZakocrError {
  constructor(message: string, opts?: ZakocrErrorOptions) {
    super('regression', message, ExitCode.regression, opts);
  }
}

export class InterruptedError extends ZakocrError {
  constructor(message = 'interrupted', opts?: ZakocrErrorOptions) {
    super('interrupted', message, ExitCode.interrupted, opts);
  }
}

export const FILE_ERROR_CODES = [
  'unsupported_format',
  'corrupt_image',
  'too_large',
  'empty_file',
  'unreadable',
  'timeout',
  'engine_failed',
  'encrypted_pdf',
  'corrupt_pdf',
  'internal',
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/**
 * A problem with one input file. It becomes a `failed` record and never ends the run
 * (exit 1 at the end if any file failed).
 */
export class FileError extends ZakocrError {
  readonly fileCode: FileErrorCode;
  readonly stage: string;
  constructor(fileCode: FileErrorCode, stage: string, message: string, opts?: ZakocrErrorOptions) {
    super(fileCode, message, ExitCode.filesFailed, opts);
    this.fileCode = fileCode;
    this.stage = stage;
  }
}

/** The text of an unknown thrown value, for messages. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}

/** File-system error codes a retry cannot fix, in words a user can act on. */
const FS_PROBLEMS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EIO: 'an input/output error on the device',
};

/** `no space left on the device (ENOSPC)` for a file-system error, else its message. Pure. */
export function fsProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code && FS_PROBLEMS[code] ? `${FS_PROBLEMS[code]} (${code})` : errorMessage(err);
}

/** The error code of a file-system error (`ENOSPC`), if any. Pure. */
export function fsCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
