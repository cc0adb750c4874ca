/**
 * Tiny and degenerate images through the real CLI with every engine: a page with a side ≤ 8 px (1×1, 8×8, 300×2,
 * 4000×3) reads as "no text" — `needs_review`, quality issue `too_small`, reason `no_text_found` — never
 * `engine_failed` (PP-OCR's detector used to size such sides to 0 and sharp threw). Slightly larger strips (9 px, a
 * 12 px short side of a 4000 px page) go through the engines, which must not fail on them either. Being no failure, they are
 * marked done: `--resume` skips them instead of redoing them on every run.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_NAMES } from '../../src/core/choices.js';
import { byBase, readJsonl, runCli, tempDir } from './scan-helpers.js';

/** name → [width, height, channels]; `true` = a side ≤ 8 px (too small to read at all). */
const IMAGES: Record<string, [number, number, 1 | 3 | 4, boolean]> = {
  'px-1x1.png': [1, 1, 1, true],
  'px-8x8.png': [8, 8, 3, true],
  'px-300x2.png': [300, 2, 3, true],
  'px-2x300.png': [2, 300, 4, true],
  'px-4000x3.png': [4000, 3, 3, true],
  'px-9x9.png': [9, 9, 3, false],
  'px-4000x12.png': [4000, 12, 3, false],
  'px-12x40.png': [12, 40, 1, false],
};

let dir: string;

beforeAll(async () => {
  dir = await tempDir('tiny');
  for (const [name, [width, height, channels]] of Object.entries(IMAGES)) {
    // Mid-grey with a darker dot: not a blank the decoder could special-case.
    const px = Buffer.alloc(width * height * channels, 200);
    px.fill(40, 0, channels);
    await writeFile(path.join(dir, name), await sharp(px, { raw: { width, height, channels } }).png().toBuffer());
  }
});

describe.each(ENGINE_NAMES)('--engine %s on tiny images', (engine) => {
  it('records no text (needs_review, too_small), fails nothing, and --resume skips them', async () => {
    const out = path.join(dir, `${engine}.jsonl`);
    const args = ['scan', dir, '--engine', engine, '--out', out, '--manifest', path.join(dir, `${engine}.manifest.jsonl`)];
    const first = await runCli(args, { timeoutMs: 180_000 });
    expect(first.stderr).not.toMatch(/Expected positive integer|engine_failed/);
    expect(first.code, first.stderr).toBe(0);
    const recs = byBase(await readJsonl(out));
    expect([...recs.keys()].sort()).toEqual(Object.keys(IMAGES).sort());
    for (const [name, [, , , tooSmall]] of Object.entries(IMAGES)) {
      const r = recs.get(name)!;
      expect({ name, error: r.error }).toEqual({ name, error: null });
      expect(r.quality?.issues.includes('too_small'), name).toBe(tooSmall);
      if (!tooSmall) continue; // read by the engine: whatever it makes of a dot, it must not fail
      expect({ name, status: r.status }).toEqual({ name, status: 'needs_review' });
      expect(r.review, name).toEqual(['no_text_found']);
      expect(r.lines, name).toEqual([]);
      expect(r.quality?.score, name).toBe(0);
    }

    const again = await runCli([...args, '--resume'], { timeoutMs: 180_000 });
    expect(again.code, again.stderr).toBe(0);
    const resumed = await readJsonl(out);
    expect(resumed).toHaveLength(Object.keys(IMAGES).length);
    // The earlier records are carried over as they were: nothing was redone.
    expect(resumed.map((r) => r.runId)).toEqual([...recs.values()].map((r) => r.runId));
  }, 400_000);
});
