import type { Logger } from './types.js';
import { redact } from './redact.js';

export interface LoggerOptions {
  json: boolean;
  quiet: boolean;
  verbose?: boolean;
  /** Values that must never appear in output (passwords, tokens). */
  secrets?: Array<string | null | undefined>;
  stream?: NodeJS.WritableStream;
}

/** Logs to stderr (stdout may carry records): plain lines, or JSON Lines with `--json-log`. Secrets are redacted. */
export function createLogger(opts: LoggerOptions): Logger {
  const stream = opts.stream ?? process.stderr;
  const write = (level: string, msg: string, data?: Record<string, unknown>) => {
    if (opts.quiet && (level === 'info' || level === 'debug')) return;
    if (level === 'debug' && !opts.verbose) return;
    const text = redact(msg, opts.secrets);
    if (opts.json) {
      const payload = data ? JSON.parse(redact(JSON.stringify(data), opts.secrets)) : undefined;
      stream.write(JSON.stringify({ time: new Date().toISOString(), level, msg: text, ...payload }) + '\n');
    } else {
      const prefix = level === 'info' ? '' : `${level}: `;
      stream.write(`${prefix}${text}\n`);
    }
  };
  return {
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
    debug: (m, d) => write('debug', m, d),
  };
}
