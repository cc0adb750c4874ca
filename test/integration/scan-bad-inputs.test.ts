/**
 * The "bad inputs" acceptance through the real CLI: good images next to every kind of broken file.
 * Each bad file becomes a `failed` record with its code, the good ones keep their text, the run exits 1.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cer } from '../../src/bench/metrics.js';
import type { ZakRecord } from '../../src/core/types.js';
import { byBase, examplesDir, readJsonl, runCli, tempDir, type CliResult } from './scan-helpers.js';

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), body])) >>> 0);
  return Buffer.concat([len, Buffer.from(type, 'ascii'), body, crc]);
}

/** A valid PNG header claiming width x height grey pixels, with a tiny body: a decompression bomb. */
function pngHeaderBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Good files: copies of bundled examples (their references are exact). */
const GOOD: Record<string, string> = {
  'good-receipt.png': 'receipt-grocery.png',
  'good-label.jpg': 'label-milk.jpg',
};
const EXPECTED_FAILURES: Record<string, string> = {
  'empty.jpg': 'empty_file',
  'truncated.jpg': 'corrupt_image',
  'truncated.png': 'corrupt_image',
  'text.png': 'unsupported_format',
  'bomb.png': 'too_large',
  'dangling.png': 'unreadable',
  'pipe.png': 'unreadable',
};

let dir: string;
let run: CliResult;
let recs: Map<string, ZakRecord>;

beforeAll(async () => {
  dir = await tempDir('bad');
  const inDir = path.join(dir, 'in');
  await mkdir(inDir, { recursive: true });
  for (const [name, example] of Object.entries(GOOD)) await copyFile(path.join(examplesDir, example), path.join(inDir, name));
  const jpeg = readFileSync(path.join(inDir, 'good-label.jpg'));
  const png = readFileSync(path.join(inDir, 'good-receipt.png'));
  await writeFile(path.join(inDir, 'empty.jpg'), Buffer.alloc(0));
  await writeFile(path.join(inDir, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 3)));
  await writeFile(path.join(inDir, 'truncated.png'), png.subarray(0, Math.floor(png.length / 3)));
  await writeFile(path.join(inDir, 'text.png'), 'not an image at all\n');
  await writeFile(path.join(inDir, 'bomb.png'), pngHeaderBomb(30_000, 30_000));
  // Tests run as root, so chmod 000 cannot make a file unreadable: a dangling link and a FIFO can.
  await symlink('gone-forever.png', path.join(inDir, 'dangling.png'));
  execFileSync('mkfifo', [path.join(inDir, 'pipe.png')]);
  const out = path.join(dir, 'r.jsonl');
  run = await runCli(['scan', inDir, '--engine', 'tesseract', '--concurrency', '2', '--out', out], { cwd: dir, timeoutMs: 150_000 });
  recs = byBase(await readJsonl(out));
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('zakocr scan on a folder of good and broken files', () => {
  it('exits 1 without crashing, with one record per file', () => {
    expect(run.stderr).not.toMatch(/internal error|Traceback|at .*\.js:\d+/);
    expect(run.code).toBe(1);
    expect([...recs.keys()].sort()).toEqual([...Object.keys(GOOD), ...Object.keys(EXPECTED_FAILURES)].sort());
  });

  it.each(Object.entries(EXPECTED_FAILURES))('%s → failed with code %s', (name, code) => {
    const r = recs.get(name)!;
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe(code);
    expect(r.error?.message).toContain(name);
    expect(r.text).toBe('');
    expect(r.schema).toBe('zakocr.record/v1');
    expect(run.stderr).toContain(`failed ${r.file} · ${code}:`);
  });

  it('says which limit a bomb exceeded, before decoding it', () => {
    const r = recs.get('bomb.png')!;
    expect(r.error?.message).toContain('limits.maxPixels');
    expect(r.error?.stage).toBe('decode');
    expect(r.timingsMs.total).toBeLessThan(5000);
  });

  it('names what an unreadable input is', () => {
    expect(recs.get('pipe.png')!.error?.message).toContain('is a named pipe, not a regular file');
    expect(recs.get('dangling.png')!.error?.message).toContain('ENOENT');
    expect(recs.get('pipe.png')!.timingsMs.total).toBeLessThan(5000); // not stuck in open() until the time limit
  });

  it.each(Object.entries(GOOD))('%s keeps its text', (name, example) => {
    const r = recs.get(name)!;
    expect(['ok', 'needs_review']).toContain(r.status);
    expect(r.error).toBeNull();
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const ref = readFileSync(path.join(examplesDir, `${example}.gt.txt`), 'utf8');
    expect(cer(r.text, ref, { foldWhitespace: true })).toBeLessThanOrEqual(0.05);
  });

  it('the summary counts them', () => {
    expect(run.stderr).toMatch(new RegExp(`failed ${Object.keys(EXPECTED_FAILURES).length} `));
    expect(run.stderr).toContain('9 files → 9 records');
  });
});
