/**
 * Whether terminal output may be coloured, by the usual conventions, most specific first:
 * `--color` / `--no-color`; FORCE_COLOR (`0` or `false`: off, anything else: on; it wins over NO_COLOR, as in
 * Node.js itself); NO_COLOR set to anything non-empty (https://no-color.org): off; else a terminal that is not
 * TERM=dumb. Pure.
 */
export function colorEnabled(opts: { flag?: boolean; env?: NodeJS.ProcessEnv; isTTY?: boolean } = {}): boolean {
  if (opts.flag !== undefined) return opts.flag;
  const env = opts.env ?? process.env;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return Boolean(opts.isTTY) && env.TERM !== 'dumb';
}
