import { describe, expect, it } from 'vitest';
import { defaults } from '../../config/defaults.js';
import { modelPrecision, paddleSettings, sessionThreads } from './settings.js';

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

describe('modelPrecision', () => {
  it.each([
    ['auto', 'cpu', 'folded'],
    ['auto', 'cuda', 'fp32'],
    ['auto', 'webgpu', 'fp32'],
    ['int8', 'cpu', 'int8'],
    ['fp32', 'cpu', 'fp32'],
    ['int8', 'cuda', 'int8'],
  ] as const)('%s on %s → %s (CPU set: folded)', (requested, device, want) => {
    expect(modelPrecision(requested, device, 'folded')).toBe(want);
  });

  it('reads ocr.paddle.precision and ignores values it does not know', () => {
    expect(paddleSettings({ paddle: { precision: 'int8' } }).precision).toBe('int8');
    expect(paddleSettings({ paddle: { precision: 'bf16' } }).precision).toBe('auto');
  });
});
