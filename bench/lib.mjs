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
