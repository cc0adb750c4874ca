import { describe, expect, it } from 'vitest';
import { preferFallback, rereadReason } from './auto.js';
import type { Lang } from '../core/types.js';

const seg = (confidence: number, chars: number[] = [], foreignRatio = 0) => ({ text: 'x', confidence, charConfidences: chars, foreignRatio });

describe('rereadReason', () => {
  it.each([
    [seg(0.99, [0.99]), ['eng'], null],
    [seg(0.7, [0.9]), ['eng'], 'low_confidence'],
    [seg(0.95, [0.99, 0.3]), ['eng'], 'low_char'],
    [seg(0.99, [0.99]), ['ben'], 'lang'],
    [seg(0.99, [0.99], 0.5), ['eng', 'ben'], 'script'],
    [seg(0.99, [0.99], 0.1), ['eng', 'ben'], null],
    [seg(0.99, [0.99], 0.9), ['eng'], null],
  ] as [ReturnType<typeof seg>, Lang[], string | null][])('%j with %j → %s', (s, langs, reason) => {
    expect(rereadReason(s, langs, 0.8)).toBe(reason);
  });
});

describe('preferFallback', () => {
  it.each([
    [{ text: 'abc', confidence: 0.7 }, { text: 'abd', confidence: 0.9 }, 'low_confidence', true],
    [{ text: 'abc', confidence: 0.7 }, { text: 'abd', confidence: 0.6 }, 'low_confidence', false],
    [{ text: 'abc', confidence: 0.2 }, { text: '', confidence: 0.9 }, 'low_char', false],
    [{ text: 'abc', confidence: 0.99 }, { text: 'আমি', confidence: 0.5 }, 'lang', true],
    [{ text: 'abc', confidence: 0.99 }, { text: ' ', confidence: 0.5 }, 'lang', false],
    [{ text: '', confidence: 0 }, { text: '', confidence: 0 }, 'lang', true],
  ] as const)('%j vs %j (%s) → %s', (paddle, fallback, reason, expected) => {
    expect(preferFallback(paddle, fallback, reason)).toBe(expected);
  });
});
