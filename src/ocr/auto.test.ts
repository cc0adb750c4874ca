import { describe, expect, it } from 'vitest';
import { paddleCertainty, preferFallback, REREAD_HEIGHT, REREAD_MAX_HEIGHT, rereadCrop, rereadReason } from './auto.js';
import type { Lang, PageImage, Quad } from '../core/types.js';

const seg = (confidence: number, foreignRatio = 0) => ({ confidence, foreignRatio });

describe('rereadReason', () => {
  it.each([
    [seg(0.99), ['eng'], false, null],
    [seg(0.7), ['eng'], false, 'low_confidence'],
    [seg(0.99), ['eng'], true, 'second_opinion'],
    [seg(0.7), ['eng'], true, 'low_confidence'],
    [seg(0.99), ['ben'], false, 'lang'],
    [seg(0.99, 0.5), ['eng', 'ben'], false, 'script'],
    [seg(0.99, 0.1), ['eng', 'ben'], false, null],
    [seg(0.99, 0.9), ['eng'], false, null],
  ] as [ReturnType<typeof seg>, Lang[], boolean, string | null][])('%j with %j, single line %s → %s', (s, langs, single, reason) => {
    expect(rereadReason(s, langs, 0.8, single)).toBe(reason);
  });
});

describe('paddleCertainty', () => {
  it.each([
    [{ confidence: 0.95, charConfidences: [0.99, 0.52, 0.98] }, 0.52],
    [{ confidence: 0.95, charConfidences: [] }, 0.95],
    [{ confidence: 0.9 }, 0.9],
  ])('%j → %d', (s, v) => {
    expect(paddleCertainty(s)).toBe(v);
  });
});

describe('preferFallback', () => {
  const p = (text: string, confidence: number, charConfidences?: number[]) => ({ text, confidence, charConfidences });
  it.each([
    [p('abc', 0.7), { text: 'abd', confidence: 0.9 }, 'low_confidence', true],
    [p('abc', 0.7), { text: 'abd', confidence: 0.6 }, 'low_confidence', false],
    [p('aiso', 0.98, [0.99, 0.51, 0.99, 0.99]), { text: 'also', confidence: 0.91 }, 'second_opinion', true],
    [p('also', 0.98, [0.99, 0.97, 0.99, 0.99]), { text: 'aIso', confidence: 0.91 }, 'second_opinion', false],
    [p('abc', 0.2), { text: '', confidence: 0.9 }, 'low_confidence', false],
    [p('', 0), { text: 'x', confidence: 0.1 }, 'low_confidence', true],
    [p('abc', 0.99), { text: 'আমি', confidence: 0.5 }, 'lang', true],
    [p('abc', 0.99), { text: ' ', confidence: 0.5 }, 'lang', false],
    [p('', 0), { text: '', confidence: 0 }, 'lang', true],
  ] as const)('%j vs %j (%s) → %s', (paddle, fallback, reason, expected) => {
    expect(preferFallback(paddle as { text: string; confidence: number; charConfidences?: number[] }, fallback, reason)).toBe(expected);
  });
});

describe('rereadCrop', () => {
  const page: PageImage = { data: Buffer.alloc(2000 * 400, 255), width: 2000, height: 400, channels: 1, page: null };
  const box = (h: number): Quad => [[10, 10], [1010, 10], [1010, 10 + h], [10, 10 + h]];
  // Height = box height + 15 % margin on each side, kept between 64 and 96 px; width follows the aspect ratio.
  it.each([
    ['small print is enlarged to the least height', 20, REREAD_HEIGHT],
    ['a 60 px box keeps its own 78 px', 60, 78],
    ['large print is shrunk to the most height', 200, REREAD_MAX_HEIGHT],
  ])('%s', (_name, h, expected) => {
    const crop = rereadCrop(page, box(h));
    expect(crop.height).toBe(expected);
    expect(crop.width / crop.height).toBeCloseTo((1000 + 0.3 * h) / (1.3 * h), 1);
  });
});
