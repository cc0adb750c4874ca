import { describe, expect, it } from 'vitest';
import { defaults } from '../../config/defaults.js';
import { paddleSettings, sessionThreads } from './settings.js';

describe('paddleSettings', () => {
  it('uses the project defaults when nothing is configured', () => {
    expect(paddleSettings(undefined)).toEqual(defaults.ocr.paddle);
  });

  it('overrides only the keys given', () => {
    const s = paddleSettings({ paddle: { det: { maxSide: 1280 }, cls: { enabled: false } } });
    expect(s.det).toEqual({ ...defaults.ocr.paddle.det, maxSide: 1280 });
    expect(s.cls.enabled).toBe(false);
    expect(s.rec).toEqual(defaults.ocr.paddle.rec);
    expect(s.workers).toBe(0);
    expect(paddleSettings({ paddle: { workers: 3 } }).workers).toBe(3);
  });
});

describe('sessionThreads', () => {
  it.each([
    [0, 2, 2, 1],
    [0, 1, 2, 2],
    [0, 4, 16, 4],
    [0, 8, 2, 1],
    [3, 2, 2, 3],
  ])('configured %i, concurrency %i, cores %i → %i', (configured, concurrency, cores, threads) => {
    expect(sessionThreads(configured, concurrency, cores)).toBe(threads);
  });
});
