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

/** The display's colour roles (progress bar, statuses, quiet text). */
export type Tone = 'bar' | 'ok' | 'review' | 'failed' | 'dim';

/** SGR open/close codes per tone: 39 ends a foreground colour, 22 ends dim. */
const SGR: Record<Tone, [open: number, close: number]> = { bar: [36, 39], ok: [32, 39], review: [33, 39], failed: [31, 39], dim: [2, 22] };

/** `text` in its tone's colour when `enabled`, else unchanged. Pure. */
export function paint(text: string, tone: Tone, enabled: boolean): string {
  if (!enabled || !text) return text;
  const [open, close] = SGR[tone];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}
