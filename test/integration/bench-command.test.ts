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
    [{ tolerance: 'abc' }, 'Expected a number ≥ 0 for --tolerance, got "abc" (string)'],
    [{ latencyTolerance: '-5' }, 'Expected a number ≥ 0 for --latency-tolerance, got "-5" (string)'],
    [{ limit: '0' }, 'Expected an integer ≥ 1 for --limit, got "0" (string)'],
    [{ worst: '2.5' }, 'Expected an integer ≥ 0 for --worst, got "2.5" (string)'],
    [{ require: ['cer=1'] }, 'Expected <metric><=|>=|<|><number>[%] for --require, got "cer=1" (string)'],
    [{ engine: ['paddle,padle'] }, 'Expected one of auto, paddle, tesseract, none for --engine, got "padle" (string)'],
    [{ format: 'coco' }, 'Expected one of auto, manifest, zxing, sroie, gt-lines, invoice2data for --format, got "coco" (string)'],
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
