/**
 * The CLI on a real pseudo-terminal (`script` gives it one): the live display, and the colour conventions
 * (NO_COLOR, FORCE_COLOR) that only matter there.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, runCli, tempDir, writeNumberedImages } from '../integration/scan-helpers.js';

const run = promisify(execFile);
/** SGR colour codes (foreground 30-37, 90-97, 256-colour, true colour): what NO_COLOR forbids. */
const COLOUR = /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5|38;2)[;m]/u;

let dir: string;
beforeAll(async () => {
  dir = await tempDir('tty');
  await writeNumberedImages(dir, 3, 'tty');
});

/** Runs a scan under `script` (a TTY on stdin/stdout/stderr) and returns everything the terminal received. */
async function onTerminal(env: Record<string, string>, out: string, flags: string[] = []): Promise<string> {
  const base: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color', ...env };
  for (const k of ['CI', 'NO_COLOR', 'FORCE_COLOR']) if (!(k in env)) delete base[k];
  const cmd = `stty cols 120 rows 30; ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} scan . --engine none --out ${out} ${flags.join(' ')}`;
  const { stdout } = await run('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: base, timeout: 120_000 });
  return stdout;
}

describe('on a terminal', () => {
  it('draws the live display in colour by default', async () => {
    const screen = await onTerminal({}, 'a.jsonl');
    expect(screen).toContain('█');
    expect(screen).toMatch(COLOUR);
  });

  it('NO_COLOR=1 draws the same display without any colour code', async () => {
    const screen = await onTerminal({ NO_COLOR: '1' }, 'b.jsonl');
    expect(screen).toContain('█');
    expect(screen).toMatch(/3\/3 files .*\r?\n.*ok 0 · review 3 · failed 0/u); // engine none reads no text: needs review
    expect(screen).not.toMatch(COLOUR);
  });

  it('FORCE_COLOR=0 does too', async () => {
    expect(await onTerminal({ FORCE_COLOR: '0' }, 'c.jsonl')).not.toMatch(COLOUR);
  });

  it('--no-color does too, and says what it loads before the bar', async () => {
    const screen = await onTerminal({}, 'd.jsonl', ['--no-color']);
    expect(screen).not.toMatch(COLOUR);
    expect(screen).toContain('starting (no OCR models to load)…');
  });

  it('--color wins over NO_COLOR', async () => {
    expect(await onTerminal({ NO_COLOR: '1' }, 'e.jsonl', ['--color'])).toMatch(COLOUR);
  });

  it('the final screen keeps the counts, not the file that happened to be last', async () => {
    const screen = await onTerminal({ NO_COLOR: '1' }, 'f.jsonl');
    const last = screen.slice(screen.lastIndexOf('3/3 files'));
    expect(last).not.toContain('▸');
  });
});

describe('off a terminal', () => {
  it('--color colours the status words of the plain lines; by default (a pipe) they are plain', async () => {
    const coloured = await runCli(['scan', '.', '--engine', 'none', '--out', 'g.jsonl', '--color'], { cwd: dir });
    expect(coloured.stderr).toContain('\x1b[33mreview\x1b[39m ');
    const plain = await runCli(['scan', '.', '--engine', 'none', '--out', 'h.jsonl'], { cwd: dir });
    expect(plain.stderr).not.toMatch(COLOUR);
  });
});
