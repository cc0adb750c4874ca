/**
 * The package as a user gets it: `npm pack` on a copy of the checkout (so its prepack build cannot disturb the dist/
 * other tests run), a global install of the tarball into a temp prefix with the onnxruntime skip, and a scan from
 * another folder through the installed `zakocr` (models and language data from the install's own node_modules).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZakRecord } from '../../src/core/types.js';
import { recordSchemaPath } from '../helpers/record-schema.js';
import { readJsonl, repoRoot, tempDir, writeTextImage } from './scan-helpers.js';

const run = promisify(execFile);
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', CI: 'true', NO_COLOR: '1' };
const MINUTE = 60_000;
const ROLES = ['det', 'cls', 'rec'] as const;
type ModelsManifest = { variants: Record<string, { dir: string } & Record<(typeof ROLES)[number], { file: string; bytes: number }>> };

/** What `npm pack` may ship: what runs and what documents it, nothing of the sources, tests or CI. */
const SHIPPED = [/^bin\//, /^dist\/.+\.js$/, /^models\//, /^schema\/[a-z]+\.schema\.json$/, /^\.zakocrrc\.example$/, /^(README|CHANGELOG)\.md$/, /^LICENSE$/, /^package\.json$/];

let tarball: { filename: string; size: number; files: string[] };
let prefix: string;
let work: string;
let scan: { code: number; stderr: string };
let records: ZakRecord[];

beforeAll(async () => {
  const dir = await tempDir('pack');
  const copy = path.join(dir, 'checkout');
  const { stdout: listed } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, maxBuffer: 16 << 20 });
  for (const file of listed.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(repoRoot, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    cpSync(path.join(repoRoot, file), path.join(copy, file));
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));
  const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: copy, env, timeout: 5 * MINUTE, maxBuffer: 16 << 20 });
  const info = (JSON.parse(packed) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>)[0];
  tarball = { filename: path.join(dir, info.filename), size: info.size, files: info.files.map((f) => f.path) };

  prefix = path.join(dir, 'global');
  await run('npm', ['install', '-g', '--prefix', prefix, tarball.filename, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, env, timeout: 10 * MINUTE });

  work = path.join(dir, 'elsewhere');
  await writeTextImage(work, 'label.png', ['Fresh Milk 1L', 'Tk 95.00']);
  writeFileSync(path.join(work, 'bad.png'), 'not an image\n');
  scan = await run(path.join(prefix, 'bin', 'zakocr'), ['scan', '.', '--out', 'r.jsonl'], { cwd: work, env, timeout: 5 * MINUTE })
    .then((r) => ({ code: 0, stderr: r.stderr }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
  records = existsSync(path.join(work, 'r.jsonl')) ? await readJsonl(path.join(work, 'r.jsonl')) : [];
}, 20 * MINUTE);

describe('npm pack → global install → scan from another folder', () => {
  it('ships what runs and nothing else (no sources, tests, CI files or source maps)', () => {
    expect(tarball.files.filter((f) => !SHIPPED.some((re) => re.test(f)))).toEqual([]);
    for (const needed of ['bin/zakocr', 'dist/cli/main.js', 'dist/ocr/paddle/worker.js', 'models/manifest.json', 'schema/record.schema.json',
      'schema/config.schema.json', '.zakocrrc.example', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      expect(tarball.files).toContain(needed);
    }
    // The derived CPU models (folded, int8) ship as files; everything else stays under a megabyte compressed.
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'models', 'manifest.json'), 'utf8')) as ModelsManifest;
    const variantFiles = Object.values(manifest.variants).flatMap((v) => ROLES.map((role) => ({ path: `models/${v.dir}/${v[role].file}`, bytes: v[role].bytes })));
    for (const file of variantFiles) expect(tarball.files).toContain(file.path);
    expect(tarball.files.filter((f) => f.endsWith('.onnx')).sort()).toEqual(variantFiles.map((f) => f.path).sort());
    expect(tarball.size).toBeLessThan(1_000_000 + variantFiles.reduce((sum, f) => sum + f.bytes, 0));
  });

  it('scans from any folder: the good image gives its text, the bad one a failed record naming it, exit 1', () => {
    expect(scan.code, scan.stderr).toBe(1);
    const byName = new Map(records.map((r) => [r.file, r]));
    expect(byName.get('label.png')?.status, scan.stderr).toMatch(/^(ok|needs_review)$/);
    expect(byName.get('label.png')?.text).toContain('Milk');
    expect(byName.get('bad.png')?.error?.code).toBe('unsupported_format');
  });

  it('the installed schema is the repository\'s, and `zakocr schema record` prints it', async () => {
    const installed = path.join(prefix, 'lib', 'node_modules', 'zakocr', 'schema', 'record.schema.json');
    expect(readFileSync(installed, 'utf8')).toBe(readFileSync(recordSchemaPath, 'utf8')); // readJsonl validated the records with it
    const { stdout } = await run(path.join(prefix, 'bin', 'zakocr'), ['schema', 'record'], { cwd: work, env });
    expect(stdout).toBe(readFileSync(installed, 'utf8'));
    const { stdout: version } = await run(path.join(prefix, 'bin', 'zakocr'), ['--version'], { cwd: work, env });
    expect(version).toContain((JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
