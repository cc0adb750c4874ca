/**
 * Helpers shared by the benchmark scripts: option reading, single-quoting for bash, child processes with their
 * output, and bash's `time` for wall and CPU seconds of a whole process tree.
 */
import { spawn } from 'node:child_process';

/** `opt(name, def)`: the value after `--name` in `args`, else `def`. */
export function optionReader(args) {
  return (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
}

/** Single-quotes a value for bash. */
export const sh = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;

/** Runs `cmd argv` with `env` added; resolves with its exit code, stdout and stderr. */
export function run(cmd, argv, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a shell command under bash's `time`: wall seconds and CPU seconds (user + sys of all descendants). */
export async function timed(command, env) {
  const r = await run('bash', ['-c', `TIMEFORMAT='@@TIME %R %U %S'; time ( ${command} )`], env);
  const m = r.stderr.match(/@@TIME ([\d.]+) ([\d.]+) ([\d.]+)/);
  if (!m) throw new Error(`no timing from: ${command}\n${r.stderr.slice(-500)}`);
  return { ...r, wallS: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]) };
}

/** SROIE box-file lines (8 corner coordinates, then the text) as boxes. */
export function parseBoxFile(text) {
  return text.split('\n').map((l) => l.replace(/\r$/, '').split(','))
    .filter((p) => p.length >= 9).map((p) => ({ xs: [0, 2, 4, 6].map((i) => Number(p[i])), ys: [1, 3, 5, 7].map((i) => Number(p[i])), text: p.slice(8).join(',') }));
}

/**
 * SROIE box files list boxes in annotation order, often column by column (all item names, then all amounts), so a
 * transcript in reading order pays for the order alone. This joins the same boxes in reading order (rows by centre
 * line, left to right) for an order-fair reference. Takes boxes (`parseBoxFile`) or a box file's text.
 */
export function boxReadingOrder(boxes) {
  if (typeof boxes === 'string') boxes = parseBoxFile(boxes);
  const rows = [];
  for (const b of [...boxes].sort((a, c) => Math.min(...a.ys) + Math.max(...a.ys) - Math.min(...c.ys) - Math.max(...c.ys))) {
    const top = Math.min(...b.ys), bottom = Math.max(...b.ys), centre = (top + bottom) / 2;
    const row = rows.at(-1);
    if (row && Math.abs(centre - row.centre) < 0.5 * (bottom - top)) row.boxes.push(b);
    else rows.push({ centre, boxes: [b] });
  }
  return rows.map((r) => r.boxes.sort((a, c) => Math.min(...a.xs) - Math.min(...c.xs)).map((b) => b.text).join(' ')).join('\n');
}
