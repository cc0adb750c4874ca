/** What `zakocr scan` reads: `--ignore` patterns folded into the inputs, and `--list`. */
import { UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { checkInputs, discover } from '../source/walk.js';

/**
 * The inputs with each `--ignore GLOB` as the `!GLOB` input it is the same as: source/ignore.ts reads both as
 * .gitignore patterns, so the scan, its count ahead and `--list` all leave out the same files.
 */
export function withIgnores(inputs: readonly string[], ignore: readonly string[] = []): string[] {
  return [...inputs, ...ignore.map((pattern) => `!${pattern}`)];
}

/**
 * `zakocr scan … --list`: prints every file a scan would read, one path a line on stdout (as records name them),
 * starting no engine and writing no output. Files a `--resume` would skip are listed too.
 * @returns exit code 0
 * @throws UsageError (exit 2) when an input is missing or nothing matched.
 */
export async function listInputs(inputs: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  await checkInputs(inputs);
  let listed = 0;
  for await (const item of discover(inputs)) {
    out.write(`${item.path}\n`);
    listed++;
  }
  // checkInputs cannot look ahead into standard input: an empty list there is caught here.
  if (listed === 0) throw new UsageError('No input files matched (standard input named no file)', { hint: 'find … -type f | zakocr scan - --list' });
  return ExitCode.ok;
}
