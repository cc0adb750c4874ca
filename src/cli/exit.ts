import { CommanderError } from 'commander';
import { ZakocrError, errorMessage } from '../core/errors.js';
import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js';
import { redact } from '../core/redact.js';

/**
 * The one place where errors become exit codes and messages: a known error prints "Name: message"
 * (plus its hint and cause) and its code; anything else is a bug: stack trace and 70.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr, secrets: Array<string | null | undefined> = []): ExitCodeValue {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage; // commander already printed the message
  }
  if (err instanceof ZakocrError) {
    let text = `${err.name}: ${err.message}`;
    if (err.cause !== undefined && !(err.cause instanceof ZakocrError)) text += `\nReason: ${errorMessage(err.cause)}`;
    if (err.hint) text += `\nFix: ${err.hint}`;
    stderr.write(redact(text, secrets) + '\n');
    return err.exitCode;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  stderr.write(redact(`zakocr: internal error (a bug; please report it with this trace):\n${stack}`, secrets) + '\n');
  return ExitCode.internal;
}
