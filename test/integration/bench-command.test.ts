/**
 * `runBenchCommand` in-process: flag validation fails fast (before any model loads) with messages
 * naming the flag; the same errors map to exit 2 in the CLI (see test/cli/bench.test.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runBenchCommand, type BenchFlags } from '../../src/bench/command.js';
import { repoRoot } from './scan-helpers.js';

const uw3 = path.resolve(repoRoot, '../shared/datasets/uw3-printed-lines');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe('bench flag validation', () => {
  it.each<[BenchFlags, string]>([
    [{ tolerance: 'abc' }, '--tolerance abc: must be a number ≥ 0'],
    [{ latencyTolerance: '-5' }, '--latency-tolerance -5: must be a number ≥ 0'],
    [{ limit: '0' }, '--limit 0: must be a whole number ≥ 1'],
    [{ worst: '2.5' }, '--worst 2.5: must be a whole number ≥ 0'],
    [{ require: ['cer=1'] }, '--require cer=1: must be <metric><=|>=|<|><number>[%]'],
    [{ engine: ['paddle,padle'] }, '--engine padle: must be one of auto, paddle, tesseract, none'],
    [{ format: 'coco' }, '--format coco: must be one of auto, manifest, zxing, sroie, gt-lines, invoice2data'],
    [{ baseline: '/nonexistent/base.json' }, 'Cannot read baseline /nonexistent/base.json'],
    [{ baseline: path.join(uw3, '010001.gt.txt') }, `Baseline ${path.join(uw3, '010001.gt.txt')} is not valid JSON`],
    [{ baseline: path.join(uw3, 'manifest.jsonl') }, `Baseline ${path.join(uw3, 'manifest.jsonl')} is not valid JSON`],
  ])('%j', async (flags, message) => {
    await expect(runBenchCommand(uw3, flags, { loadConfig, log: silent })).rejects.toThrow(message);
  });

  it('rejects a dataset path that does not exist', async () => {
    await expect(runBenchCommand('/nonexistent/set', {}, { loadConfig, log: silent })).rejects.toThrow('Dataset not found: /nonexistent/set');
  });
});
