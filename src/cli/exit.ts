import { CommanderError } from 'commander';
import { ZakocrError, errorMessage } from '../core/errors.js';
import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js';
import { redact } from '../core/redact.js';

/**
 * The one place where errors become exit codes and messages, in one style with commander's own and the logger's:
 * a known error prints `error: message`, then `reason:` (its cause, unless the message already says it) and `fix:`
 * lines, and returns its code; anything else is a bug: the stack trace and 70.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr, secrets: Array<string | null | undefined> = []): ExitCodeValue {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
    // `zakocr` or `zakocr db` without a command: commander printed the help to stderr; that is a usage error.
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    return ExitCode.usage; // commander already printed the message
  }
  if (err instanceof ZakocrError) {
    let text = `error: ${err.message}`;
    if (err.cause !== undefined && !(err.cause instanceof ZakocrError)) {
      const reason = errorMessage(err.cause);
      if (!err.message.includes(reason)) text += `\nreason: ${reason}`;
    }
    if (err.hint) text += `\nfix: ${err.hint}`;
    stderr.write(redact(text, secrets) + '\n');
    return err.exitCode;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  stderr.write(redact(`error: internal error (a bug; please report it with this trace):\n${stack}`, secrets) + '\n');
  return ExitCode.internal;
}
